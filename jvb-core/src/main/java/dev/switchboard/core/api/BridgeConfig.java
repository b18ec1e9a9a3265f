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
 *                           it is failed, and how long a connected endpoint may stay silent (nothing received)
 *                           before it is failed and its room told
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
 * @param dtlsCertificateFiles the DTLS certificate and key to load (PEM, ECDSA P-256), for a fingerprint that
 *                           survives restarts; {@code null} (the default) generates a fresh one at start-up
 * @param consentTimeout     RFC 7675 consent freshness: the bridge sends a STUN Binding Request on each
 *                           connected endpoint's selected pair about every {@link #consentInterval()} and fails
 *                           the endpoint (its room is told) when none has been answered for this long (default
 *                           30 s, as the RFC says; {@link Duration#ZERO} turns consent checks off)
 * @param turnRelay          a TURN server on which every endpoint gets a relay candidate (allocated from the first
 *                           bind address), for clients that can reach it but not the bridge; null (the default)
 *                           for none. Through the relay, remote addresses outside {@code allowedNetworks} are
 *                           reached too (the TURN server's own peer policy applies)
 * @param threadNice         Linux nice value the latency-critical threads ask for themselves (-20..19; default
 *                           {@value #DEFAULT_THREAD_NICE}, 0 leaves them as they are): the media loops, the UDP
 *                           socket readers, the DTLS handshake and endpoint set-up threads here, and the embedding
 *                           server's signaling loop ({@link ThreadPriority}), so that JIT compiler, STUN and timer
 *                           threads on the same CPU do not hold packets or joins up. A negative value needs
 *                           {@code CAP_SYS_NICE}, root, or an {@code RLIMIT_NICE} that allows it; without them the
 *                           threads keep their priority and each media loop says so once in the log
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
        int tcpPort,
        DtlsCertificateFiles dtlsCertificateFiles,
        Duration consentTimeout,
        TurnRelayConfig turnRelay,
        int threadNice) {
    public static final int DEFAULT_UDP_PORT = 10000;
    /** The ICE-TCP port of {@link #loopbackDefaults()} and of the server's configuration. */
    public static final int DEFAULT_TCP_PORT = 4443;
    /** A {@link #tcpPort} that turns ICE over TCP off. */
    public static final int TCP_DISABLED = -1;
    /** RFC 7675 section 5.1: consent expires 30 s after the last answered check. */
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** See {@code threadNice}. */
    public static final int DEFAULT_THREAD_NICE = -10;

    public BridgeConfig {
        bindAddresses = List.copyOf(bindAddresses);
        allowedNetworks = List.copyOf(allowedNetworks);
        staticMappings = List.copyOf(staticMappings);
        stunServers = List.copyOf(stunServers);
        faultInjection = faultInjection == null ? FaultInjectionConfig.NONE : faultInjection;
        Objects.requireNonNull(iceFailureTimeout, "iceFailureTimeout");
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        if (consentTimeout.isNegative() || (!consentTimeout.isZero() && consentTimeout.toMillis() < 300)) {
            throw new IllegalArgumentException("consentTimeout must be 0 (off) or at least 300 ms: " + consentTimeout);
        }
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
        if (threadNice < -20 || threadNice > 19) {
            throw new IllegalArgumentException("threadNice must be -20..19: " + threadNice);
        }
        if (packetQueueSize < 16) {
            throw new IllegalArgumentException("packetQueueSize must be >= 16");
        }
    }

    /** Loopback-only defaults: UDP port 10000 and ICE-TCP port 4443 on 127.0.0.1, answering 127.0.0.0/8 only. */
    public static BridgeConfig loopbackDefaults() {
        return builder().build();
    }

    /** A builder that starts from {@link #loopbackDefaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when the bridge checks consent (RFC 7675) on connected endpoints. */
    public boolean consentEnabled() {
        return !consentTimeout.isZero();
    }

    /**
     * The mean time between two consent checks of an endpoint (each is randomized to 0.8-1.2 times it): 5 s,
     * the RFC 7675 value, or a sixth of {@link #consentTimeout} when that is shorter (tests), so that several
     * checks, each retransmitted, fit in one timeout.
     */
    public Duration consentInterval() {
        Duration sixth = consentTimeout.dividedBy(6);
        return sixth.compareTo(Duration.ofSeconds(5)) < 0 ? sixth : Duration.ofSeconds(5);
    }

    /** True when ICE over TCP is on ({@link #tcpPort} is not negative). */
    public boolean tcpEnabled() {
        return tcpPort >= 0;
    }

    public BridgeConfig withUdpPort(int port) {
        return toBuilder().udpPort(port).build();
    }

    /** These settings with this ICE-TCP port (0 = any free, {@link #TCP_DISABLED} = off). */
    public BridgeConfig withTcpPort(int port) {
        return toBuilder().tcpPort(port).build();
    }

    public BridgeConfig withPublicAddresses(List<String> mappings, List<String> stun) {
        return toBuilder().staticMappings(mappings).stunServers(stun).build();
    }

    /** These settings with fault injection, a test/diagnostic setting ({@link FaultInjectionConfig#NONE}: off). */
    public BridgeConfig withFaultInjection(FaultInjectionConfig faults) {
        return toBuilder().faultInjection(faults).build();
    }

    /**
     * These settings with random drop of {@code dropIncomingPercent} of the received and
     * {@code dropOutgoingPercent} of the sent non-STUN datagrams (0..100 each), decided from {@code seed}.
     */
    public BridgeConfig withFaultInjection(double dropIncomingPercent, double dropOutgoingPercent, long seed) {
        return withFaultInjection(new FaultInjectionConfig(dropIncomingPercent, dropOutgoingPercent, seed));
    }

    /** Builds {@link BridgeConfig}s; every setting starts at its {@link #loopbackDefaults()} value. */
    public static final class Builder {
        private int udpPort = DEFAULT_UDP_PORT;
        private List<String> bindAddresses = List.of("127.0.0.1");
        private List<String> allowedNetworks = List.of("127.0.0.0/8");
        private int mediaThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration iceFailureTimeout = Duration.ofSeconds(30);
        private int packetQueueSize = 4096;
        private List<String> staticMappings = List.of();
        private List<String> stunServers = List.of();
        private FaultInjectionConfig faultInjection = FaultInjectionConfig.NONE;
        private int tcpPort = DEFAULT_TCP_PORT;
        private DtlsCertificateFiles dtlsCertificateFiles;
        private Duration consentTimeout = DEFAULT_CONSENT_TIMEOUT;
        private TurnRelayConfig turnRelay;
        private int threadNice = DEFAULT_THREAD_NICE;

        private Builder() {
        }

        private Builder(BridgeConfig from) {
            udpPort = from.udpPort;
            bindAddresses = from.bindAddresses;
            allowedNetworks = from.allowedNetworks;
            mediaThreads = from.mediaThreads;
            iceFailureTimeout = from.iceFailureTimeout;
            packetQueueSize = from.packetQueueSize;
            staticMappings = from.staticMappings;
            stunServers = from.stunServers;
            faultInjection = from.faultInjection;
            tcpPort = from.tcpPort;
            dtlsCertificateFiles = from.dtlsCertificateFiles;
            consentTimeout = from.consentTimeout;
            turnRelay = from.turnRelay;
            threadNice = from.threadNice;
        }

        public Builder udpPort(int port) {
            this.udpPort = port;
            return this;
        }

        public Builder bindAddresses(List<String> addresses) {
            this.bindAddresses = addresses;
            return this;
        }

        public Builder allowedNetworks(List<String> networks) {
            this.allowedNetworks = networks;
            return this;
        }

        public Builder mediaThreads(int threads) {
            this.mediaThreads = threads;
            return this;
        }

        public Builder iceFailureTimeout(Duration timeout) {
            this.iceFailureTimeout = timeout;
            return this;
        }

        public Builder packetQueueSize(int size) {
            this.packetQueueSize = size;
            return this;
        }

        public Builder staticMappings(List<String> mappings) {
            this.staticMappings = mappings;
            return this;
        }

        public Builder stunServers(List<String> servers) {
            this.stunServers = servers;
            return this;
        }

        public Builder faultInjection(FaultInjectionConfig faults) {
            this.faultInjection = faults;
            return this;
        }

        /** The ICE-TCP port: 0 = any free, {@link #TCP_DISABLED} = off. */
        public Builder tcpPort(int port) {
            this.tcpPort = port;
            return this;
        }

        /** The DTLS certificate to load, or {@code null} to generate one at start-up. */
        public Builder dtlsCertificateFiles(DtlsCertificateFiles files) {
            this.dtlsCertificateFiles = files;
            return this;
        }

        /** RFC 7675 consent timeout ({@link Duration#ZERO}: no consent checks). */
        public Builder consentTimeout(Duration timeout) {
            this.consentTimeout = timeout;
            return this;
        }

        /** A TURN server for bridge-side relay candidates (null: none, the default). */
        public Builder turnRelay(TurnRelayConfig relay) {
            this.turnRelay = relay;
            return this;
        }

        /** The nice value the latency-critical threads ask for (0: leave them be). */
        public Builder threadNice(int nice) {
            this.threadNice = nice;
            return this;
        }

        /** The settings; invalid values throw {@link IllegalArgumentException}. */
        public BridgeConfig build() {
            return new BridgeConfig(udpPort, bindAddresses, allowedNetworks, mediaThreads, iceFailureTimeout,
                    packetQueueSize, staticMappings, stunServers, faultInjection, tcpPort, dtlsCertificateFiles,
                    consentTimeout, turnRelay, threadNice);
        }
    }
}
