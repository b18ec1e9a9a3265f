package dev.switchboard.core.bwe;

/**
 * A compact send-side bandwidth estimator in the spirit of Google Congestion Control (draft-ietf-rmcat-gcc-02),
 * fed with what transport-cc feedback says about the packets the bridge sent one receiver. It combines:
 *
 * <ol>
 *   <li><b>Delay trend</b> (sections 5.1-5.4, with the trendline filter of later GCC versions instead of the
 *       Kalman filter). Packets are grouped by send time into bursts of {@link #BURST_NANOS}; for consecutive
 *       groups the one-way delay variation is {@code d = (arrival_i - arrival_{i-1}) - (send_i - send_{i-1})}.
 *       Accumulated, exponentially smoothed ({@link #SMOOTHING}) and regressed over the last
 *       {@link #TREND_WINDOW} groups against arrival time, the slope tells whether queues grow. Multiplied by
 *       {@link #TREND_GAIN} and the number of deltas seen (capped at 60) it is compared with an adaptive
 *       threshold γ (initially 12.5 ms, moving toward |trend| at {@link #THRESHOLD_UP} / {@link #THRESHOLD_DOWN}
 *       per ms, clamped to 6-600 ms): above γ for more than {@link #OVERUSE_NANOS} and still rising is
 *       <i>overuse</i>, below -γ <i>underuse</i>, else <i>normal</i>.</li>
 *   <li><b>Rate control</b> (section 5.5, AIMD). Overuse: the estimate becomes {@link #BETA} times the rate
 *       the receiver actually got (acknowledged bytes over the last {@link #ACKED_WINDOW_NANOS}), at most once
 *       per {@link #DECREASE_INTERVAL_NANOS}; that rate is remembered as the link's congestion point. Normal:
 *       the estimate grows, by 8 % per second while far from the last congestion point, by one packet (1200 bytes)
 *       per response time of 200 ms (48 kbit/s per second) near it (below 1.25 times it). Underuse: hold.</li>
 *   <li><b>Loss</b> (section 6). Over each run of at least {@link #LOSS_MIN_PACKETS} reported packets and
 *       {@link #LOSS_INTERVAL_NANOS}: above
 *       10 % lost, the loss cap becomes {@code estimate * (1 - 0.5 * loss)}; below 2 % it grows by 8 % per
 *       second; in between it holds. The estimate is the smaller of the delay-based rate and this cap.</li>
 * </ol>
 *
 * An estimate whose link has never been congested would grow without limit, so it is kept at most
 * {@code 2 * acked + }{@link #HEADROOM_BPS}, or at the rate the last successful probe proved
 * ({@link #onProbeResult}: the bridge's probe clusters, {@link ProbeScheduler}) when that is higher. A probe
 * result raises the estimate (delay-based rate and loss cap) to the proved rate and forgets the old congestion
 * point, so growth is multiplicative again; the next decrease (delay or loss) forgets the probed rate.
 *
 * <p>Usage per feedback packet: {@link #packet} for each reported packet found in the send history, in
 * transport-wide order, then {@link #update}. Time comes from the caller (the conference clock): no wall
 * clock, no allocation. One thread (the media loop).
 */
public final class BandwidthEstimator {
    public static final long DEFAULT_INITIAL_BPS = 2_500_000;
    public static final long DEFAULT_MIN_BPS = 30_000;
    public static final long DEFAULT_MAX_BPS = 20_000_000;
    static final long BURST_NANOS = 5_000_000;
    static final int TREND_WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double TREND_GAIN = 4.0;
    static final double THRESHOLD_UP = 0.0087;
    static final double THRESHOLD_DOWN = 0.039;
    static final long OVERUSE_NANOS = 10_000_000;
    static final double BETA = 0.85;
    static final long ACKED_WINDOW_NANOS = 500_000_000;
    static final long DECREASE_INTERVAL_NANOS = 200_000_000;
    static final int LOSS_MIN_PACKETS = 20;
    /**
     * Loss is judged over at least this long (about one RTCP report interval, as in GCC): over 300 ms, 5 % random
     * loss on a few dozen packets often looks like more than 10 %, and each such run would cut the estimate.
     */
    static final long LOSS_INTERVAL_NANOS = 1_000_000_000;
    static final long HEADROOM_BPS = 1_000_000;
    private static final double RESPONSE_TIME_S = 0.2;
    private static final double PACKET_BITS = 1200 * 8;

