package dev.switchboard.core.api;

import java.util.Map;

/**
 * Counters since start.
 *
 * @param packetsReceived      datagrams received on media transports (all kinds)
 * @param bytesReceived        their bytes
 * @param packetsForwarded     RTP/RTCP packets sent to receivers
 * @param bytesForwarded       their bytes
 * @param dropped              dropped packets by reason (e.g. "malformed", "srtp-auth", "queue-full"; with fault
 *                             injection "injected-in" and "injected-out")
 * @param conferences          conferences now
 * @param endpoints            endpoints now
 * @param queuedPackets        received packets waiting for a media thread now
 * @param nackRequestsReceived packets (sequence numbers) receivers NACKed of video the bridge caches and forwards
 *                             to them
 * @param retransmissionsSent  packets resent to receivers from the bridge's retransmission caches in answer
 * @param nackRequestsSent     packets (sequence numbers) the bridge NACKed toward senders for what it did not
 *                             receive, each retry counted
 * @param pooledBuffersInUse   pooled packet buffers taken and not yet released now: queued packets, retransmission
 *                             caches and one scratch buffer per media thread; it returns to the number of media
 *                             threads once every endpoint has gone, anything above that is a leak
 * @param rtxPacketsReceived   RTX packets (RFC 4588) from senders turned back into the originals they repair
 *                             (padding-only ones are counted in {@code dropped} as "rtx-padding" instead)
 * @param rtxRetransmissionsSent retransmissions sent to receivers as RTX packets on their RTX streams (a part of
 *                             {@code retransmissionsSent}; the rest went out as plain retransmissions)
 * @param probes               bandwidth probing toward receivers (padding clusters sent while a receiver's layer
 *                             allocation is limited by its bandwidth estimate)
 * @param transit              time packets spent in the bridge lately ({@link Transit})
 */
public record BridgeStatistics(
        long packetsReceived,
        long bytesReceived,
        long packetsForwarded,
        long bytesForwarded,
        Map<String, Long> dropped,
        int conferences,
        int endpoints,
        int queuedPackets,
        long nackRequestsReceived,
        long retransmissionsSent,
        long nackRequestsSent,
        long pooledBuffersInUse,
        long rtxPacketsReceived,
        long rtxRetransmissionsSent,
        Probes probes,
        Transit transit) {
    public BridgeStatistics {
        dropped = Map.copyOf(dropped);
        java.util.Objects.requireNonNull(probes, "probes");
        java.util.Objects.requireNonNull(transit, "transit");
    }

    /**
     * How long received RTP packets spent in the bridge over the last {@value #TRANSIT_WINDOW_SECONDS} seconds,
     * from their socket read to the last of their copies handed to the socket (queueing, decryption, routing,
     * encryption of every copy, sending), in microseconds; percentiles within 1 %.
     *
     * @param packets packets forwarded to at least one receiver in that time
     */
    public record Transit(long packets, long p50Micros, long p99Micros, long p999Micros, long maxMicros) {
        public static final Transit NONE = new Transit(0, 0, 0, 0, 0);
    }

    /** The span {@link Transit} covers. */
    public static final int TRANSIT_WINDOW_SECONDS = 10;

    /**
     * Bandwidth probes toward receivers since start.
     *
     * @param clusters          probe clusters sent
     * @param packets           probe packets sent (RTX padding)
     * @param bytes             their bytes, before SRTP
     * @param clustersSucceeded clusters whose feedback proved a rate above the estimate (which was raised to it)
     */
    public record Probes(long clusters, long packets, long bytes, long clustersSucceeded) {
        public static final Probes NONE = new Probes(0, 0, 0, 0);
    }

    /** Without loss-repair counters and pool figures (all zero). */
    public BridgeStatistics(long packetsReceived, long bytesReceived, long packetsForwarded, long bytesForwarded,
            Map<String, Long> dropped, int conferences, int endpoints, int queuedPackets) {
        this(packetsReceived, bytesReceived, packetsForwarded, bytesForwarded, dropped, conferences, endpoints,
                queuedPackets, 0, 0, 0, 0, 0, 0, Probes.NONE, Transit.NONE);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
