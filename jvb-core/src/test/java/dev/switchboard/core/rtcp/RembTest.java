package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class RembTest {
    static final byte[] REMB = Hex.bytes(
            "8f ce 0006", //  V=2 P=0 FMT=15 (application layer FB) | PT=206 (PSFB) | length=6 (28 bytes)
            "00000001", //    SSRC of packet sender
            "00000000", //    SSRC of media source: always 0
            "52454d42", //    unique identifier "REMB"
            "02", //          Num SSRC 2
            "12 625a", //     BR Exp 4 (0x12 >> 2) | BR Mantissa 0x2625a = 156250 -> 156250 << 4 = 2.5 Mbit/s
            "11223344", //    SSRC feedback 1
            "55667788"); //   SSRC feedback 2

    private static void assertFields(Remb remb) {
        assertEquals(1L, remb.senderSsrc());
        assertEquals(0L, remb.mediaSsrc());
        assertEquals(2_500_000L, remb.bitrateBps());
        assertEquals(List.of(0x11223344L, 0x55667788L), remb.ssrcs());
    }

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        assertTrue(Remb.isRemb(REMB, 0, REMB.length));
        Remb parsed = Remb.parse(REMB, 0, REMB.length);
        assertFields(parsed);
        assertArrayEquals(REMB, RtcpRoundTrip.serialize(parsed));

        Remb built = new Remb(1, 0, 2_500_000L, List.of(0x11223344L, 0x55667788L));
        assertFields(built);
        assertArrayEquals(REMB, RtcpRoundTrip.serialize(built));
    }

    @Test
    void bitrateIsRoundedDownToWhatTheWireCarries() throws Exception {
        // 0x3FFFF fits the mantissa exactly; one more needs exponent 1 and loses nothing; 2^18+1 loses its last bit
        assertEquals(0x3FFFFL, new Remb(1, 0, 0x3FFFFL, List.of()).bitrateBps());
        assertEquals(0x40000L, new Remb(1, 0, 0x40000L, List.of()).bitrateBps());
        assertEquals(0x40000L, new Remb(1, 0, 0x40001L, List.of()).bitrateBps());
        for (long bps : new long[] {0, 1, 30_000, 1_000_000, 123_456_789, 10_000_000_000L, Remb.MAX_BITRATE}) {
            Remb remb = new Remb(1, 0, bps, List.of(5L));
            byte[] bytes = RtcpRoundTrip.serialize(remb);
            assertEquals(remb, Remb.parse(bytes, 0, bytes.length));
            assertTrue(remb.bitrateBps() <= bps && remb.bitrateBps() >= bps - (bps >>> 17), "bps " + bps);
        }
    }

    @Test
    void hugeExponentIsClamped() throws Exception {
        byte[] bytes = REMB.clone();
        bytes[17] = (byte) ((63 << 2) | 3); // exponent 63, mantissa 0x3625a: far beyond a long
        assertEquals(Remb.MAX_BITRATE, Remb.parse(bytes, 0, bytes.length).bitrateBps());
    }

    @Test
    void rejectsMalformed() {
        byte[] otherAfb = REMB.clone();
        otherAfb[12] = 'X';
        assertFalse(Remb.isRemb(otherAfb, 0, otherAfb.length));
        assertThrows(MalformedPacketException.class, () -> Remb.parse(otherAfb, 0, otherAfb.length));
        byte[] tooManySsrcs = REMB.clone();
        tooManySsrcs[16] = 3;
        assertThrows(MalformedPacketException.class, () -> Remb.parse(tooManySsrcs, 0, tooManySsrcs.length));
    }
}