    /** The delay signal. */
    public enum Signal { NORMAL, OVERUSE, UNDERUSE }

    private final long minBps;
    private final long maxBps;
    private double delayBasedBps;
    private double lossCapBps;
    private long lastUpdateNanos = Long.MIN_VALUE;
    private long lastDecreaseNanos = Long.MIN_VALUE;
    /** When the estimate was last cut, by delay (overuse) or by loss; MIN_VALUE before the first cut. */
    private long decreasedAtNanos = Long.MIN_VALUE;
    private double congestionBps = -1;
    /** The rate the last successful probe proved, until the next decrease; 0 when none. */
    private double probedBps;

    // packet groups (send-time bursts)
    private boolean groupOpen;
    private long groupFirstSendNanos;
    private long groupLastSendNanos;
    private long groupLastArrivalUs;
    private boolean previousGroup;
    private long previousSendNanos;
    private long previousArrivalUs;
    private long firstArrivalUs = Long.MIN_VALUE;

    // trendline
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private final double[] trendX = new double[TREND_WINDOW];
    private final double[] trendY = new double[TREND_WINDOW];
    private int trendCount;
    private int trendNext;
    private int deltas;
    private double trend;
    private double previousTrend;
    private double threshold = 12.5;
    private long lastThresholdUpdateUs = Long.MIN_VALUE;
    private long overuseStartUs = Long.MIN_VALUE;
    private int overuseCount;
    private Signal signal = Signal.NORMAL;

    // acknowledged rate: a ring of (arrival-independent) local feedback times and bytes
    private static final int ACKED_RING = 64;
    private final long[] ackedAtNanos = new long[ACKED_RING];
    private final long[] ackedBytes = new long[ACKED_RING];
    private int ackedNext;
    private long bytesThisFeedback;

    // loss
    private int lostInRun;
    private int packetsInRun;
    private int receivedThisFeedback;
    private int lostThisFeedback;
    private double lastLossFraction;
    private long lossRunStartNanos = Long.MIN_VALUE;

    public BandwidthEstimator() {
        this(DEFAULT_INITIAL_BPS, DEFAULT_MIN_BPS, DEFAULT_MAX_BPS);
    }

    public BandwidthEstimator(long initialBps, long minBps, long maxBps) {
        if (minBps <= 0 || minBps > initialBps || initialBps > maxBps) {
            throw new IllegalArgumentException("need 0 < min <= initial <= max: " + minBps + " " + initialBps + " "
                    + maxBps);
        }
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.delayBasedBps = initialBps;
        this.lossCapBps = maxBps;
        java.util.Arrays.fill(ackedAtNanos, Long.MIN_VALUE);
    }

    /**
     * One packet a feedback reports, in transport-wide order: sent at {@code sendNanos} (bridge clock) with
     * {@code size} bytes, arrived at {@code arrivalUs} (receiver clock), or lost ({@code received} false).
     * {@code firstReport}: not reported received before (a packet counts once toward the rate and the loss).
     */
    public void packet(long sendNanos, int size, boolean received, long arrivalUs, boolean firstReport) {
        if (!received) {
            if (firstReport) {
                lostThisFeedback++;
            }
            return;
        }
        if (firstReport) {
            receivedThisFeedback++;
            bytesThisFeedback += size;
        }
        if (groupOpen && sendNanos - groupFirstSendNanos <= BURST_NANOS && sendNanos >= groupFirstSendNanos) {
            groupLastSendNanos = Math.max(groupLastSendNanos, sendNanos);
            groupLastArrivalUs = Math.max(groupLastArrivalUs, arrivalUs);
            return;
        }
        if (groupOpen) {
            closeGroup();
        }
        groupOpen = true;
        groupFirstSendNanos = sendNanos;
        groupLastSendNanos = sendNanos;
        groupLastArrivalUs = arrivalUs;
    }

    private void closeGroup() {
        if (previousGroup) {
            long sendDeltaUs = (groupLastSendNanos - previousSendNanos) / 1000;
            long arrivalDeltaUs = groupLastArrivalUs - previousArrivalUs;
            if (sendDeltaUs >= 0 && Math.abs(arrivalDeltaUs) < 10_000_000) {
                onDelayVariation((arrivalDeltaUs - sendDeltaUs) / 1000.0, groupLastArrivalUs, arrivalDeltaUs);
            } else {
                resetTrend(); // reordered groups or a jump in the receiver's reference time
            }
        }
        previousGroup = true;
        previousSendNanos = groupLastSendNanos;
        previousArrivalUs = groupLastArrivalUs;
    }

