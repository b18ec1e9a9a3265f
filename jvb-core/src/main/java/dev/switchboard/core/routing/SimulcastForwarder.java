package dev.switchboard.core.routing;

import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.core.rewrite.PayloadRewriter;
import dev.switchboard.core.rewrite.StreamRewriter;
import dev.switchboard.core.rewrite.VideoPayloadFormat;
import java.util.function.LongSupplier;

/**
 * One receiver's view of one remote simulcast source: the layer chosen for it and the {@link StreamRewriter}
 * that turns the layers into the one continuous stream (SSRC {@link SimulcastSource#outputSsrc}) the receiver
 * was told about. Confined to the media loop; created the first time a packet of the source meets the receiver.
 */
final class SimulcastForwarder {
    /** At most one keyframe request per this interval while a switch waits for a keyframe. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = BridgeRtcp.KEYFRAME_REQUEST_INTERVAL_NANOS;

    final SimulcastSource source;
    final StreamRewriter rewriter;
    private VideoPayloadFormat payloadFormat;
    private PayloadRewriter payloadRewriter = PayloadRewriter.NONE;
    private int maxHeight = VideoConstraints.DEFAULT_MAX_HEIGHT;
    private int constraintsVersion = -1;
    private long lastKeyframeRequestNanos = Long.MIN_VALUE;
    /** Payload type of the last packet forwarded, -1 before the first (what probes take the RTX type of). */
    private int payloadType = -1;
    /** The highest layer the receiver's bandwidth allows ({@link BandwidthAllocator}); no limit until it runs. */
    private int layerCap = Integer.MAX_VALUE;
    /** Bandwidth hysteresis: no upgrade before this, after a downgrade; and the hold that set it. */
    private long upgradeNotBeforeNanos = Long.MIN_VALUE;
    private long lastDowngradeNanos = Long.MIN_VALUE;
    private long holdNanos;

    SimulcastForwarder(SimulcastSource source, LongSupplier nanoClock) {
        this.source = source;
        this.rewriter = new StreamRewriter(source.outputSsrc, IncomingStream.VIDEO_CLOCK_RATE, nanoClock);
    }

    /**
     * This stream's payload rewriter for packets of {@code format} (the codec of their payload type): kept while the
     * format stays the same, a new one when it changes (a renegotiated codec; control rate, not per packet).
     */
    PayloadRewriter payloadRewriter(VideoPayloadFormat format) {
        if (format != payloadFormat) {
            payloadFormat = format;
            payloadRewriter = format.newRewriter();
        }
        return payloadRewriter;
    }

    /**
     * Chooses the layer for the receiver's constraints now and, when it differs from the one targeted, makes
     * it the rewriter's target (the switch happens at its next keyframe).
     */
    void selectLayer(BridgeEndpoint receiver, long nowNanos) {
        updateConstraints(receiver);
        int layer = source.select(maxHeight, layerCap, nowNanos);
        if (layer >= 0) {
            long ssrc = source.layerSsrc(layer);
            if (ssrc != rewriter.targetSource()) {
                rewriter.setTargetSource(ssrc);
                lastKeyframeRequestNanos = Long.MIN_VALUE; // a new target: ask for its keyframe at once
            }
        }
    }

    /** Picks up a change of the receiver's constraints (a version counter: no work when unchanged). */
    void updateConstraints(BridgeEndpoint receiver) {
        if (constraintsVersion != receiver.videoConstraintsVersion()) {
            constraintsVersion = receiver.videoConstraintsVersion();
            maxHeight = receiver.videoConstraints().maxHeightFor(source.sender.id());
        }
    }

    /** The highest layer index the receiver's bandwidth allows, {@link Integer#MAX_VALUE} when unlimited. */
    int layerCap() {
        return layerCap;
    }

    /** Whether the hold time after the last bandwidth downgrade is over. */
    boolean mayUpgrade(long nowNanos) {
        return upgradeNotBeforeNanos == Long.MIN_VALUE || nowNanos - upgradeNotBeforeNanos >= 0;
    }

    /**
     * Sets the bandwidth cap; {@code preferred} is the layer the constraints alone would choose. A cap below
     * both the previous cap and that layer is a downgrade: it starts a hold before the next upgrade,
     * {@link BandwidthAllocator#MIN_HOLD_NANOS}, doubled when the previous downgrade was less than
     * {@link BandwidthAllocator#HOLD_RESET_NANOS} ago (at most {@link BandwidthAllocator#MAX_HOLD_NANOS}).
     * Returns whether the cap changed.
     */
    boolean setLayerCap(int cap, int preferred, long nowNanos) {
        if (cap < Math.min(layerCap, preferred)) {
            boolean recent = lastDowngradeNanos != Long.MIN_VALUE
                    && nowNanos - lastDowngradeNanos < BandwidthAllocator.HOLD_RESET_NANOS;
            holdNanos = recent ? Math.min(2 * holdNanos, BandwidthAllocator.MAX_HOLD_NANOS)
                    : BandwidthAllocator.MIN_HOLD_NANOS;
            upgradeNotBeforeNanos = nowNanos + holdNanos;
            lastDowngradeNanos = nowNanos;
        }
        boolean changed = cap != layerCap;
        layerCap = cap;
        return changed;
    }

    /** Whether a keyframe of the target layer should be requested now (a switch waits; rate-limited here). */
    boolean keyframeRequestDue(long nowNanos) {
        if (!rewriter.isSwitchPending()) {
            return false;
        }
        if (lastKeyframeRequestNanos != Long.MIN_VALUE
                && nowNanos - lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
            return false;
        }
        lastKeyframeRequestNanos = nowNanos;
        return true;
    }

    /**
     * Stops forwarding (last-N paused the sender for this receiver): resuming needs a keyframe switch, which
     * keeps the numbering continuous instead of showing the receiver a gap of everything it missed.
     */
    void pause() {
        if (rewriter.targetSource() != StreamRewriter.NONE) {
            rewriter.setTargetSource(StreamRewriter.NONE);
        }
    }

    /** The layer SSRC a receiver's keyframe request is for: the target, else the one forwarded, or -1. */
    long keyframeSource() {
        long target = rewriter.targetSource();
        return target != StreamRewriter.NONE ? target : rewriter.currentSource();
    }

    int payloadType() {
        return payloadType;
    }

    void setPayloadType(int payloadType) {
        this.payloadType = payloadType;
    }

    int maxHeight() {
        return maxHeight;
    }
}
