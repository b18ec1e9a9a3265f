package dev.switchboard.bench.gen;

import dev.switchboard.bench.media.FrameSizer;

/** Send state of one video layer (one SSRC): sequence numbers, VP8 picture ids, rate control, NACK history. */
final class VideoLayer {
    static final int HISTORY = 128;

    final int layer;
    final long ssrc;
    final FrameSizer sizer;
    final int width;
    final int height;
    final long timestampBase;
    int seq;
    int pictureId;
    int tl0PicIdx;
    long frames;
    boolean keyFramePending = true;
    long lastKeyFrameNanos = Long.MIN_VALUE / 2;
    long packets;
    long octets;
    // plain RTP of the last HISTORY packets, for retransmission on NACK
    final byte[][] history;
    final int[] historyLength = new int[HISTORY];
    final int[] historySeq = new int[HISTORY];
    /** When each remembered packet was last retransmitted (several receivers NACK the same loss). */
    final long[] historyResentNanos = new long[HISTORY];

    VideoLayer(int layer, long ssrc, FrameSizer sizer, int width, int height, java.util.Random random, int maxPacket) {
        this.layer = layer;
        this.ssrc = ssrc;
        this.sizer = sizer;
        this.width = width;
        this.height = height;
        this.timestampBase = random.nextInt() & 0xFFFFFFFFL;
        this.seq = random.nextInt(1 << 15);
        this.pictureId = random.nextInt(1 << 15);
        this.tl0PicIdx = random.nextInt(256);
        this.history = new byte[HISTORY][maxPacket];
        java.util.Arrays.fill(historySeq, -1);
    }

    void remember(int sequence, byte[] src, int off, int len) {
        int slot = sequence & (HISTORY - 1);
        System.arraycopy(src, off, history[slot], 0, len);
        historyLength[slot] = len;
        historySeq[slot] = sequence;
        historyResentNanos[slot] = Long.MIN_VALUE / 2;
    }
}
