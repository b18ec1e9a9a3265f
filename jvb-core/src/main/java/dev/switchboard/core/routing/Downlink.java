package dev.switchboard.core.routing;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.bwe.BandwidthEstimator;
import dev.switchboard.core.bwe.ProbeScheduler;
import dev.switchboard.core.bwe.RateMeter;
import dev.switchboard.core.bwe.SendHistory;
import dev.switchboard.core.bwe.TransportCcFeedbackReader;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtp.ExtensionIds;
import dev.switchboard.core.rtp.HeaderExtensions;
import dev.switchboard.core.rtp.NetworkBytes;
import java.util.function.LongSupplier;

/**
 * The bridge-to-receiver direction of one endpoint: which header extensions each RTP packet sent to it carries
 * ({@link #stamp}: the receiver's negotiated ids, everything else erased), the receiver leg's own transport-wide
 * sequence numbers and their {@link SendHistory}, the {@link BandwidthEstimator} fed by the transport-cc
 * feedback the receiver sends about them ({@link #onFeedback}), the {@link BandwidthAllocator} that fits its
 * simulcast layers into that estimate, and the {@link ProbeScheduler} that probes the downlink while the estimate
 * limits the allocation (the packets: {@link ProbePackets}).
 *
 * <p>Confined to the conference's media loop. The history and estimator are made when the receiver negotiates
 * transport-cc; the history grows to what the receiver's packet rate needs (see {@link SendHistory}), then nothing
 * is allocated per packet or feedback. The feedback reader is the conference's.
 */
final class Downlink {
    private final LongSupplier nanoClock;
    private final BridgeCounters counters;
    /** How far back a retransmission looks for the transport-wide number its original was sent with. */
    private static final int MAX_RETRANSMISSION_SCAN = 4096;
    /** Tells the conference that probe packets wait to be paced out. */
    private final Runnable pacingNeeded;
    private ExtensionIds ids = ExtensionIds.NONE;
    /** Null until the receiver negotiates transport-wide sequence numbers. */
    private SendHistory history;
    private BandwidthEstimator estimator;
    /** The conference's one reader: feedback is parsed and used in one go on the loop, so receivers share it. */
    private final TransportCcFeedbackReader reader;
    private ProbeScheduler probes;
    private final BandwidthAllocator allocator;
    /** What the receiver is sent outside simulcast forwarders (audio, single-stream video). */
    private final RateMeter otherRate = new RateMeter();
    private int feedbackPackets;

    private final BridgeEndpoint receiver;

    Downlink(BridgeEndpoint receiver, LongSupplier nanoClock, BridgeCounters counters, Runnable pacingNeeded,
            TransportCcFeedbackReader reader) {
        this.receiver = receiver;
        this.reader = reader;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.pacingNeeded = pacingNeeded;
        this.allocator = new BandwidthAllocator(receiver);
    }

    /** Control change on the loop: the receiver's negotiated extension ids. */
    void setExtensionIds(ExtensionIds receiverIds) {
        ids = receiverIds;
        if (receiverIds.idOf(ExtensionIds.TRANSPORT_CC) != 0 && history == null) {
            history = new SendHistory();
            estimator = new BandwidthEstimator();
            probes = new ProbeScheduler();
        }
    }

    ExtensionIds ids() {
        return ids;
    }

    /**
     * Prepares an RTP packet (in the loop's scratch buffer, about to be protected and sent to this receiver)
     * that arrived with {@code sender}'s extension ids: translates its extensions to the receiver's and, when
     * it keeps a transport-wide sequence number, writes the leg's next one and records the packet.
     * {@code simulcast}: the packet belongs to a simulcast forwarder (else it counts toward the other rate).
     */
    void stamp(PacketBuffer out, ExtensionIds senderIds, HeaderExtensions cursor, boolean simulcast) {
        byte[] a = out.array();
        int off = out.offset();
        int len = out.length();
        long now = nanoClock.getAsLong();
        if (!simulcast) {
            otherRate.add(len, now);
        }
        int tcc = senderIds.translate(cursor, a, off, len, ids);
        if (tcc >= 0 && history != null) {
            int seq = history.next(RtpHeader.ssrc(a, off), RtpHeader.sequenceNumber(a, off), len, now);
            NetworkBytes.putUint16(a, tcc, seq);
        }
    }