    private void onDelayVariation(double variationMs, long arrivalUs, long arrivalDeltaUs) {
        if (firstArrivalUs == Long.MIN_VALUE) {
            firstArrivalUs = arrivalUs;
        }
        deltas = Math.min(deltas + 1, 1000);
        accumulatedDelayMs += variationMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        trendX[trendNext] = (arrivalUs - firstArrivalUs) / 1000.0;
        trendY[trendNext] = smoothedDelayMs;
        trendNext = (trendNext + 1) % TREND_WINDOW;
        trendCount = Math.min(trendCount + 1, TREND_WINDOW);
        if (trendCount == TREND_WINDOW) {
            trend = slope();
        }
        detect(arrivalUs, arrivalDeltaUs);
    }

    /** Least-squares slope of smoothed accumulated delay over arrival time (ms per ms). */
    private double slope() {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < trendCount; i++) {
            meanX += trendX[i];
            meanY += trendY[i];
        }
        meanX /= trendCount;
        meanY /= trendCount;
        double num = 0;
        double den = 0;
        for (int i = 0; i < trendCount; i++) {
            num += (trendX[i] - meanX) * (trendY[i] - meanY);
            den += (trendX[i] - meanX) * (trendX[i] - meanX);
        }
        return den == 0 ? 0 : num / den;
    }

    /** Over-use detector with the adaptive threshold (draft-ietf-rmcat-gcc-02 sections 5.4 and 5.5). */
    private void detect(long nowUs, long arrivalDeltaUs) {
        double modified = Math.min(deltas, 60) * trend * TREND_GAIN;
        if (modified > threshold) {
            if (overuseStartUs == Long.MIN_VALUE) {
                overuseStartUs = nowUs - Math.max(0, arrivalDeltaUs) / 2;
                overuseCount = 0;
            }
            overuseCount++;
            if (nowUs - overuseStartUs > OVERUSE_NANOS / 1000 && overuseCount > 1 && modified >= previousTrend) {
                signal = Signal.OVERUSE;
                overuseStartUs = Long.MIN_VALUE;
            }
        } else if (modified < -threshold) {
            overuseStartUs = Long.MIN_VALUE;
            signal = Signal.UNDERUSE;
        } else {
            overuseStartUs = Long.MIN_VALUE;
            signal = Signal.NORMAL;
        }
        previousTrend = modified;
        if (lastThresholdUpdateUs == Long.MIN_VALUE) {
            lastThresholdUpdateUs = nowUs;
        }
        double abs = Math.abs(modified);
        if (abs <= threshold + 15) { // a spike does not move the threshold
            double k = abs < threshold ? THRESHOLD_DOWN : THRESHOLD_UP;
            double dtMs = Math.min((nowUs - lastThresholdUpdateUs) / 1000.0, 100);
            threshold = Math.max(6, Math.min(600, threshold + k * (abs - threshold) * Math.max(0, dtMs)));
        }
        lastThresholdUpdateUs = nowUs;
    }

    private void resetTrend() {
        trendCount = 0;
        trendNext = 0;
        accumulatedDelayMs = 0;
        smoothedDelayMs = 0;
        firstArrivalUs = Long.MIN_VALUE;
        trend = 0;
        previousTrend = 0;
        overuseStartUs = Long.MIN_VALUE;
    }

    /** Ends one feedback packet: updates the loss cap and the rate from what it reported. */
    public void update(long nowNanos) {
        ackedAtNanos[ackedNext] = nowNanos;
        ackedBytes[ackedNext] = bytesThisFeedback;
        ackedNext = (ackedNext + 1) % ACKED_RING;
        bytesThisFeedback = 0;
        double dtS = lastUpdateNanos == Long.MIN_VALUE ? 0
                : Math.min(1.0, Math.max(0, nowNanos - lastUpdateNanos) / 1e9);
        lastUpdateNanos = nowNanos;
        double acked = ackedBps(nowNanos);
        updateLoss(nowNanos, dtS);
        switch (signal) {
            case OVERUSE -> {
                if (lastDecreaseNanos == Long.MIN_VALUE || nowNanos - lastDecreaseNanos >= DECREASE_INTERVAL_NANOS) {
                    double base = acked > 0 ? acked : delayBasedBps;
                    delayBasedBps = Math.min(delayBasedBps, BETA * base);
                    congestionBps = base;
                    lastDecreaseNanos = nowNanos;
                    decreasedAtNanos = nowNanos;
                    probedBps = 0;
                }
            }
            case NORMAL -> {
                boolean near = congestionBps > 0 && delayBasedBps < 1.25 * congestionBps;
                if (near) {
                    delayBasedBps += dtS * PACKET_BITS / RESPONSE_TIME_S;
                } else {
                    delayBasedBps *= Math.pow(1.08, dtS);
                }
                if (acked > 0) {
                    delayBasedBps = Math.min(delayBasedBps,
                            Math.max(Math.max(2 * acked + HEADROOM_BPS, probedBps), minBps));
                }
            }
            case UNDERUSE -> {
                // hold: queues are draining; increasing now would overshoot
            }
        }
        delayBasedBps = clamp(delayBasedBps);
    }

    private void updateLoss(long nowNanos, double dtS) {
        if (lossRunStartNanos == Long.MIN_VALUE) {
            lossRunStartNanos = nowNanos;
        }
        lostInRun += lostThisFeedback;
        packetsInRun += lostThisFeedback + receivedThisFeedback;
        lostThisFeedback = 0;
        receivedThisFeedback = 0;
        if (packetsInRun >= LOSS_MIN_PACKETS && nowNanos - lossRunStartNanos >= LOSS_INTERVAL_NANOS) {
            lossRunStartNanos = nowNanos;
            lastLossFraction = (double) lostInRun / packetsInRun;
            if (lastLossFraction > 0.10) {
                lossCapBps = Math.min(lossCapBps, estimateBpsDouble()) * (1 - 0.5 * lastLossFraction);
                decreasedAtNanos = nowNanos;
                probedBps = 0;
            }
            lostInRun = 0;
            packetsInRun = 0;
        }
        if (lastLossFraction < 0.02 && lossCapBps < maxBps) {
            lossCapBps *= Math.pow(1.08, dtS);
        }
        lossCapBps = clamp(lossCapBps);
    }

    /** When the estimate was last cut (delay-based overuse or more than 10 % loss); MIN_VALUE before any. */
    public long decreasedAtNanos() {
        return decreasedAtNanos;
    }

    /**
     * A probe cluster sent in the link's normal state proved it carries {@code bps} ({@link ProbeCluster#resultBps}:
     * received at the rate it was sent, without loss): the estimate rises to it (never falls here). The congestion
     * point remembered from the last decrease no longer holds, and the probed rate lifts the cap that keeps an
     * unprobed estimate near the acknowledged rate, until the next decrease.
     */
    public void onProbeResult(long bps) {
        if (bps <= estimateBpsDouble()) {
            return;
        }
        delayBasedBps = clamp(Math.max(delayBasedBps, bps));
        lossCapBps = clamp(Math.max(lossCapBps, bps));
        probedBps = bps;
        if (congestionBps > 0 && bps > congestionBps) {
            congestionBps = -1;
        }
    }

    /**
     * The rate the receiver acknowledged: bytes newly reported received by the feedback packets of the last
     * {@link #ACKED_WINDOW_NANOS} (all but the oldest, whose packets were sent before the span) over the time
     * between the oldest and the newest; 0 while they span less than 100 ms.
     */
    public double ackedBps(long nowNanos) {
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        long oldestBytes = 0;
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < ACKED_RING; i++) {
            long at = ackedAtNanos[i];
            if (at != Long.MIN_VALUE && nowNanos - at <= ACKED_WINDOW_NANOS) {
                bytes += ackedBytes[i];
                if (at < oldest) {
                    oldest = at;
                    oldestBytes = ackedBytes[i];
                }
                newest = Math.max(newest, at);
            }
        }
        long span = newest - oldest;
        return newest == Long.MIN_VALUE || span < 100_000_000L ? 0 : (bytes - oldestBytes) * 8e9 / span;
    }

    private double clamp(double bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }

    private double estimateBpsDouble() {
        return Math.min(delayBasedBps, lossCapBps);
    }

    /** The estimate now, in bits per second. */
    public long estimateBps() {
        return (long) estimateBpsDouble();
    }

    /** The delay signal of the last packet group. */
    public Signal signal() {
        return signal;
    }

    /** Loss fraction of the last complete run of reports (0..1). */
    public double lossFraction() {
        return lastLossFraction;
    }
}
