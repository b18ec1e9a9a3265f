package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirTest {
    static final byte[] FIR = Hex.bytes(
            "84 ce 0006", //   V=2 P=0 FMT=4 (FIR) | PT=206 (PSFB) | length=6 (28 bytes)
            "00000001", //     SSRC of packet sender
            "00000000", //     SSRC of media source: unused, 0 (RFC 5104 section 4.3.1.2)
            "12345678", //     FCI 1: SSRC to refresh
            "05 000000", //    command sequence number 5 | reserved
            "9abcdef0", //     FCI 2: SSRC to refresh
            "ff 000000"); //   command sequence number 255 | reserved

    private static void assertFields(Fir fir) {
        assertEquals(1L, fir.senderSsrc());
        assertEquals(0L, fir.mediaSsrc());
        assertEquals(List.of(new Fir.Entry(0x12345678L, 5), new Fir.Entry(0x9abcdef0L, 255)), fir.entries());
    }

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        Fir parsed = Fir.parse(FIR, 0, FIR.length);
        assertFields(parsed);
        assertArrayEquals(FIR, RtcpRoundTrip.serialize(parsed));

        Fir built = new Fir(1, 0, List.of(new Fir.Entry(0x12345678L, 5), new Fir.Entry(0x9abcdef0L, 255)));
        assertFields(built);
        assertArrayEquals(FIR, RtcpRoundTrip.serialize(built));
    }

    @Test
    void singleRequest() throws Exception {
        Fir fir = Fir.of(1, 0x12345678L, 5);
        byte[] bytes = RtcpRoundTrip.serialize(fir);
        assertArrayEquals(Hex.bytes("84ce 0004 00000001 00000000 12345678 05000000"), bytes);
        assertEquals(fir, Fir.parse(bytes, 0, bytes.length));
    }

    @Test
    void rejectsMalformed() {
        byte[] noEntries = Hex.bytes("84ce 0002 00000001 00000000");
        assertThrows(MalformedPacketException.class, () -> Fir.parse(noEntries, 0, noEntries.length));
        assertThrows(IllegalArgumentException.class, () -> new Fir.Entry(1, 256));
    }
}
