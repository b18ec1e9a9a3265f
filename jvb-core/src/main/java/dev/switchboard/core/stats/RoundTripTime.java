package dev.switchboard.core.stats;

/**
 * Round-trip time between the bridge and one endpoint, measured on the RTCP it receives (RFC 3550 section
 * 6.4.1): the bridge forwards senders' SRs to the endpoint and notes when; the endpoint's report blocks
 * about those senders echo the SR's compact NTP timestamp (LSR) and the delay it held it (DLSR); so
 * {@code RTT = arrival of the report - forwarding time - DLSR}. The estimate is smoothed (7/8 old, 1/8 new,
 * the first sample taken as is).
 *
 * <p>Keeps the last {@link #REMEMBERED} forwarded SRs. Allocation-free; not thread-safe (the media loop).
 */
public final class RoundTripTime {
    public static final int REMEMBERED = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** How far below zero a sample may be and still count as 0 (DLSR rounding, clock granularity). */
    private static final long MAX_ROUNDING_NANOS = 1_000_000L;

    private final long[] ssrcs = new long[REMEMBERED];
    private final long[] compactNtps = new long[REMEMBERED];
    private final long[] forwardedAt = new long[REMEMBERED];
    private int next;
    private int size;
    private long smoothedNanos = -1;
    private long latestNanos = -1;

    /** An SR of {@code ssrc} with this compact NTP timestamp (LSR value) was sent to the endpoint at {@code nowNanos}. */
    public void onSenderReportSent(long ssrc, long compactNtp, long nowNanos) {
        ssrcs[next] = ssrc;
        compactNtps[next] = compactNtp & 0xFFFF_FFFFL;
        forwardedAt[next] = nowNanos;
        next = (next + 1) % REMEMBERED;
        size = Math.min(size + 1, REMEMBERED);
    }

    /**
     * A report block from the endpoint arrived at {@code arrivalNanos}: {@code ssrc}, LSR and DLSR as on the
     * wire. Blocks with LSR 0 (no SR received yet) or naming an SR this estimator did not see are ignored.
     *
     * @return true when it gave a sample
     */
    public boolean onReportBlock(long ssrc, long lastSr, long delaySinceLastSr, long arrivalNanos) {
        if (lastSr == 0) {
            return false;
        }
        for (int k = 0; k < size; k++) {
            int i = Math.floorMod(next - 1 - k, REMEMBERED);
            if (ssrcs[i] == ssrc && compactNtps[i] == lastSr) {
                long held = (delaySinceLastSr * NANOS_PER_SECOND) >> 16;
                long sample = arrivalNanos - forwardedAt[i] - held;
                if (sample < -MAX_ROUNDING_NANOS) {
                    return false; // an inconsistent report (a clock or a DLSR that cannot be right)
                }
                sample = Math.max(0, sample); // DLSR is rounded down to 1/65536 s
                latestNanos = sample;
                smoothedNanos = smoothedNanos < 0 ? sample : (7 * smoothedNanos + sample) / 8;
                return true;
            }
        }
        return false;
    }

    /** The smoothed round-trip time in nanoseconds, or -1 before the first sample. */
    public long nanos() {
        return smoothedNanos;
    }

    /** The latest sample, or -1. */
    public long latestNanos() {
        return latestNanos;
    }
}
