package dev.switchboard.core.routing;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Packet counters, updated from socket and media threads without locks. */
public final class BridgeCounters {
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder packetsForwarded = new LongAdder();
    private final LongAdder bytesForwarded = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[DropReason.values().length];
    private final LongAdder nackRequestsReceived = new LongAdder();
    private final LongAdder retransmissionsSent = new LongAdder();
    private final LongAdder nackRequestsSent = new LongAdder();
    private final LongAdder rtxPacketsReceived = new LongAdder();
    private final LongAdder rtxRetransmissionsSent = new LongAdder();
    private final LongAdder probeClusters = new LongAdder();
    private final LongAdder probePackets = new LongAdder();
    private final LongAdder probeBytes = new LongAdder();
    private final LongAdder probeClustersSucceeded = new LongAdder();

    public BridgeCounters() {
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    public void received(int bytes) {
        packetsReceived.increment();
        bytesReceived.add(bytes);
    }

    public void forwarded(int bytes) {
        packetsForwarded.increment();
        bytesForwarded.add(bytes);
    }

    public void drop(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    /** Loop thread: a receiver NACKed {@code packets} sequence numbers of a video source the bridge caches. */
    public void nackRequestsReceived(int packets) {
        nackRequestsReceived.add(packets);
    }

    /** Loop thread: a packet was resent from a retransmission cache. */
    public void retransmissionSent() {
        retransmissionsSent.increment();
    }

    /** Loop thread: an RTX packet (RFC 4588) from a sender was turned back into the original it repairs. */
    public void rtxReceived() {
        rtxPacketsReceived.increment();
    }

    /** Loop thread: a retransmission from a cache went to a receiver as an RTX packet (also a retransmission sent). */
    public void rtxRetransmissionSent() {
        rtxRetransmissionsSent.increment();
        retransmissionsSent.increment();
    }

    public long rtxPacketsReceived() {
        return rtxPacketsReceived.sum();
    }

    public long rtxRetransmissionsSent() {
        return rtxRetransmissionsSent.sum();
    }

    /** Loop thread: the bridge NACKed {@code packets} sequence numbers toward a sender. */
    public void nackRequestsSent(int packets) {
        nackRequestsSent.add(packets);
    }

    /** Loop thread: the first packet of a bandwidth probe cluster went out. */
    public void probeClusterStarted() {
        probeClusters.increment();
    }

    /** Loop thread: a probe packet of {@code bytes} (before SRTP) went out. */
    public void probeSent(int bytes) {
        probePackets.increment();
        probeBytes.add(bytes);
    }

    /** Loop thread: {@code clusters} probe clusters proved a rate above the estimate's. */
    public void probeClustersSucceeded(int clusters) {
        probeClustersSucceeded.add(clusters);
    }

    public long probeClusters() {
        return probeClusters.sum();
    }

    public long probePackets() {
        return probePackets.sum();
    }

    public long probeBytes() {
        return probeBytes.sum();
    }

    public long probeClustersSucceeded() {
        return probeClustersSucceeded.sum();
    }

    public long nackRequestsReceived() {
        return nackRequestsReceived.sum();
    }

    public long retransmissionsSent() {
        return retransmissionsSent.sum();
    }

    public long nackRequestsSent() {
        return nackRequestsSent.sum();
    }

    public long packetsReceived() {
        return packetsReceived.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long packetsForwarded() {
        return packetsForwarded.sum();
    }

    public long bytesForwarded() {
        return bytesForwarded.sum();
    }

    public long dropped(DropReason reason) {
        return dropped[reason.ordinal()].sum();
    }

    public Map<String, Long> droppedByReason() {
        Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            byReason.put(reason, dropped(reason));
        }
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        byReason.forEach((reason, count) -> out.put(reason.key(), count));
        return out;
    }
}
