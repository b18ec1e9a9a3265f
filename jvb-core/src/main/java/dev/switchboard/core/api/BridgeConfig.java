package dev.switchboard.core.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Media-plane settings.
 *
 * @param udpPort            the one UDP port all endpoints share (0 picks a free port, for tests)
 * @param bindAddresses      local IP addresses to listen on; each becomes a host candidate
 * @param allowedNetworks    CIDR blocks (e.g. {@code 127.0.0.0/8}, {@code 0.0.0.0/0}) remote addresses must
 *                           be in: the bridge neither answers nor sends anything to other addresses
 * @param mediaThreads       threads that decrypt, route and encrypt media (conferences are spread over them)
 * @param iceFailureTimeout  how long an endpoint may take to complete ICE and DTLS before it is failed
 * @param packetQueueSize    per media thread: packets waiting to be processed before new ones are dropped
 */
public record BridgeConfig(
        int udpPort,
        List<String> bindAddresses,
        List<String> allowedNetworks,
        int mediaThreads,
        Duration iceFailureTimeout,
        int packetQueueSize) {
    public static final int DEFAULT_UDP_PORT = 10000;

    public BridgeConfig {
        bindAddresses = List.copyOf(bindAddresses);
        allowedNetworks = List.copyOf(allowedNetworks);
        Objects.requireNonNull(iceFailureTimeout, "iceFailureTimeout");
        if (udpPort < 0 || udpPort > 65535) {
            throw new IllegalArgumentException("udpPort out of range: " + udpPort);
        }
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is required");
        }
        if (mediaThreads < 1) {
            throw new IllegalArgumentException("mediaThreads must be >= 1");
        }
        if (packetQueueSize < 16) {
            throw new IllegalArgumentException("packetQueueSize must be >= 16");
        }
    }

    /** Loopback-only defaults: port 10000 on 127.0.0.1, answering 127.0.0.0/8 only. */
    public static BridgeConfig loopbackDefaults() {
        return new BridgeConfig(DEFAULT_UDP_PORT, List.of("127.0.0.1"), List.of("127.0.0.0/8"),
                Math.max(1, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(30), 4096);
    }

    public BridgeConfig withUdpPort(int port) {
        return new BridgeConfig(port, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout,
                packetQueueSize);
    }
}
