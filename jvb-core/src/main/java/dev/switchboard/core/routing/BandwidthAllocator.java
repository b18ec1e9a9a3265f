package dev.switchboard.core.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits one receiver's remote simulcast sources into its bandwidth estimate, after each transport-cc feedback
 * ({@link Downlink#onFeedback}); the result is a highest allowed layer per {@link SimulcastForwarder}
 * ({@link SimulcastForwarder#layerCap}), which {@link SimulcastForwarder#selectLayer} applies on top of the
 * receiver's constraints.
 *
 * <ol>
 *   <li>Constraints first: a source is never given more than the layer its constraint selects
 *       ({@link SimulcastSource#select}), nor anything for a sender last-N pauses.</li>
 *   <li>Every source gets its lowest active layer, even when that alone exceeds the budget: video degrades,
 *       it never stops (docs: FIELD item 6).</li>
 *   <li>The budget ({@code estimate - rate of everything else sent to the receiver}) is then spent by source,
 *       highest constraint first (the large tile before thumbnails; ties in the receiver's order), one layer
 *       step at a time, each step costing the difference of the layers' measured rates.</li>
 *   <li>Going down waits out a short dip: while the budget has been short of what is allowed for less than
 *       {@link #KEEP_GRACE_NANOS}, layers allowed so far stay as long as the total fits
 *       {@code budget / }{@link #KEEP_TOLERANCE} (one delay-based decrease, to 0.85 times the delivered rate,
 *       is then not enough to drop a layer, as it would be on every false alarm of a loaded machine). A deeper
 *       shortfall, or one that lasts, takes layers down at once.</li>
 *   <li>Going above the layer allowed so far needs headroom (the new total at most
 *       {@code budget / }{@link #UPGRADE_HEADROOM}) and waits out a hold time after the source's last
 *       downgrade: {@link #MIN_HOLD_NANOS}, doubled for each downgrade that follows within
 *       {@link #HOLD_RESET_NANOS}, up to {@link #MAX_HOLD_NANOS} (an upgrade that congests the link again is
 *       not retried at once: no oscillation).</li>
 * </ol>
 * Media loop only. Works on preallocated arrays (regrown only when the receiver gets more sources).
 */
final class BandwidthAllocator {
    static final double UPGRADE_HEADROOM = 1.25;
    static final double KEEP_TOLERANCE = 0.75;
    static final long KEEP_GRACE_NANOS = 3_000_000_000L;
    static final long MIN_HOLD_NANOS = 3_000_000_000L;
    static final long MAX_HOLD_NANOS = 24_000_000_000L;
    static final long HOLD_RESET_NANOS = 30_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(BandwidthAllocator.class);

    private final BridgeEndpoint receiver;
    private SimulcastForwarder[] items = new SimulcastForwarder[4];
    private int[] order = new int[4];
    private int[] preferred = new int[4];
    private int[] caps = new int[4];
    private int[] lowest = new int[4];
    /** Since when the budget has been short of what was allowed (a downgrade was due), or MIN_VALUE. */
    private long shortSinceNanos = Long.MIN_VALUE;
    /** Of the last allocation: whether a source got less than its constraints want, and what all would need. */
    private boolean limited;
    private long neededBps;

    BandwidthAllocator(BridgeEndpoint receiver) {
        this.receiver = receiver;
    }

    /**
     * Caps for the {@code count} sources collected: each at its lowest layer, then layer steps by priority
     * while the total fits ({@code keepLimit} for layers allowed so far, the budget with headroom above them).
     * Returns whether a source ends below both its previous cap and its preferred layer (a downgrade).
     */
    private boolean fill(int count, long budget, double keepLimit, long nowNanos) {
        long used = 0;
        for (int k = 0; k < count; k++) {
            caps[k] = lowest[k];
            used += items[k].source.layerBps(lowest[k], nowNanos);
        }
        boolean downgrade = false;
        for (int k = 0; k < count; k++) {
            int idx = order[k];
            SimulcastForwarder f = items[idx];
            SimulcastSource source = f.source;
            int previousCap = f.layerCap();
            for (int layer = caps[idx] + 1; layer <= preferred[idx]; layer++) {
                if (!source.isActive(layer, nowNanos)) {
                    continue;
                }
                long extra = source.layerBps(layer, nowNanos) - source.layerBps(caps[idx], nowNanos);
                boolean upgrade = layer > previousCap;
                double limit = upgrade ? budget / UPGRADE_HEADROOM : keepLimit;
                if (used + extra > limit || (upgrade && !f.mayUpgrade(nowNanos))) {
                    break;
                }
                caps[idx] = layer;
                used += extra;
            }
            downgrade |= caps[idx] < Math.min(previousCap, preferred[idx]);
        }
        return downgrade;
    }

    /** Whether the last allocation gave some source less than its constraints select (bandwidth or hold). */
    boolean limited() {
        return limited;
    }

    /**
     * What the estimate must reach for the last allocation to give every source what its constraints select: the
     * rest sent to the receiver plus those layers' rates with the upgrade headroom.
     */
    long neededBps() {
        return neededBps;
    }

    /** Recomputes every forwarder's layer cap for an estimate of {@code estimateBps}. */
    void allocate(long estimateBps, long otherBps, long nowNanos) {
        SimulcastForwarder[] forwarders = receiver.forwarders();
        if (forwarders.length > items.length) {
            int n = Math.max(forwarders.length, 2 * items.length);
            items = new SimulcastForwarder[n];
            order = new int[n];
            preferred = new int[n];
            caps = new int[n];
            lowest = new int[n];
        }
        long budget = estimateBps - otherBps;
        int count = 0;
        for (SimulcastForwarder f : forwarders) {
            if (f == null) {
                continue; // a free index (the array is indexed by SimulcastSource.index)
            }
            SimulcastSource source = f.source;
            if (source.retired || !receiver.receivesVideoFrom(source.sender)) {
                continue;
            }
            f.updateConstraints(receiver);
            int pref = source.select(f.maxHeight(), Integer.MAX_VALUE, nowNanos);
            int low = source.lowestActive(nowNanos);
            if (pref < 0 || low < 0) {
                continue; // nothing active: nothing to allocate
            }
            items[count] = f;
            preferred[count] = pref;
            lowest[count] = low;
            // insertion by constraint, highest first (stable: the receiver's order among equals)
            int i = count;
            while (i > 0 && items[order[i - 1]].maxHeight() < f.maxHeight()) {
                order[i] = order[i - 1];
                i--;
            }
            order[i] = count;
            count++;
        }
        if (!fill(count, budget, budget, nowNanos)) {
            shortSinceNanos = Long.MIN_VALUE;
        } else {
            // the budget no longer carries what is allowed: tolerate a short dip, not a lasting one
            if (shortSinceNanos == Long.MIN_VALUE) {
                shortSinceNanos = nowNanos;
            }
            if (nowNanos - shortSinceNanos < KEEP_GRACE_NANOS) {
                fill(count, budget, budget / KEEP_TOLERANCE, nowNanos);
            }
        }
        limited = false;
        long wanted = 0;
        for (int k = 0; k < count; k++) {
            limited |= caps[k] < preferred[k];
            wanted += items[k].source.layerBps(preferred[k], nowNanos);
        }
        neededBps = otherBps + (long) (wanted * UPGRADE_HEADROOM);
        for (int k = 0; k < count; k++) {
            SimulcastForwarder f = items[k];
            if (f.setLayerCap(caps[k], preferred[k], nowNanos) && LOG.isDebugEnabled()) {
                LOG.debug("Receiver {}: {} capped at layer {} of {} (estimate {} bit/s, other {} bit/s)",
                        receiver.id(), f.source, caps[k], preferred[k], estimateBps, otherBps);
            }
            items[k] = null;
        }
    }
}
