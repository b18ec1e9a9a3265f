package dev.switchboard.core.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Records how long received packets spend in the bridge, from their socket read (the receive stamp) to the last
 * of their copies handed to the socket, in microseconds (HdrHistogram, 2 significant digits, up to
 * {@link #MAX_MICROS}; longer times count as that).
 *
 * <p>One per media loop: only that loop's thread calls {@link #record}, which allocates nothing; any thread may
 * take what was recorded since it last did ({@link #drainInto}), as {@link TransitWindow} does once a second.
 */
public final class TransitRecorder {
    public static final long MAX_MICROS = 10_000_000L;
    private static final int DIGITS = 2;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(MAX_MICROS, DIGITS);
    private Histogram spare;

    /** Loop thread: one packet spent {@code nanos} in the bridge. */
    public void record(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(nanos / 1000, MAX_MICROS)));
    }

    /** Adds what was recorded since the last call to {@code into}; one reader at a time. */
    synchronized void drainInto(Histogram into) {
        spare = recorder.getIntervalHistogram(spare);
        into.add(spare);
    }

    /** A histogram of the range and precision recorders use. */
    static Histogram newHistogram() {
        return new Histogram(MAX_MICROS, DIGITS);
    }
}
