package dev.switchboard.core.routing;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.core.api.Conference;
import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaBridge;
import dev.switchboard.core.api.ThreadPriority;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.fault.FaultInjection;
import dev.switchboard.core.packet.AllowedNetworks;
import dev.switchboard.core.stats.TransitWindow;
import dev.switchboard.core.transport.dtls.DtlsCertificate;
import dev.switchboard.core.transport.dtls.DtlsSession;
import dev.switchboard.core.transport.ice.IceTransport;
import dev.switchboard.core.transport.ice.PublicAddresses;
import dev.switchboard.core.transport.ice.SharedTcpPort;
import dev.switchboard.core.transport.ice.SharedUdpPort;
import dev.switchboard.core.transport.srtp.SrtpSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media bridge: shared UDP ports (and ICE-TCP ports, one selector thread each), media loops, conferences.
 *
 * <p>Threading map (see docs/architecture.md): socket threads (one per shared port, ice4j's) classify and
 * enqueue; media loops (config.mediaThreads, conferences assigned round-robin) own SRTP state and forward;
 * the setup executor creates ICE agents; the DTLS executor runs handshakes (blocking, one task each); the
 * timer fails endpoints that do not connect in time and queues periodic work (speaker detection, RTCP) on
 * the loops. ice4j runs its own check and keep-alive threads.
 */
public final class RoutingBridge implements MediaBridge {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingBridge.class);
    /** Period of the conferences' RTCP work: NACK pacing, transport-cc feedback, receiver reports. */
    private static final long RTCP_TICK_MILLIS = 20;
    /** Pacing turns (probe clusters, test-only shaped egress) while something waits: 2 ms apart. */
    private static final long PACING_TICK_MILLIS = 2;
    /** How often compiler threads the JVM started since are given the media threads' priority. */
    private static final long COMPILER_NICE_PERIOD_SECONDS = 10;

    private final BridgeConfig config;
    private final AllowedNetworks allowedNetworks;
    private final List<SharedUdpPort> ports;
    /** ICE-TCP ports (one per bind address), empty when ICE-TCP is off. */
    private final List<SharedTcpPort> tcpPorts;
    private final PublicAddresses publicAddresses;
    private final FaultInjection faults;
    private final List<MediaLoop> loops = new ArrayList<>();
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final PacketPool pool;
    private final BridgeCounters counters = new BridgeCounters();
    private final DtlsCertificate certificate;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService setupExecutor;
    private final ExecutorService dtlsExecutor;
    private final ScheduledExecutorService timer;
    /** The media loops' transit times over the last seconds, rolled once a second by the timer. */
    private final TransitWindow transit;
    private final Map<String, RoutedConference> conferences = new ConcurrentHashMap<>();
    private final long bridgeSsrc;
    private volatile boolean closed;

    private RoutingBridge(BridgeConfig config, List<SharedUdpPort> ports, List<SharedTcpPort> tcpPorts,
            PublicAddresses publicAddresses,
            DtlsCertificate certificate, AllowedNetworks allowedNetworks, FaultInjection faults) {
        this.config = config;
        this.faults = faults;
        this.ports = ports;
        this.tcpPorts = tcpPorts;
        this.publicAddresses = publicAddresses;
        this.certificate = certificate;
        this.allowedNetworks = allowedNetworks;
        this.pool = new PacketPool(config.packetQueueSize() * config.mediaThreads() + 256);
        for (int i = 0; i < config.mediaThreads(); i++) {
            loops.add(new MediaLoop("switchboard-media-" + i, config.packetQueueSize(), pool,
                    config.threadNice()));
        }
        this.setupExecutor = Executors.newCachedThreadPool(daemonThreads("switchboard-setup", config.threadNice()));
        this.dtlsExecutor = Executors.newCachedThreadPool(daemonThreads("switchboard-dtls", config.threadNice()));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("switchboard-timer", 0));
        this.transit = new TransitWindow(loops.stream().map(MediaLoop::transit).toList(),
                BridgeStatistics.TRANSIT_WINDOW_SECONDS);
        timer.scheduleAtFixedRate(transit::roll, 1, 1, TimeUnit.SECONDS);
        this.bridgeSsrc = random.nextInt() & 0xFFFF_FFFFL;
        long silenceNanos = config.iceFailureTimeout().toNanos();
        long period = Math.max(100, Math.min(1000, config.iceFailureTimeout().toMillis() / 4));
        timer.scheduleWithFixedDelay(() -> conferences.values().forEach(c -> c.failSilentEndpoints(silenceNanos)),
                period, period, TimeUnit.MILLISECONDS);
        if (config.consentEnabled()) {
            long consentInterval = config.consentInterval().toNanos();
            long consentTimeout = config.consentTimeout().toNanos();
            long consentTick = Math.max(50, Math.min(1000, config.consentInterval().toMillis() / 4));
            timer.scheduleWithFixedDelay(() -> {
                try {
                    conferences.values().forEach(c -> c.checkConsent(consentInterval, consentTimeout));
                } catch (RuntimeException e) {
                    LOG.warn("Consent checks failed", e); // keep the periodic task alive
                }
            }, consentTick, consentTick, TimeUnit.MILLISECONDS);
        }
        timer.scheduleWithFixedDelay(() -> conferences.values().forEach(RoutedConference::tickSpeakers),
                100, 100, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> conferences.values().forEach(RoutedConference::scheduleRtcpTick),
                RTCP_TICK_MILLIS, RTCP_TICK_MILLIS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> conferences.values().forEach(RoutedConference::schedulePacingTick),
                PACING_TICK_MILLIS, PACING_TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (config.threadNice() != 0) {
            // the JIT at the media threads' priority (ThreadPriority.setCompilerThreadsNice); again later for
            // compiler threads the JVM adds
            int compilers = ThreadPriority.setCompilerThreadsNice(config.threadNice());
            LOG.info("{} JIT compiler thread(s) run at nice {}", compilers, config.threadNice());
            timer.scheduleWithFixedDelay(() -> ThreadPriority.setCompilerThreadsNice(config.threadNice()),
                    COMPILER_NICE_PERIOD_SECONDS, COMPILER_NICE_PERIOD_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Binds the shared port on every bind address (same port on each) and starts the media loops. */
    public static RoutingBridge start(BridgeConfig config) throws IOException {
        AllowedNetworks allowed = new AllowedNetworks(config.allowedNetworks());
        FaultInjection faults = FaultInjection.of(config.faultInjection());
        if (faults.enabled()) {
            LOG.warn("FAULT INJECTION ENABLED: the bridge drops {}% of the RTP/RTCP/DTLS datagrams it receives and "
                    + "{}% of those it sends (never STUN), seed {}. A test/diagnostic setting: never use it in "
                    + "production.", faults.dropIncomingPercent(), faults.dropOutgoingPercent(), faults.seed());
        }
        if (config.faultInjection().egressLimits()) {
            LOG.warn("FAULT INJECTION: per-endpoint egress rate limits may be set at run time (tests only).");
        }
        SrtpSession.prepareCrypto(); // here, not on a media loop at the first call's first packet
        List<SharedUdpPort> ports = new ArrayList<>();
        int port = config.udpPort();
        try {
            for (String address : config.bindAddresses()) {
                SharedUdpPort shared =
                        SharedUdpPort.bind(address, port, allowed, faults, config.threadNice());
                port = shared.port();
                ports.add(shared);
            }
        } catch (IOException | RuntimeException e) {
            ports.forEach(SharedUdpPort::close);
            throw new IOException("cannot bind UDP port " + config.udpPort() + " on " + config.bindAddresses()
                    + ": " + e.getMessage(), e);
        }
        List<SharedTcpPort> tcpPorts = new ArrayList<>();
        if (config.tcpEnabled()) {
            int tcpPort = config.tcpPort();
            try {
                for (String address : config.bindAddresses()) {
                    SharedTcpPort shared = SharedTcpPort.bind(address, tcpPort, allowed);
                    tcpPort = shared.port();
                    tcpPorts.add(shared);
                }
            } catch (IOException | RuntimeException e) {
                ports.forEach(SharedUdpPort::close);
                tcpPorts.forEach(SharedTcpPort::close);
                throw new IOException("cannot bind ICE-TCP port " + config.tcpPort() + " on " + config.bindAddresses()
                        + ": " + e.getMessage(), e);
            }
        }
        PublicAddresses publicAddresses;
        try {
            publicAddresses = PublicAddresses.discover(ports, config.staticMappings(), config.stunServers(),
                    Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            ports.forEach(SharedUdpPort::close);
            tcpPorts.forEach(SharedTcpPort::close);
            throw e;
        }
        DtlsCertificate certificate;
        try {
            certificate = config.dtlsCertificateFiles() == null ? DtlsCertificate.generate(new SecureRandom())
                    : DtlsCertificate.load(config.dtlsCertificateFiles().certificate(),
                            config.dtlsCertificateFiles().privateKey(), Instant.now());
        } catch (RuntimeException e) {
            ports.forEach(SharedUdpPort::close);
            tcpPorts.forEach(SharedTcpPort::close);
            throw e;
        }
        RoutingBridge bridge = new RoutingBridge(config, List.copyOf(ports), List.copyOf(tcpPorts), publicAddresses, certificate, allowed,
                faults);
        LOG.info("Media bridge listening on UDP {}:{}{} (answering {}), DTLS fingerprint {}",
                config.bindAddresses(), port, tcpPorts.isEmpty() ? "" : " and ICE-TCP " + tcpPorts.get(0).port(),
                allowed, certificate.fingerprint().value());
        return bridge;
    }

    /** The UDP port actually bound (differs from the configured one when that was 0). */
    public int udpPort() {
        return ports.get(0).port();
    }

    /** The ICE-TCP port actually bound, or -1 when ICE-TCP is off. */
    public int tcpPort() {
        return tcpPorts.isEmpty() ? -1 : tcpPorts.get(0).port();
    }

    /** Pooled buffers in use; zero when idle (a leak check). */
    public long outstandingBuffers() {
        return pool.outstanding();
    }

    /**
     * Test/diagnostic only: puts a link of {@code bitsPerSecond} with a 32 KB drop-tail queue between the bridge
     * and endpoint {@code endpointId} of conference {@code conferenceId} ({@code EgressShaper}: packets wait their
     * turn on the link, what overflows the queue is dropped and counted as {@code injected-egress-limit}), or
     * lifts the limit with 0, as if that participant's downlink shrank.
     *
     * @throws IllegalStateException unless the bridge was started with {@code FaultInjectionConfig.egressLimits}
     */
    public void setEgressLimitForTesting(String conferenceId, String endpointId, long bitsPerSecond) {
        if (!config.faultInjection().egressLimits()) {
            throw new IllegalStateException("egress limits are a test setting: FaultInjectionConfig.egressLimits");
        }
        RoutedConference conference = conferences.get(conferenceId);
        if (conference == null) {
            throw new IllegalArgumentException("no conference " + conferenceId);
        }
        conference.setEgressLimit(endpointId, bitsPerSecond);
    }

    /**
     * The bandwidth the bridge estimates toward each endpoint of a conference, in bit/s (-1 before that
     * endpoint's first transport-cc feedback); read on the conference's media loop. For tests and diagnostics.
     */
    public java.util.concurrent.CompletionStage<java.util.Map<String, Long>> bandwidthEstimates(String conferenceId) {
        RoutedConference conference = conferences.get(conferenceId);
        return conference == null ? java.util.concurrent.CompletableFuture.completedFuture(java.util.Map.of())
                : conference.bandwidthEstimates();
    }

    public BridgeCounters counters() {
        return counters;
    }

    @Override
    public Conference conference(String id) {
        if (closed) {
            throw new IllegalStateException("bridge closed");
        }
        return conferences.compute(id, (key, existing) ->
                existing != null && !existing.isClosed() ? existing : newConference(key));
    }

    private RoutedConference newConference(String id) {
        MediaLoop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
        RoutedConference[] self = new RoutedConference[1];
        RoutedConference.EndpointFactory factory = new RoutedConference.EndpointFactory() {
            @Override
            public TransportDescription connect(BridgeEndpoint endpoint) throws IOException {
                return RoutingBridge.this.connect(endpoint);
            }

            @Override
            public TransportDescription restartIce(BridgeEndpoint endpoint, IceParameters remoteIce,
                    List<IceCandidate> candidates) throws IOException {
                return RoutingBridge.this.restartIce(endpoint, remoteIce, candidates);
            }
        };
        self[0] = new RoutedConference(id, loop, pool, counters, System::nanoTime, factory, setupExecutor,
                bridgeSsrc, () -> conferences.remove(id, self[0]));
        LOG.info("Conference {} created", id);
        return self[0];
    }

    private TransportDescription connect(BridgeEndpoint endpoint) throws IOException {
        String name = endpoint.id();
        IceTransport ice = new IceTransport(name, ports, tcpPorts, allowedNetworks, endpoint, endpoint,
                config.turnRelay(), relayLocalAddress());
        DtlsRole localRole = endpoint.remote().dtlsRole().opposite();
        DtlsSession dtls = new DtlsSession(certificate, localRole, endpoint.remote().fingerprints(),
                endpoint::sendDtls, dtlsExecutor, random);
        endpoint.attach(ice, dtls, localRole == DtlsRole.SERVER);
        ice.start(endpoint.remote().ice(), endpoint.remote().candidates());
        long timeoutMillis = config.iceFailureTimeout().toMillis();
        timer.schedule(() -> endpoint.failIfNotConnected(
                "ICE/DTLS did not complete within " + timeoutMillis + " ms"), timeoutMillis, TimeUnit.MILLISECONDS);
        return describe(ice, localRole);
    }

    private TransportDescription restartIce(BridgeEndpoint endpoint, IceParameters remoteIce,
            List<IceCandidate> remoteCandidates) throws IOException {
        IceTransport ice = new IceTransport(endpoint.id() + "-restart", ports, tcpPorts, allowedNetworks, endpoint,
                endpoint.beginIceRestart(), config.turnRelay(), relayLocalAddress());
        ice.start(remoteIce, remoteCandidates);
        long timeoutMillis = config.iceFailureTimeout().toMillis();
        timer.schedule(() -> endpoint.failRestartIfPending(ice,
                "ICE restart did not complete within " + timeoutMillis + " ms"), timeoutMillis, TimeUnit.MILLISECONDS);
        return describe(ice, endpoint.remote().dtlsRole().opposite());
    }

    /** The address bridge-side TURN allocations are made from: the first bind address. */
    private java.net.InetAddress relayLocalAddress() {
        return ports.get(0).localAddress().getAddress();
    }

    private TransportDescription describe(IceTransport ice, DtlsRole localRole) {
        List<IceCandidate> candidates = new ArrayList<>(ice.localCandidates());
        candidates.addAll(publicAddresses.candidates());
        return new TransportDescription(ice.localParameters(), candidates, List.of(certificate.fingerprint()),
                localRole);
    }

    @Override
    public Optional<Conference> findConference(String id) {
        return Optional.ofNullable(conferences.get(id));
    }

    @Override
    public BridgeStatistics statistics() {
        int endpoints = conferences.values().stream().mapToInt(RoutedConference::endpointCount).sum();
        Map<String, Long> dropped = new java.util.LinkedHashMap<>(counters.droppedByReason());
        dropped.put("unknown-source", ports.stream().mapToLong(SharedUdpPort::unknownSourceDrops).sum());
        dropped.put("refused-network", ports.stream().mapToLong(SharedUdpPort::refusedChecks).sum()
                + tcpPorts.stream().mapToLong(SharedTcpPort::refusedConnections).sum());
        if (!tcpPorts.isEmpty()) { // ICE-TCP: connections (not packets) closed unauthenticated, and skipped frames
            dropped.put("tcp-idle-timeout", tcpPorts.stream().mapToLong(SharedTcpPort::idleTimeouts).sum());
            dropped.put("tcp-invalid", tcpPorts.stream().mapToLong(SharedTcpPort::invalidConnections).sum());
            dropped.put("tcp-over-capacity", tcpPorts.stream().mapToLong(SharedTcpPort::overCapacityConnections)
                    .sum());
            dropped.put("tcp-oversized", tcpPorts.stream().mapToLong(SharedTcpPort::oversizedFrames).sum());
        }
        dropped.put("injected-in", faults.injectedIncoming());
        dropped.put("injected-out", faults.injectedOutgoing());
        return new BridgeStatistics(counters.packetsReceived(), counters.bytesReceived(),
                counters.packetsForwarded(), counters.bytesForwarded(), dropped, conferences.size(), endpoints,
                loops.stream().mapToInt(MediaLoop::queued).sum(), counters.nackRequestsReceived(),
                counters.retransmissionsSent(), counters.nackRequestsSent(), pool.outstanding(),
                counters.rtxPacketsReceived(), counters.rtxRetransmissionsSent(),
                new BridgeStatistics.Probes(counters.probeClusters(), counters.probePackets(),
                        counters.probeBytes(), counters.probeClustersSucceeded()),
                transit.snapshot());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List.copyOf(conferences.values()).forEach(RoutedConference::close);
        conferences.clear();
        ports.forEach(SharedUdpPort::close);
        tcpPorts.forEach(SharedTcpPort::close);
        timer.shutdownNow();
        setupExecutor.shutdownNow();
        dtlsExecutor.shutdownNow();
        loops.forEach(MediaLoop::close);
        LOG.info("Media bridge stopped");
    }

    /** Daemon threads named {@code prefix-N} that ask for {@code nice} first (0: nothing asked). */
    private static ThreadFactory daemonThreads(String prefix, int nice) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Runnable body = nice == 0 ? runnable : () -> {
                ThreadPriority.setCurrentThreadNice(nice);
                runnable.run();
            };
            Thread thread = new Thread(body, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
