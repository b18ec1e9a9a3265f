package dev.switchboard.core.bwe;

/**
 * When and how fast the bridge probes one receiver's downlink, and what the probes proved. The bridge sends
 * probes only while the receiver's layer allocation is limited by the bandwidth estimate (a higher layer is
 * wanted by the receiver's constraints but does not fit): without them the estimate could only grow as fast as
 * the forwarded media's additive increase (10-23 s from the lowest layer back to 360 lines after the downlink
 * recovered, in {@code DownlinkLimitE2ETest} before probing).
 *
 * <ul>
 *   <li><b>An attempt</b> is two {@link ProbeCluster}s back to back, at {@link #FIRST_MULTIPLIER} and
 *       {@link #SECOND_MULTIPLIER} times the estimate, both bounded by what the wanted allocation needs
 *       ({@code needed * }{@link #TARGET_MARGIN}; one cluster when the bound makes them equal).</li>
 *   <li><b>Result</b>: once every packet of the attempt is reported (or {@link #RESULT_TIMEOUT_NANOS} after the
 *       last was sent), the highest rate a cluster proved ({@link ProbeCluster#resultBps}), unless the delay
 *       detector saw overuse meanwhile; the caller raises the estimate to it.</li>
 *   <li><b>Exponential probing</b>: when the faster cluster succeeded and the allocation is still limited, the
 *       next attempt starts at once, from the raised estimate. <b>Periodic probing</b> (the allocation stays
 *       limited, application-limited in GCC's terms): when only the slower cluster succeeded, again after
 *       {@link #RETRY_NANOS}; when both failed, after a back-off that starts at {@link #RETRY_NANOS} and doubles
 *       per failed attempt up to {@link #MAX_BACKOFF_NANOS}. A limit that ends (nothing more wanted) resets it,
 *       so the next limited episode probes at once.</li>
 *   <li><b>Overhead cap</b>: an attempt needs credit for its bytes, counted in seconds of the estimate (an
 *       attempt at 2x and 3x for 30 ms each costs 0.15 s of it); credit accrues at {@link #OVERHEAD} seconds per
 *       second (5 % of the estimate on average) and holds at most {@link #CREDIT_SECONDS}: three attempts in a
 *       row, then one per 3 s. Failed attempts every 4 s cost under 4 % of the estimate.</li>
 * </ul>
 *
 * <p>Pacing: the caller asks {@link #due} on every pacing turn and sends one packet per cluster it returns.
 * Time is passed in (the conference clock). Media loop only; preallocated, allocation-free.
 */
public final class ProbeScheduler {
    static final double FIRST_MULTIPLIER = 2;
    static final double SECOND_MULTIPLIER = 3;
    /** Probes go at most this much above what the wanted allocation needs. */
    static final double TARGET_MARGIN = 1.1;
    static final long RETRY_NANOS = 1_000_000_000L;
    static final long MAX_BACKOFF_NANOS = 4_000_000_000L;
    /**
     * No attempt starts this soon after the estimate was cut: right after congestion the bottleneck's queue is
     * still full, and a probe burst would only add to it (and fail).
     */
    static final long HOLD_AFTER_DECREASE_NANOS = 1_000_000_000L;
    /** After the last packet of an attempt, packets not reported within this long count as lost. */
    static final long RESULT_TIMEOUT_NANOS = 1_000_000_000L;
    static final double OVERHEAD = 0.05;
    static final double CREDIT_SECONDS = 0.5;

    private final ProbeCluster[] clusters = {new ProbeCluster(), new ProbeCluster()};
    private final long[] targets = new long[2];
    private int count;
    /** Index of the cluster being sent; {@code count} once all are sent. */
    private int sending;
    private boolean active;
    private int packetSize;
    private int lastId;
    private long nextAttemptNanos = Long.MIN_VALUE;
    private long backoffNanos;
    private long decreasedAtNanos = Long.MIN_VALUE;
    /** Probe credit in seconds of the estimate; -1 before the first {@link #plan}. */
    private double creditSeconds = -1;
    private long creditAtNanos;
    private int succeededInLastAttempt;

