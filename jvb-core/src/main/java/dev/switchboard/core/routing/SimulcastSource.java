package dev.switchboard.core.routing;

import dev.switchboard.core.api.Simulcast;
import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.core.bwe.RateMeter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the bridge knows about one simulcast video source of a sender: each layer's SSRC (learned from the RTP
 * stream id extension of its first packets), its frame height (read from its keyframes: the VP8 keyframe header
 * or the H.264 SPS) and when its last packet arrived. Confined to the conference's media loop.
 *
 * <p>Layer choice ({@link #select}): among the layers that are active (a packet within {@link #ACTIVE_NANOS})
 * and not above the receiver's bandwidth cap, the highest whose height fits the receiver's limit, else the
 * lowest active one (never none while one is active). A layer's height is that of
 * its last keyframe; before one was seen it is {@link VideoConstraints#NOMINAL_TOP_HEIGHT} halved once per layer
 * below the top (the sender's layers are listed lowest first).
 */
final class SimulcastSource {
    /** A layer without a packet for this long is not chosen (the sender paused it, e.g. for bandwidth). */
    static final long ACTIVE_NANOS = 1_000_000_000L;

    final BridgeEndpoint sender;
    final Simulcast description;
    final long outputSsrc;
    /**
     * A small id, unique among the conference's live simulcast sources (reused after retirement): the index of
     * receivers' forwarders for this source ({@link BridgeEndpoint#forwarder}), so the fan-out finds each one
     * without a search.
     */
    final int index;
    private final byte[] mid;
    private final byte[][] rids;
    private final long[] layerSsrcs;
    private final long[] layerRtxSsrcs;
    private final int[] heights;
    private final long[] lastPacketNanos;
    /** Measured bit rate of each layer, for bandwidth allocation. */
    private final RateMeter[] rates;
    /** Set when the sender no longer sends this source (renegotiated away, or left): receivers drop it. */
    boolean retired;

    SimulcastSource(BridgeEndpoint sender, Simulcast description) {
        this(sender, description, 0);
    }

    SimulcastSource(BridgeEndpoint sender, Simulcast description, int index) {
        this.sender = sender;
        this.index = index;
        this.description = description;
        this.outputSsrc = description.outputSsrc();
        this.mid = description.mid() == null ? null : description.mid().getBytes(StandardCharsets.US_ASCII);
        int n = description.rids().size();
        this.rids = new byte[n][];
        for (int i = 0; i < n; i++) {
            rids[i] = description.rids().get(i).getBytes(StandardCharsets.US_ASCII);
        }
        this.layerSsrcs = new long[n];
        this.layerRtxSsrcs = new long[n];
        Arrays.fill(layerRtxSsrcs, -1);
        this.heights = new int[n];
        this.lastPacketNanos = new long[n];
        Arrays.fill(layerSsrcs, -1);
        Arrays.fill(heights, -1);
        Arrays.fill(lastPacketNanos, Long.MIN_VALUE);
        this.rates = new RateMeter[n];
        for (int i = 0; i < n; i++) {
            rates[i] = new RateMeter();
        }
    }

    int layers() {
        return rids.length;
    }

    /** The SSRC of a layer, or -1 while unknown. */
    long layerSsrc(int layer) {
        return layerSsrcs[layer];
    }

    void setLayerSsrc(int layer, long ssrc) {
        layerSsrcs[layer] = ssrc;
        lastPacketNanos[layer] = Long.MIN_VALUE;
    }

    /** The SSRC of the RTX stream repairing a layer (RFC 4588), or -1 while unknown. */
    long layerRtxSsrc(int layer) {
        return layerRtxSsrcs[layer];
    }

    void setLayerRtxSsrc(int layer, long ssrc) {
        layerRtxSsrcs[layer] = ssrc;
    }

    /** The layer a packet of {@code ssrc} belongs to, or -1. */
    int layerOf(long ssrc) {
        for (int i = 0; i < layerSsrcs.length; i++) {
            if (layerSsrcs[i] == ssrc) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a mid extension value ({@code [off, off+len)}) names this source (true when it has no mid). */
    boolean midMatches(byte[] a, int off, int len) {
        return mid == null || Arrays.equals(a, off, off + len, mid, 0, mid.length);
    }

    /** The layer whose rid is the extension value {@code [off, off+len)}, or -1. */
    int layerOfRid(byte[] a, int off, int len) {
        for (int i = 0; i < rids.length; i++) {
            if (Arrays.equals(a, off, off + len, rids[i], 0, rids[i].length)) {
                return i;
            }
        }
        return -1;
    }

    /** A packet of {@code layer} arrived; {@code keyframeHeight} is its keyframe's height, or -1. */
    void onPacket(int layer, long nowNanos, int keyframeHeight) {
        onPacket(layer, nowNanos, keyframeHeight, 0);
    }

    /** As {@link #onPacket(int, long, int)}, counting {@code size} bytes toward the layer's measured rate. */
    void onPacket(int layer, long nowNanos, int keyframeHeight, int size) {
        rates[layer].add(size, nowNanos);
        lastPacketNanos[layer] = nowNanos;
        if (keyframeHeight > 0) {
            heights[layer] = keyframeHeight;
        }
    }

    boolean isActive(int layer, long nowNanos) {
        return layerSsrcs[layer] >= 0 && lastPacketNanos[layer] != Long.MIN_VALUE
                && nowNanos - lastPacketNanos[layer] < ACTIVE_NANOS;
    }

    /** The layer's height: from its last keyframe, else nominal. */
    int height(int layer) {
        return heights[layer] > 0 ? heights[layer]
                : VideoConstraints.NOMINAL_TOP_HEIGHT >> (rids.length - 1 - layer);
    }

    /** The layer to forward to a receiver that wants at most {@code maxHeight}, or -1 when none is active. */
    int select(int maxHeight, long nowNanos) {
        return select(maxHeight, Integer.MAX_VALUE, nowNanos);
    }

    /**
     * The layer to forward to a receiver that wants at most {@code maxHeight} and whose bandwidth allows layers
     * up to index {@code maxLayer}: the highest active layer within both, else the lowest active one; -1 when
     * none is active.
     */
    int select(int maxHeight, int maxLayer, long nowNanos) {
        int best = -1;
        for (int i = 0; i < rids.length && i <= maxLayer; i++) {
            if (!isActive(i, nowNanos)) {
                continue;
            }
            int h = height(i);
            if (h <= maxHeight && (best < 0 || h > height(best))) {
                best = i;
            }
        }
        return best >= 0 ? best : lowestActive(nowNanos);
    }

    /** The active layer with the smallest height, or -1 when none is active. */
    int lowestActive(long nowNanos) {
        int lowest = -1;
        for (int i = 0; i < rids.length; i++) {
            if (isActive(i, nowNanos) && (lowest < 0 || height(i) < height(lowest))) {
                lowest = i;
            }
        }
        return lowest;
    }

    /** The measured bit rate of a layer (0 until half a second of it was seen). */
    long layerBps(int layer, long nowNanos) {
        return rates[layer].bps(nowNanos);
    }

    @Override
    public String toString() {
        return "simulcast " + description.rids() + " of " + sender.id() + " as " + outputSsrc + " layers "
                + Arrays.toString(layerSsrcs) + " heights " + Arrays.toString(heights);
    }
}
