package dev.switchboard.bench.media;

/**
 * A video encoder's rate control reduced to what a forwarder sees: how many packets each frame has. The
 * long-run average is the target bitrate; key frames are {@code keyFrameFactor} times a nominal frame and
 * the following delta frames shrink until the overshoot is paid back (at least one packet per frame).
 *
 * <p>When a nominal frame is at least one full packet, every packet is exactly {@code packetSize} bytes
 * (the benchmark's "1200-byte packets"); smaller layers (simulcast) send one shorter packet per frame.
 */
public final class FrameSizer {
    private final int packetSize;
    private final int minPacketSize;
    private final double nominalBytes;
    private final double keyFrameFactor;
    private double credit;
    private int lastPacketSize;

    /**
     * @param bitsPerSecond  target bitrate counting whole RTP packets
     * @param fps            frames per second
     * @param packetSize     RTP packet size in bytes (header included)
     * @param minPacketSize  smallest packet the sender builds (must hold headers)
     * @param keyFrameFactor key frame size relative to a nominal frame
     */
    public FrameSizer(long bitsPerSecond, int fps, int packetSize, int minPacketSize, double keyFrameFactor) {
        if (bitsPerSecond <= 0 || fps <= 0 || packetSize < minPacketSize) {
            throw new IllegalArgumentException("invalid frame sizer parameters");
        }
        this.packetSize = packetSize;
        this.minPacketSize = minPacketSize;
        this.nominalBytes = bitsPerSecond / 8.0 / fps;
        this.keyFrameFactor = keyFrameFactor;
    }

    /** Number of packets of the next frame; {@link #lastPacketSize()} tells the size of its last packet. */
    public int nextFrame(boolean keyFrame) {
        credit += nominalBytes;
        double want = keyFrame ? Math.max(nominalBytes * keyFrameFactor, credit) : credit;
        if (nominalBytes < packetSize) {
            // Sub-packet frames (low simulcast layers): one packet, sized by the credit.
            int size = (int) Math.max(minPacketSize, Math.min(packetSize, Math.round(want)));
            if (keyFrame && want > packetSize) {
                int packets = (int) Math.ceil(want / packetSize);
                int last = (int) Math.max(minPacketSize, Math.round(want - (packets - 1) * (double) packetSize));
                credit -= (packets - 1) * (double) packetSize + last;
                lastPacketSize = last;
                return packets;
            }
            credit -= size;
            lastPacketSize = size;
            return 1;
        }
        int packets = (int) Math.max(1, Math.round(want / packetSize));
        credit -= packets * (double) packetSize;
        lastPacketSize = packetSize;
        return packets;
    }

    /** Size in bytes of the last packet of the frame {@link #nextFrame} described. */
    public int lastPacketSize() {
        return lastPacketSize;
    }

    public int packetSize() {
        return packetSize;
    }
}