    /**
     * Numbers a probe packet of cluster {@code clusterId} (in {@code out}, its transport-wide number's two bytes at
     * {@code transportCcOffset}) with the leg's next transport-wide number and records it. Not counted in the
     * other rate: probes are not part of what the allocation shares.
     */
    void stampProbe(PacketBuffer out, int transportCcOffset, int clusterId) {
        byte[] a = out.array();
        int off = out.offset();
        int seq = history.nextInCluster(RtpHeader.ssrc(a, off), RtpHeader.sequenceNumber(a, off), out.length(),
                nanoClock.getAsLong(), clusterId);
        NetworkBytes.putUint16(a, transportCcOffset, seq);
    }

    /**
     * Prepares a plain retransmission: it must repeat the packet this receiver was sent byte for byte (SRTP
     * protects it under the same index; with AES-GCM the header is authenticated data, and different bytes
     * under the same nonce would give the authentication key away), so the transport-wide sequence number is
     * the one the original was sent with. Returns false when that number is no longer known: then it must not
     * be sent.
     */
    boolean stampRetransmission(PacketBuffer out, ExtensionIds senderIds, HeaderExtensions cursor) {
        byte[] a = out.array();
        int off = out.offset();
        int tcc = senderIds.translate(cursor, a, off, out.length(), ids);
        if (tcc < 0 || history == null) {
            return true;
        }
        int slot = history.find(RtpHeader.ssrc(a, off), RtpHeader.sequenceNumber(a, off), MAX_RETRANSMISSION_SCAN);
        if (slot < 0) {
            return false;
        }
        NetworkBytes.putUint16(a, tcc, history.sequenceNumber(slot));
        history.resent(slot, nanoClock.getAsLong());
        return true;
    }

    /**
     * A transport-cc feedback packet ({@code [p, p+length)} of a decrypted compound) from the receiver about the
     * bridge's packets: feeds the estimator, then re-runs the allocation of its simulcast layers.
     */
    void onFeedback(byte[] a, int p, int length) {
        if (history == null || !reader.read(a, p, length)) {
            return;
        }
        feedbackPackets++;
        for (int i = 0; i < reader.count(); i++) {
            int slot = history.slot(reader.sequenceNumber(i));
            if (slot < 0) {
                continue;
            }
            long arrival = reader.arrivalUs(i);
            boolean received = arrival != TransportCcFeedbackReader.NOT_RECEIVED;
            int before = history.reported(slot);
            boolean first = received ? before != SendHistory.RECEIVED : before == SendHistory.UNREPORTED;
            if (before != SendHistory.RECEIVED) {
                history.setReported(slot, received ? SendHistory.RECEIVED : SendHistory.LOST);
            }
            estimator.packet(history.sendNanos(slot), history.size(slot), received, arrival, first);
            int cluster = history.cluster(slot);
            if (cluster != 0 && first) {
                probes.onReport(cluster, received, arrival, before == SendHistory.LOST);
            }
        }
        long now = nanoClock.getAsLong();
        estimator.update(now);
        long proved = probes.onFeedbackEnd(now, estimator.signal() == BandwidthEstimator.Signal.OVERUSE);
        if (proved > 0) {
            counters.probeClustersSucceeded(probes.succeededInLastAttempt());
            estimator.onProbeResult(proved);
        }
        long other = otherRate.bps(now);
        allocator.allocate(estimator.estimateBps(), other, now);
        probes.estimateDecreasedAt(estimator.decreasedAtNanos());
        if (probes.plan(estimator.estimateBps(), allocator.neededBps(), allocator.limited(),
                ProbePackets.probeStream(receiver) != null, ProbePackets.SIZE, now)) {
            pacingNeeded.run();
        }
    }

    /** The probe scheduler, or null before the receiver negotiates transport-cc (then it is not probed). */
    ProbeScheduler probes() {
        return probes;
    }

    /** The bandwidth estimate toward the receiver in bit/s, or -1 before any transport-cc feedback. */
    long estimateBps() {
        return estimator == null || feedbackPackets == 0 ? -1 : estimator.estimateBps();
    }

    BandwidthAllocator allocator() {
        return allocator;
    }
}
