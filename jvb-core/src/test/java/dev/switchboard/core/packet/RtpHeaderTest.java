package dev.switchboard.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpHeaderTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void fixedHeaderFields() {
        // V=2,P=0,X=0,CC=0 | M=1,PT=96 | seq=0x1234 | ts=0xDEADBEEF | ssrc=0xCAFEBABE | payload 01 02
        byte[] p = hex("80 e0 1234 deadbeef cafebabe 0102");
        assertEquals(12, RtpHeader.headerLength(p, 0, p.length));
        assertEquals(96, RtpHeader.payloadType(p, 0));
        assertTrue(RtpHeader.marker(p, 0));
        assertEquals(0x1234, RtpHeader.sequenceNumber(p, 0));
        assertEquals(0xDEADBEEFL, RtpHeader.timestamp(p, 0));
        assertEquals(0xCAFEBABEL, RtpHeader.ssrc(p, 0));
    }

    @Test
    void csrcsAndOneByteExtensionCountTowardsTheHeader() {
        // V=2,X=1,CC=1 | PT=111 | seq 1 | ts 0 | ssrc 1 | csrc 2 | ext profile BEDE, 1 word | id=1 len=0 val=0x7f, pad
        byte[] p = hex("91 6f 0001 00000000 00000001 00000002 bede 0001 107f0000 aa");
        assertEquals(12 + 4 + 4 + 4, RtpHeader.headerLength(p, 0, p.length));
    }

    @Test
    void rejectsWrongVersionAndTruncatedExtension() {
        byte[] v1 = hex("40 6f 0001 00000000 00000001");
        assertEquals(-1, RtpHeader.headerLength(v1, 0, v1.length));
        // extension says 2 words but only 1 present
        byte[] truncated = hex("90 6f 0001 00000000 00000001 bede 0002 10ff0000");
        assertEquals(-1, RtpHeader.headerLength(truncated, 0, truncated.length));
        byte[] short11 = hex("80 6f 0001 00000000 000000");
        assertFalse(RtpHeader.headerLength(short11, 0, short11.length) >= 0);
    }
}
