package dev.switchboard.core.api;

import java.util.Map;

/**
 * Counters since start.
 *
 * @param packetsReceived   datagrams received on media transports (all kinds)
 * @param bytesReceived     their bytes
 * @param packetsForwarded  RTP/RTCP packets sent to receivers
 * @param bytesForwarded    their bytes
 * @param dropped           dropped packets by reason (e.g. "malformed", "srtp-auth", "queue-full")
 * @param conferences       conferences now
 * @param endpoints         endpoints now
 * @param queuedPackets     received packets waiting for a media thread now
 */
public record BridgeStatistics(
        long packetsReceived,
        long bytesReceived,
        long packetsForwarded,
        long bytesForwarded,
        Map<String, Long> dropped,
        int conferences,
        int endpoints,
        int queuedPackets) {
    public BridgeStatistics {
        dropped = Map.copyOf(dropped);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
