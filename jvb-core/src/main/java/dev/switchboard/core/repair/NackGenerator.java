package dev.switchboard.core.repair;

import java.util.function.LongSupplier;

/**
 * Decides which packets of one received RTP stream to NACK (RFC 4585 section 6.2.1): it follows the sequence
 * numbers as they arrive (16-bit wrap-around and reordering included), remembers the gaps, and hands out the
 * missing numbers that are due: at once when a gap appears, then again every retry interval (the larger of
 * the RTT and a minimum), at most {@code maxRetries} times and for at most {@code maxAge}. A packet that
 * arrives late (reordered or retransmitted) leaves the list.
 *
 * <p>Losses that cannot be repaired raise a keyframe request ({@link #takeKeyframeRequest()}): a gap larger
 * than the list, or entries dropped to make room, or given up after their retries or age. A keyframe makes
 * every older loss irrelevant ({@link #onKeyframe}).
 *
 * <p>Time comes from the injected nanosecond clock. Allocation-free after construction. Not thread-safe:
 * confined to the media loop receiving the stream.
 */
public final class NackGenerator {
    private static final long NEVER = Long.MIN_VALUE;

    /**
     * @param maxMissing most missing packets tracked at once
     * @param maxRetries how many times a packet is NACKed at most
     * @param maxAgeNanos how long after its loss was noticed a packet is still worth asking for
     * @param minRetryIntervalNanos the shortest interval between two NACKs of the same packet
     * @param initialRttNanos the RTT assumed until {@link #setRtt} is called
     */
    public record Config(int maxMissing, int maxRetries, long maxAgeNanos, long minRetryIntervalNanos,
            long initialRttNanos) {
        public Config {
            if (maxMissing < 1 || maxRetries < 1 || maxAgeNanos <= 0 || minRetryIntervalNanos < 0
                    || initialRttNanos < 0) {
                throw new IllegalArgumentException(toString());
            }
        }

        /** 1000 packets, 10 retries, 1 s, 20 ms, RTT 100 ms. */
        public static Config defaults() {
            return new Config(1000, 10, 1_000_000_000L, 20_000_000L, 100_000_000L);
        }
    }

    private final LongSupplier nanoClock;
    private final Config config;
    private long rttNanos;
    /** Highest extended sequence number received, -1 before the first packet. */
    private long highest = -1;
    private boolean keyframeNeeded;

    /**
     * Missing packets, ascending by extended sequence number. Made at the stream's first loss (many streams
     * never lose a packet; these arrays would otherwise be 28 KB per stream for the whole call).
     */
    private long[] missing;
    private long[] detectedAt;
    private long[] lastNackAt;
    private int[] retries;
    private int count;

    public NackGenerator(LongSupplier nanoClock, Config config) {
        this.nanoClock = nanoClock;
        this.config = config;
        this.rttNanos = config.initialRttNanos();
    }

    /** The round-trip time to the sender (from RTCP), which paces retries. */
    public void setRtt(long rttNanos) {
        this.rttNanos = Math.max(0, rttNanos);
    }

    /**
     * Records a received packet (original or recovered retransmission) by its 16-bit sequence number.
     *
     * @return true when it filled a gap (it had been missing)
     */
    public boolean onReceived(int sequenceNumber) {
        if (highest < 0) {
            highest = sequenceNumber & 0xFFFF;
            return false;
        }
        long extended = extend(sequenceNumber);
        if (extended <= highest) {
            return remove(extended);
        }
        long gap = extended - highest - 1;
        if (gap > 0) {
            addMissing(highest + 1, gap, nanoClock.getAsLong());
        }
        highest = extended;
        return false;
    }

    /**
     * A keyframe starts at {@code sequenceNumber}: packets before it are no longer needed, and a pending
     * keyframe request is satisfied.
     */
    public void onKeyframe(int sequenceNumber) {
        if (highest < 0) {
            return;
        }
        long extended = extend(sequenceNumber);
        int keep = 0;
        while (keep < count && missing[keep] < extended) {
            keep++;
        }
        shiftOut(0, keep);
        keyframeNeeded = false;
    }

