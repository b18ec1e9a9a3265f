package dev.switchboard.core.routing;

import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.repair.NackGenerator;
import dev.switchboard.core.repair.RetransmissionCache;
import dev.switchboard.core.stats.ReceiveStreamStatistics;
import java.util.function.LongSupplier;

/**
 * What the bridge keeps about one SSRC an endpoint sends it: reception statistics (for the bridge's receiver
 * reports), and for the primary SSRC of a video source a NACK generator (the bridge asks the sender for what
 * it lost) and a cache of the packets it forwarded (it answers receivers' NACKs itself). Confined to the
 * conference's media loop; {@link #close()} releases the cached buffers.
 */
final class IncomingStream {
    static final int AUDIO_CLOCK_RATE = 48_000;
    static final int VIDEO_CLOCK_RATE = 90_000;
    /** Retransmission cache bounds: about a second of 2.5 Mbit/s video. */
    static final int CACHE_PACKETS = 512;
    static final long CACHE_AGE_NANOS = 1_000_000_000L;
    static final long CACHE_BYTES = 768 * 1024;

    final long ssrc;
    final long primarySsrc;
    final MediaKind kind;
    final ReceiveStreamStatistics statistics;
    /** Null unless this is the primary SSRC of a video source. */
    final NackGenerator nacks;
    /** Null unless this is the primary SSRC of a video source. */
    final RetransmissionCache cache;
    /** The simulcast source this SSRC is a layer of, or null. */
    final SimulcastSource simulcast;
    /** The layer index in {@link #simulcast}, or -1. */
    final int layer;
    /**
     * Whether this is an RTX stream (RFC 4588) repairing {@link #primarySsrc} (a simulcast layer or a single-stream
     * source): its packets are unwrapped first.
     */
    final boolean rtx;
    /**
     * For the primary SSRC of a single-stream video source: the SSRC of the bridge's RTX stream of it toward
     * receivers that negotiated RTX, or -1 (plain retransmissions). Set from the media description.
     */
    long rtxOutputSsrc = -1;

    IncomingStream(long ssrc, long primarySsrc, MediaKind kind, PacketPool pool, LongSupplier nanoClock) {
        this(ssrc, primarySsrc, kind, pool, nanoClock, null, -1, false);
    }

    /** The sender's RTX stream repairing the single-stream source whose SSRC is {@code primarySsrc} (statistics only). */
    static IncomingStream repairing(long ssrc, long primarySsrc, PacketPool pool, LongSupplier nanoClock) {
        return new IncomingStream(ssrc, primarySsrc, MediaKind.VIDEO, pool, nanoClock, null, -1, true);
    }

    /**
     * A simulcast layer: its own primary SSRC (NACKs and keyframe requests name it); or, with {@code rtx}, the
     * RTX stream repairing the layer whose SSRC is {@code primarySsrc} (statistics only).
     */
    IncomingStream(long ssrc, long primarySsrc, SimulcastSource simulcast, int layer, boolean rtx, PacketPool pool,
            LongSupplier nanoClock) {
        this(ssrc, primarySsrc, MediaKind.VIDEO, pool, nanoClock, simulcast, layer, rtx);
    }

    private IncomingStream(long ssrc, long primarySsrc, MediaKind kind, PacketPool pool, LongSupplier nanoClock,
            SimulcastSource simulcast, int layer, boolean rtx) {
        this.simulcast = simulcast;
        this.layer = layer;
        this.rtx = rtx;
        this.ssrc = ssrc;
        this.primarySsrc = primarySsrc;
        this.kind = kind;
        this.statistics = new ReceiveStreamStatistics(ssrc, kind == MediaKind.AUDIO ? AUDIO_CLOCK_RATE
                : VIDEO_CLOCK_RATE);
        boolean repaired = kind == MediaKind.VIDEO && ssrc == primarySsrc;
        this.nacks = repaired ? new NackGenerator(nanoClock, NackGenerator.Config.defaults()) : null;
        this.cache = repaired ? new RetransmissionCache(pool, nanoClock, CACHE_PACKETS, CACHE_AGE_NANOS, CACHE_BYTES)
                : null;
    }

    /** The highest sequence number received so far, or -1. */
    private int highestSeq = -1;

    /**
     * Notes a received sequence number; true when it is newer than every one before (not a retransmission, a
     * duplicate or a late packet).
     */
    boolean advance(int seq) {
        if (highestSeq < 0 || (short) (seq - highestSeq) > 0) {
            highestSeq = seq;
            return true;
        }
        return false;
    }

    boolean isVideo() {
        return kind == MediaKind.VIDEO;
    }

    /** Whether the same SSRC keeps its role (kind, source, RTX or not) in a new media description. */
    boolean sameRole(long otherPrimary, MediaKind otherKind, boolean otherRtx) {
        return otherPrimary == primarySsrc && otherKind == kind && otherRtx == rtx;
    }

    void close() {
        if (cache != null) {
            cache.clear();
        }
    }
}