    /**
     * After each allocation: starts an attempt when the allocation is {@code limited} by the estimate,
     * {@code neededBps} (what the wanted layers need, with the allocator's headroom) exceeds the estimate, the
     * receiver can be probed ({@code canProbe}: it negotiated RTX for a stream it gets), the attempt is due and
     * there is credit for it. Returns whether probe packets are waiting to be paced out.
     */
    public boolean plan(long estimateBps, long neededBps, boolean limited, boolean canProbe, int probePacketSize,
            long nowNanos) {
        refill(nowNanos);
        if (active) {
            return sending < count;
        }
        if (!limited || !canProbe || neededBps <= estimateBps) {
            backoffNanos = 0;
            nextAttemptNanos = Long.MIN_VALUE;
            return false;
        }
        if (nextAttemptNanos != Long.MIN_VALUE && nowNanos - nextAttemptNanos < 0) {
            return false;
        }
        if (decreasedAtNanos != Long.MIN_VALUE && nowNanos - decreasedAtNanos < HOLD_AFTER_DECREASE_NANOS) {
            return false;
        }
        long bound = (long) (neededBps * TARGET_MARGIN);
        targets[0] = Math.min((long) (FIRST_MULTIPLIER * estimateBps), bound);
        targets[1] = Math.min((long) (SECOND_MULTIPLIER * estimateBps), bound);
        count = targets[1] > targets[0] ? 2 : 1;
        long bytes = ProbeCluster.bytes(targets[0], probePacketSize)
                + (count == 2 ? ProbeCluster.bytes(targets[1], probePacketSize) : 0);
        double cost = bytes * 8.0 / estimateBps;
        if (creditSeconds < cost) {
            return false;
        }
        creditSeconds -= cost;
        packetSize = probePacketSize;
        sending = 0;
        active = true;
        clusters[0].start(nextId(), targets[0], packetSize, nowNanos);
        return true;
    }

    /** The estimate was last cut at {@code nanos} ({@link BandwidthEstimator#decreasedAtNanos}). */
    public void estimateDecreasedAt(long nanos) {
        decreasedAtNanos = nanos;
    }

    private void refill(long nowNanos) {
        if (creditSeconds < 0) {
            creditSeconds = CREDIT_SECONDS;
        } else {
            creditSeconds = Math.min(CREDIT_SECONDS,
                    creditSeconds + Math.max(0, nowNanos - creditAtNanos) / 1e9 * OVERHEAD);
        }
        creditAtNanos = nowNanos;
    }

    private int nextId() {
        lastId = lastId % 255 + 1;
        return lastId;
    }

    /**
     * The cluster whose next packet is due at {@code nowNanos}, or null: the caller sends one packet of it (of
     * {@link ProbeCluster#packetSize}, numbered into the cluster {@link ProbeCluster#id}) and calls
     * {@link ProbeCluster#onSent}, then asks again.
     */
    public ProbeCluster due(long nowNanos) {
        if (!active || sending >= count) {
            return null;
        }
        ProbeCluster cluster = clusters[sending];
        if (cluster.allSent()) {
            sending++;
            if (sending >= count) {
                return null;
            }
            cluster = clusters[sending];
            cluster.start(nextId(), targets[sending], packetSize, nowNanos);
        }
        return cluster.due(nowNanos) ? cluster : null;
    }

    /** Whether packets of the attempt are still to be sent. */
    public boolean sending() {
        return active && sending < count;
    }

    /** The attempt is given up before its end (the receiver can no longer be probed): no result, no back-off. */
    public void cancel() {
        active = false;
    }

    /** Feedback reports a packet sent in cluster {@code clusterId}; see {@link ProbeCluster#onReport}. */
    public void onReport(int clusterId, boolean received, long arrivalUs, boolean wasLost) {
        if (!active) {
            return;
        }
        for (int i = 0; i < count && i <= sending; i++) {
            if (clusters[i].id() == clusterId) {
                clusters[i].onReport(received, arrivalUs, wasLost);
                return;
            }
        }
    }

    /**
     * At the end of each feedback: when the attempt is complete, its result (the highest rate a cluster proved,
     * none when {@code overuse}) and the time of the next attempt. Returns that rate in bit/s, or -1 (no attempt
     * complete now, or it failed).
     */
    public long onFeedbackEnd(long nowNanos, boolean overuse) {
        if (!active || sending < count) {
            return -1;
        }
        ProbeCluster last = clusters[count - 1];
        boolean reported = true;
        for (int i = 0; i < count; i++) {
            reported &= clusters[i].allReported();
        }
        if (!reported && nowNanos - last.lastSendNanos() < RESULT_TIMEOUT_NANOS) {
            return -1;
        }
        active = false;
        long best = -1;
        succeededInLastAttempt = 0;
        for (int i = 0; i < count && !overuse; i++) {
            long result = clusters[i].resultBps();
            if (result > 0) {
                succeededInLastAttempt++;
                best = Math.max(best, result);
            }
        }
        if (best < 0) {
            backoffNanos = backoffNanos == 0 ? RETRY_NANOS : Math.min(2 * backoffNanos, MAX_BACKOFF_NANOS);
            nextAttemptNanos = nowNanos + backoffNanos;
        } else {
            backoffNanos = 0;
            nextAttemptNanos = last.resultBps() > 0 ? nowNanos : nowNanos + RETRY_NANOS;
        }
        return best;
    }

    /** Clusters of the attempt {@link #onFeedbackEnd} last completed that succeeded. */
    public int succeededInLastAttempt() {
        return succeededInLastAttempt;
    }

    /** When the next attempt may start ({@link Long#MIN_VALUE}: as soon as the allocation is limited). */
    public long nextAttemptNanos() {
        return nextAttemptNanos;
    }
}
