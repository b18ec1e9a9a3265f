package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByeTest {
    static final byte[] BYE = Hex.bytes(
            "82 cb 0004", //  V=2 P=0 SC=2 | PT=203 (BYE) | length=4 (20 bytes)
            "11223344", //    SSRC 1
            "55667788", //    SSRC 2
            "05 6c656674", // reason length 5: "left "
            "20 0000"); //    ... " " (the reason ends with a space), null padding to 32 bits

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        Bye parsed = Bye.parse(BYE, 0, BYE.length);
        assertEquals(List.of(0x11223344L, 0x55667788L), parsed.ssrcs());
        assertEquals("left ", parsed.reason());
        assertArrayEquals(BYE, RtcpRoundTrip.serialize(parsed));

        Bye built = new Bye(List.of(0x11223344L, 0x55667788L), "left ");
        assertEquals(parsed, built);
        assertArrayEquals(BYE, RtcpRoundTrip.serialize(built));
    }

    @Test
    void withoutReason() throws Exception {
        byte[] bytes = Hex.bytes("81cb 0001 deadbeef");
        Bye bye = Bye.parse(bytes, 0, bytes.length);
        assertEquals(List.of(0xdeadbeefL), bye.ssrcs());
        assertNull(bye.reason());
        assertArrayEquals(bytes, RtcpRoundTrip.serialize(new Bye(List.of(0xdeadbeefL), null)));
    }

    @Test
    void reasonPaddingForEveryRemainder() throws Exception {
        for (int n = 0; n < 8; n++) {
            Bye bye = new Bye(List.of(1L), "r".repeat(n));
            byte[] bytes = RtcpRoundTrip.serialize(bye);
            assertEquals(8 + ((1 + n + 3) & ~3), bytes.length);
            assertEquals(bye, Bye.parse(bytes, 0, bytes.length));
        }
    }

    @Test
    void rejectsMalformed() {
        byte[] missingSsrc = Hex.bytes("82cb 0001 00000001");
        assertThrows(MalformedPacketException.class, () -> Bye.parse(missingSsrc, 0, missingSsrc.length));
        byte[] reasonOverrun = Hex.bytes("81cb 0002 00000001 09616263");
        assertThrows(MalformedPacketException.class, () -> Bye.parse(reasonOverrun, 0, reasonOverrun.length));
    }
}
