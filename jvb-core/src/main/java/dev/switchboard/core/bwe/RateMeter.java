package dev.switchboard.core.bwe;

/**
 * A bit rate measured over consecutive windows of {@link #WINDOW_NANOS}, each closed window averaged into the
 * previous estimate with weight one half (smooths keyframe bursts). Allocation-free; one thread.
 */
public final class RateMeter {
    public static final long WINDOW_NANOS = 500_000_000L;

    private long windowStartNanos = Long.MIN_VALUE;
    private long bytes;
    private double bps = -1;

    /** Counts {@code size} bytes at {@code nowNanos}. */
    public void add(int size, long nowNanos) {
        roll(nowNanos);
        bytes += size;
    }

    private void roll(long nowNanos) {
        if (windowStartNanos == Long.MIN_VALUE) {
            windowStartNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed < WINDOW_NANOS) {
            return;
        }
        double measured = bytes * 8e9 / elapsed;
        if (elapsed > 4 * WINDOW_NANOS) {
            bps = measured; // after a long silence the old figure means nothing
        } else {
            bps = bps < 0 ? measured : (bps + measured) / 2;
        }
        bytes = 0;
        windowStartNanos = nowNanos;
    }

    /** The rate in bits per second, 0 before the first window closed. */
    public long bps(long nowNanos) {
        roll(nowNanos);
        return bps < 0 ? 0 : (long) bps;
    }
}
