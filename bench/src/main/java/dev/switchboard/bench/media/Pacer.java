package dev.switchboard.bench.media;

/**
 * Spreads a sender's video packets in time like libwebrtc's pacer: packets leave at a pacing rate (by
 * default 2.5 times the media bitrate), so a frame's packets are spaced instead of sent in one burst. When
 * the send loop wakes up late it may catch up by at most {@code maxCreditNanos} worth of packets.
 *
 * <p>Pure logic over a caller-supplied clock; not thread-safe.
 */
public final class Pacer {
    private final double nanosPerByte;
    private final long maxCreditNanos;
    private long nextAllowed = Long.MIN_VALUE;

    /**
     * @param pacingBitsPerSecond the rate packets leave at
     * @param maxCreditNanos      how far behind the schedule a late loop may send back-to-back
     */
    public Pacer(double pacingBitsPerSecond, long maxCreditNanos) {
        if (pacingBitsPerSecond <= 0) {
            throw new IllegalArgumentException("pacing rate must be positive");
        }
        this.nanosPerByte = 8e9 / pacingBitsPerSecond;
        this.maxCreditNanos = maxCreditNanos;
    }

    /** Whether a packet may leave at {@code now}. */
    public boolean canSend(long now) {
        return nextAllowed == Long.MIN_VALUE || now >= nextAllowed;
    }

    /** When the next packet may leave (at or before {@code now} means at once). */
    public long nextSendTime(long now) {
        return nextAllowed == Long.MIN_VALUE ? now : nextAllowed;
    }

    /** Records a packet of {@code bytes} sent at {@code now}. */
    public void onSent(long now, int bytes) {
        long base = nextAllowed == Long.MIN_VALUE ? now : Math.max(nextAllowed, now - maxCreditNanos);
        nextAllowed = base + (long) (bytes * nanosPerByte);
    }
}