    /**
     * Writes the sequence numbers due for a NACK now into {@code out} (at most {@code out.length}, lowest
     * first) and counts them as sent; drops entries that ran out of retries or time.
     *
     * @return how many were written
     */
    public int collectDue(int[] out) {
        long now = nanoClock.getAsLong();
        long interval = Math.max(config.minRetryIntervalNanos(), rttNanos);
        int n = 0;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            boolean due = lastNackAt[i] == NEVER || now - lastNackAt[i] >= interval;
            boolean expired = now - detectedAt[i] > config.maxAgeNanos();
            if (expired || (due && retries[i] >= config.maxRetries())) {
                keyframeNeeded = true; // given up: the decoder will not get this packet
                continue;
            }
            if (due && n < out.length) {
                out[n++] = (int) (missing[i] & 0xFFFF);
                lastNackAt[i] = now;
                retries[i]++;
            }
            if (kept != i) {
                move(i, kept);
            }
            kept++;
        }
        count = kept;
        return n;
    }

    /**
     * Whether unrecoverable loss happened since the last call (or since {@link #onKeyframe}); clears the flag.
     */
    public boolean takeKeyframeRequest() {
        boolean needed = keyframeNeeded;
        keyframeNeeded = false;
        return needed;
    }

    /** Packets currently considered missing. */
    public int missingCount() {
        return count;
    }

    /** Forgets everything, e.g. when the sender restarts the stream. */
    public void reset() {
        highest = -1;
        count = 0;
        keyframeNeeded = false;
    }

    /** The extended sequence number closest to the highest one received. */
    private long extend(int sequenceNumber) {
        int delta = (short) (sequenceNumber - (int) highest); // signed 16-bit distance
        return highest + delta;
    }

    private void addMissing(long first, long gap, long now) {
        if (missing == null) {
            missing = new long[config.maxMissing()];
            detectedAt = new long[config.maxMissing()];
            lastNackAt = new long[config.maxMissing()];
            retries = new int[config.maxMissing()];
        }
        int capacity = missing.length;
        if (gap > capacity) {
            count = 0; // too much lost to repair one by one
            keyframeNeeded = true;
            return;
        }
        int overflow = (int) (count + gap - capacity);
        if (overflow > 0) {
            shiftOut(0, overflow);
            keyframeNeeded = true;
        }
        for (long seq = first; seq < first + gap; seq++) {
            missing[count] = seq;
            detectedAt[count] = now;
            lastNackAt[count] = NEVER;
            retries[count] = 0;
            count++;
        }
    }

    private boolean remove(long extended) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (missing[mid] < extended) {
                low = mid + 1;
            } else if (missing[mid] > extended) {
                high = mid - 1;
            } else {
                System.arraycopy(missing, mid + 1, missing, mid, count - mid - 1);
                System.arraycopy(detectedAt, mid + 1, detectedAt, mid, count - mid - 1);
                System.arraycopy(lastNackAt, mid + 1, lastNackAt, mid, count - mid - 1);
                System.arraycopy(retries, mid + 1, retries, mid, count - mid - 1);
                count--;
                return true;
            }
        }
        return false;
    }

    /** Removes the first {@code n} entries from {@code from} on (from = 0: the oldest). */
    private void shiftOut(int from, int n) {
        if (n <= 0) {
            return;
        }
        int rest = count - from - n;
        System.arraycopy(missing, from + n, missing, from, rest);
        System.arraycopy(detectedAt, from + n, detectedAt, from, rest);
        System.arraycopy(lastNackAt, from + n, lastNackAt, from, rest);
        System.arraycopy(retries, from + n, retries, from, rest);
        count -= n;
    }

    private void move(int from, int to) {
        missing[to] = missing[from];
        detectedAt[to] = detectedAt[from];
        lastNackAt[to] = lastNackAt[from];
        retries[to] = retries[from];
    }
}
