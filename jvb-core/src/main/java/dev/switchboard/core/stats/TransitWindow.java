package dev.switchboard.core.stats;

import dev.switchboard.core.api.BridgeStatistics;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The last {@code seconds} seconds of every media loop's {@link TransitRecorder}: {@link #roll} (once a second,
 * from a timer) moves what the loops recorded into a ring of one-second histograms, {@link #snapshot} merges the
 * ring. Thread-safe; allocates only when built and per snapshot, never on the packet path.
 */
public final class TransitWindow {
    private final List<TransitRecorder> recorders;
    private final Histogram[] seconds;
    private final Histogram merged = TransitRecorder.newHistogram();
    private int current;

    public TransitWindow(List<TransitRecorder> recorders, int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("seconds must be >= 1");
        }
        this.recorders = List.copyOf(recorders);
        this.seconds = new Histogram[seconds];
        for (int i = 0; i < seconds; i++) {
            this.seconds[i] = TransitRecorder.newHistogram();
        }
    }

    /** Ends a second: what the loops recorded since the last roll replaces the oldest second of the ring. */
    public synchronized void roll() {
        current = (current + 1) % seconds.length;
        Histogram now = seconds[current];
        now.reset();
        for (TransitRecorder recorder : recorders) {
            recorder.drainInto(now);
        }
    }

    /** Percentiles over the window's completed seconds. */
    public synchronized BridgeStatistics.Transit snapshot() {
        merged.reset();
        for (Histogram second : seconds) {
            merged.add(second);
        }
        if (merged.getTotalCount() == 0) {
            return BridgeStatistics.Transit.NONE;
        }
        return new BridgeStatistics.Transit(merged.getTotalCount(), merged.getValueAtPercentile(50),
                merged.getValueAtPercentile(99), merged.getValueAtPercentile(99.9), merged.getMaxValue());
    }
}
