package dev.switchboard.core.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.testing.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtxPacketTest {
    static final byte[] ORIGINAL = Hex.bytes(
            "90 e0 1234", //    V=2 P=0 X=1 CC=0 | M=1 PT=96 | seq 0x1234
            "deadbeef", //      timestamp
            "11223344", //      SSRC (media)
            "bede 0001", //     one-byte header extension block, 1 word
            "10 ab 0000", //    id 1, 1 byte: 0xab; padding
            "0102030405"); //   payload

    static final byte[] RTX = Hex.bytes(
            "90 e1 0007", //    same flags, M=1 kept | PT=97 (RTX) | RTX stream's own seq 7
            "deadbeef", //      timestamp kept
            "55667788", //      RTX SSRC
            "bede 0001", //     header extension kept
            "10 ab 0000",
            "1234", //          OSN: the original sequence number (RFC 4588 section 4)
            "0102030405"); //   original payload

    @Test
    void wrapsAndRestoresTheFixture() {
        byte[] out = new byte[64];
        int len = RtxPacket.toRtx(ORIGINAL, 0, ORIGINAL.length, out, 4, 0x55667788L, 97, 7);
        assertEquals(ORIGINAL.length + RtxPacket.OSN_LENGTH, len);
        assertArrayEquals(RTX, Arrays.copyOfRange(out, 4, 4 + len));
        assertEquals(0x1234, RtxPacket.originalSequenceNumber(out, 4, len));

        int restored = RtxPacket.restoreInPlace(out, 4, len, 0x11223344L, 96);
        assertEquals(ORIGINAL.length, restored);
        assertArrayEquals(ORIGINAL, Arrays.copyOfRange(out, 4, 4 + restored));
    }

    @Test
    void wrapsInPlace() {
        byte[] buf = Arrays.copyOf(ORIGINAL, ORIGINAL.length + 2);
        int len = RtxPacket.toRtx(buf, 0, ORIGINAL.length, buf, 0, 0x55667788L, 97, 7);
        assertArrayEquals(RTX, Arrays.copyOf(buf, len));
    }

    @Test
    void dropsThePaddingOfTheOriginal() {
        // the original payload "0102" followed by 3 bytes of padding (P=1, last octet 3)
        byte[] padded = Hex.bytes("a0 60 0001 00000010 00000001 0102 000003");
        byte[] out = new byte[32];
        int len = RtxPacket.toRtx(padded, 0, padded.length, out, 0, 2, 97, 9);
        assertArrayEquals(Hex.bytes("80 61 0009 00000010 00000002 0001 0102"), Arrays.copyOf(out, len));
    }

    @Test
    void keepsThePaddingOfAnRtxPacketWhenRestoring() {
        byte[] rtxPadded = Hex.bytes("a0 61 0009 00000010 00000002 0001 0102 0002");
        int len = RtxPacket.restoreInPlace(rtxPadded, 0, rtxPadded.length, 1, 96);
        assertArrayEquals(Hex.bytes("a0 60 0001 00000010 00000001 0102 0002"), Arrays.copyOf(rtxPadded, len));
        assertEquals(2, RtpFields.paddingLength(rtxPadded, 0, len));
    }

    @Test
    void paddingOnlyRtxHasNoOriginal() {
        // Chrome's bandwidth probes: RTX packets with padding and no payload
        byte[] probe = Hex.bytes("a0 61 0009 00000010 00000002 00000004");
        assertEquals(-1, RtxPacket.originalSequenceNumber(probe, 0, probe.length));
        assertEquals(-1, RtxPacket.restoreInPlace(probe, 0, probe.length, 1, 96));
        byte[] oneByte = Hex.bytes("80 61 0009 00000010 00000002 01");
        assertEquals(-1, RtxPacket.restoreInPlace(oneByte, 0, oneByte.length, 1, 96));
    }

    @Test
    void rejectsMalformedOriginal() {
        byte[] bad = Hex.bytes("a0 60 0001 00000010 00000001 0102 0000ff"); // padding count beyond the packet
        assertEquals(-1, RtxPacket.toRtx(bad, 0, bad.length, new byte[32], 0, 2, 97, 9));
        assertEquals(-1, RtxPacket.toRtx(bad, 0, 11, new byte[32], 0, 2, 97, 9));
        assertEquals(12, RtpHeader.headerLength(bad, 0, bad.length));
    }
}
