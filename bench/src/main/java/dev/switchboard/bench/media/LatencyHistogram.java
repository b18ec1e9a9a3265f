package dev.switchboard.bench.media;

/**
 * A log-linear histogram of non-negative values (nanoseconds here): exact below 64, then 32 buckets per
 * power of two, so any reported percentile is within about 1.6% of a recorded value (bucket midpoint).
 * Covers the whole {@code long} range in 1,888 counters; recording allocates nothing.
 *
 * <p>Not thread-safe: each receive thread records into its own and they are {@link #merge merged} at the
 * end.
 */
public final class LatencyHistogram {
    private static final int LINEAR = 64;
    private static final int PER_OCTAVE = 32;
    static final int BUCKETS = LINEAR + 57 * PER_OCTAVE;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long min = Long.MAX_VALUE;
    private double sum;

    public void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
        if (v < min) {
            min = v;
        }
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - 5;
        int mantissa = (int) (v >>> shift); // 32..63
        return LINEAR + (shift - 1) * PER_OCTAVE + (mantissa - PER_OCTAVE);
    }

    /** Smallest value that falls in bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / PER_OCTAVE + 1;
        long mantissa = (index - LINEAR) % PER_OCTAVE + PER_OCTAVE;
        return mantissa << shift;
    }

    /** Width of bucket {@code index}. */
    static long width(int index) {
        return index < LINEAR ? 1 : 1L << ((index - LINEAR) / PER_OCTAVE + 1);
    }

    /**
     * The value at quantile {@code q} (0..1]: the midpoint of the bucket holding the ceil(q*count)-th
     * smallest value, never above the exact maximum. 0 when empty.
     */
    public long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long mid = lowerBound(i) + (width(i) - 1) / 2;
                return Math.max(Math.min(mid, max), min);
            }
        }
        return max;
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    public long min() {
        return total == 0 ? 0 : min;
    }

    public double mean() {
        return total == 0 ? 0 : sum / total;
    }

    /** Adds every value of {@code other} to this histogram. */
    public void merge(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
        min = Long.MAX_VALUE;
        sum = 0;
    }
}
