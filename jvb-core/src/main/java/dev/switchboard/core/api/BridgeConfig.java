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
 * @param iceFailureTimeout  how long an endpoint may take to complete ICE and DTLS (or an ICE restart) before
 *                           it is failed, and how long a connected endpoint may stay silent (nothing received:
 *                           consent lost, RFC 7675 spirit) before it is failed and its room told
 * @param packetQueueSize    per media thread: packets waiting to be processed before new ones are dropped
 * @param staticMappings     public addresses for a bridge behind 1:1 NAT or in Docker, each
 *                           {@code public} (applies to every bind address) or {@code local=public}, where
 *                           public may carry a port ({@code 203.0.113.7:10000}); each becomes a srflx candidate
 * @param stunServers        STUN servers ({@code host:port}) asked at start-up for each port's public address;
 *                           each answer becomes a srflx candidate
 * @param faultInjection     test/diagnostic setting: random drop of a share of the non-STUN datagrams received
 *                           and sent ({@link FaultInjectionConfig#NONE}, the default, drops nothing)
 * @param tcpPort            the one TCP port for ICE over TCP (RFC 6544 passive candidates, RFC 4571 framing) on
 *                           every bind address, for clients whose UDP is blocked; 0 picks a free port (tests),
 *                           {@link #TCP_DISABLED} (any negative value) turns ICE-TCP off
 */
public record BridgeConfig(
        int udpPort,
        List<String> bindAddresses,
        List<String> allowedNetworks,
        int mediaThreads,
        Duration iceFailureTimeout,
        int packetQueueSize,
        List<String> staticMappings,
        List<String> stunServers,
        FaultInjectionConfig faultInjection,
        int tcpPort) {
    public static final int DEFAULT_UDP_PORT = 10000;
    /** The ICE-TCP port of {@link #loopbackDefaults()} and of the server's configuration. */
    public static final int DEFAULT_TCP_PORT = 4443;
    /** A {@link #tcpPort} that turns ICE over TCP off. */
    public static final int TCP_DISABLED = -1;

    public BridgeConfig {
        bindAddresses = List.copyOf(bindAddresses);
        allowedNetworks = List.copyOf(allowedNetworks);
        staticMappings = List.copyOf(staticMappings);
        stunServers = List.copyOf(stunServers);
        faultInjection = faultInjection == null ? FaultInjectionConfig.NONE : faultInjection;
        Objects.requireNonNull(iceFailureTimeout, "iceFailureTimeout");
        if (udpPort < 0 || udpPort > 65535) {
            throw new IllegalArgumentException("udpPort out of range: " + udpPort);
        }
        if (tcpPort > 65535) {
            throw new IllegalArgumentException("tcpPort out of range: " + tcpPort);
        }
        if (tcpPort < 0) {
            tcpPort = TCP_DISABLED;
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

    /** Settings without ICE over TCP. */
    public BridgeConfig(int udpPort, List<String> bindAddresses, List<String> allowedNetworks, int mediaThreads,
            Duration iceFailureTimeout, int packetQueueSize, List<String> staticMappings, List<String> stunServers,
            FaultInjectionConfig faultInjection) {
        this(udpPort, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout, packetQueueSize,
                staticMappings, stunServers, faultInjection, TCP_DISABLED);
    }

    /** Settings without fault injection and without ICE over TCP. */
    public BridgeConfig(int udpPort, List<String> bindAddresses, List<String> allowedNetworks, int mediaThreads,
            Duration iceFailureTimeout, int packetQueueSize, List<String> staticMappings, List<String> stunServers) {
        this(udpPort, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout, packetQueueSize,
                staticMappings, stunServers, FaultInjectionConfig.NONE);
    }

    /** Settings without public-address discovery (no static mappings, no STUN servers) and without ICE-TCP. */
    public BridgeConfig(int udpPort, List<String> bindAddresses, List<String> allowedNetworks, int mediaThreads,
            Duration iceFailureTimeout, int packetQueueSize) {
        this(udpPort, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout, packetQueueSize, List.of(),
                List.of());
    }

    /** Loopback-only defaults: UDP port 10000 and ICE-TCP port 4443 on 127.0.0.1, answering 127.0.0.0/8 only. */
    public static BridgeConfig loopbackDefaults() {
        return new BridgeConfig(DEFAULT_UDP_PORT, List.of("127.0.0.1"), List.of("127.0.0.0/8"),
                Math.max(1, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(30), 4096, List.of(),
                List.of(), FaultInjectionConfig.NONE, DEFAULT_TCP_PORT);
    }

    /** True when ICE over TCP is on ({@link #tcpPort} is not negative). */
    public boolean tcpEnabled() {
        return tcpPort >= 0;
    }

    public BridgeConfig withUdpPort(int port) {
        return new BridgeConfig(port, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout,
                packetQueueSize, staticMappings, stunServers, faultInjection, tcpPort);
    }

    /** These settings with this ICE-TCP port (0 = any free, {@link #TCP_DISABLED} = off). */
    public BridgeConfig withTcpPort(int port) {
        return new BridgeConfig(udpPort, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout,
                packetQueueSize, staticMappings, stunServers, faultInjection, port);
    }

    public BridgeConfig withPublicAddresses(List<String> mappings, List<String> stun) {
        return new BridgeConfig(udpPort, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout,
                packetQueueSize, mappings, stun, faultInjection, tcpPort);
    }

    /** These settings with fault injection, a test/diagnostic setting ({@link FaultInjectionConfig#NONE}: off). */
    public BridgeConfig withFaultInjection(FaultInjectionConfig faults) {
        return new BridgeConfig(udpPort, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout,
                packetQueueSize, staticMappings, stunServers, faults, tcpPort);
    }

    /**
     * These settings with random drop of {@code dropIncomingPercent} of the received and
     * {@code dropOutgoingPercent} of the sent non-STUN datagrams (0..100 each), decided from {@code seed}.
     */
    public BridgeConfig withFaultInjection(double dropIncomingPercent, double dropOutgoingPercent, long seed) {
        return withFaultInjection(new FaultInjectionConfig(dropIncomingPercent, dropOutgoingPercent, seed));
    }
}
