package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

/** Serializes a packet at an odd offset (so offset bugs show) and returns exactly its bytes. */
final class RtcpRoundTrip {
    private RtcpRoundTrip() {}

    static byte[] serialize(RtcpPacket packet) {
        int off = 3;
        byte[] out = new byte[off + packet.length() + 5];
        Arrays.fill(out, (byte) 0x5A); // garbage the serializer must overwrite
        int written = packet.serialize(out, off);
        assertEquals(packet.length(), written, "serialize returns length()");
        assertEquals(0, written % 4, "RTCP packets are 32-bit aligned");
        return Arrays.copyOfRange(out, off, off + written);
    }
}
