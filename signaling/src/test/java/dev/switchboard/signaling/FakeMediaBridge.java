package dev.switchboard.signaling;

import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.core.api.Conference;
import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaBridge;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.SelectedPair;
import dev.switchboard.core.api.TransportDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written MediaBridge for signaling tests: records every call, completes addEndpoint on its own thread
 * (like the core, which answers from core threads) and lets a test emit endpoint events.
 */
public final class FakeMediaBridge implements MediaBridge {
    public static final String FINGERPRINT =
            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    /** Every call, e.g. {@code add room/ep}, {@code update ep [AUDIO:123]}, {@code candidate ep 1.2.3.4}. */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, FakeConference> conferences = new ConcurrentHashMap<>();
    /** What {@link Conference#selectedPair} reports, by endpoint id (none: empty). */
    public final Map<String, SelectedPair> selectedPairs = new ConcurrentHashMap<>();
    private final ExecutorService coreThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-core");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean failAdds;
    private volatile boolean closed;

    /** Makes every later addEndpoint fail with an IllegalStateException. */
    public void failAdds(boolean fail) {
        failAdds = fail;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public Conference conference(String id) {
        return conferences.computeIfAbsent(id, FakeConference::new);
    }

    @Override
    public Optional<Conference> findConference(String id) {
        return Optional.ofNullable(conferences.get(id));
    }

    public Optional<FakeConference> fakeConference(String id) {
        return Optional.ofNullable(conferences.get(id));
    }

    @Override
    public BridgeStatistics statistics() {
        int endpoints = conferences.values().stream().mapToInt(c -> c.endpoints.size()).sum();
        return new BridgeStatistics(10, 1000, 20, 2000, Map.of("malformed", 1L), conferences.size(), endpoints, 0,
                0, 0, 0, 0, 3, 4, new BridgeStatistics.Probes(3, 40, 11_000, 2),
                new BridgeStatistics.Transit(500, 120, 900, 2_000, 4_100));
    }

    @Override
    public void close() {
        closed = true;
        coreThread.shutdownNow();
    }

    /** Sends an event to an endpoint's listener from the fake core thread. */
    public void emit(String conferenceId, EndpointEvent event) {
        FakeConference conference = conferences.get(conferenceId);
        EndpointRequest request = conference == null ? null : conference.endpoints.get(event.endpointId());
        if (request == null) {
            throw new IllegalStateException("no endpoint " + event.endpointId());
        }
        coreThread.execute(() -> request.listener().onEvent(event));
    }

    /** The bridge side of a transport, for the remote role given. */
    public static TransportDescription bridgeTransport(String ufrag, DtlsRole remoteRole) {
        return new TransportDescription(
                new IceParameters(ufrag, "bridgepassword0123456789"),
                List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 10000, "host", null, 0, null)),
                List.of(new Fingerprint("sha-256", FINGERPRINT)),
                remoteRole.opposite());
    }

    public final class FakeConference implements Conference {
        private final String id;
        public final Map<String, EndpointRequest> endpoints = new ConcurrentHashMap<>();
        public final Map<String, MediaDescription> media = new ConcurrentHashMap<>();
        public final Map<String, List<IceCandidate>> candidates = new ConcurrentHashMap<>();

        FakeConference(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public CompletionStage<TransportDescription> addEndpoint(EndpointRequest request) {
            calls.add("add " + id + "/" + request.endpointId());
            return CompletableFuture.supplyAsync(() -> {
                if (failAdds) {
                    throw new IllegalStateException("fake failure");
                }
                if (endpoints.putIfAbsent(request.endpointId(), request) != null) {
                    throw new IllegalArgumentException("duplicate endpoint " + request.endpointId());
                }
                media.put(request.endpointId(), request.media());
                candidates.put(request.endpointId(), new CopyOnWriteArrayList<>(request.remote().candidates()));
                return bridgeTransport("brdg" + counter.incrementAndGet(), request.remote().dtlsRole());
            }, coreThread);
        }

        @Override
        public void setLastN(int n) {
            calls.add("last-n " + id + " " + n);
        }

        @Override
        public void setReceiverLastN(String endpointId, int n) {
            calls.add("receiver-last-n " + endpointId + " " + n);
        }

        @Override
        public void setVideoConstraints(String endpointId, dev.switchboard.core.api.VideoConstraints constraints) {
            calls.add("video-constraints " + endpointId + " " + constraints.defaultMaxHeight() + " "
                    + new java.util.TreeMap<>(constraints.maxHeights()));
        }

        @Override
        public CompletionStage<TransportDescription> restartIce(String endpointId, IceParameters remoteIce,
                List<IceCandidate> remoteCandidates) {
            calls.add("restart " + endpointId + " " + remoteIce.ufrag());
            return CompletableFuture.supplyAsync(() -> {
                EndpointRequest request = endpoints.get(endpointId);
                if (request == null) {
                    throw new IllegalArgumentException("no endpoint " + endpointId);
                }
                return bridgeTransport("brdg" + counter.incrementAndGet(), request.remote().dtlsRole());
            }, coreThread);
        }

        @Override
        public void updateMedia(String endpointId, MediaDescription description) {
            calls.add("update " + endpointId + " " + describe(description));
            if (endpoints.containsKey(endpointId)) {
                media.put(endpointId, description);
            }
        }

        @Override
        public void addRemoteCandidate(String endpointId, IceCandidate candidate) {
            calls.add("candidate " + endpointId + " " + candidate.address());
            List<IceCandidate> list = candidates.get(endpointId);
            if (list != null) {
                list.add(candidate);
            }
        }

        @Override
        public void removeEndpoint(String endpointId) {
            calls.add("remove " + endpointId);
            EndpointRequest request = endpoints.remove(endpointId);
            media.remove(endpointId);
            if (endpoints.isEmpty()) {
                conferences.remove(id, this);
            }
            if (request != null) {
                coreThread.execute(() -> request.listener().onEvent(new EndpointEvent.Removed(endpointId)));
            }
        }

        @Override
        public Set<String> endpointIds() {
            return Set.copyOf(endpoints.keySet());
        }

        @Override
        public Optional<SelectedPair> selectedPair(String endpointId) {
            return Optional.ofNullable(selectedPairs.get(endpointId));
        }
    }

    public static String describe(MediaDescription description) {
        List<String> parts = new ArrayList<>();
        description.sources().forEach(s -> parts.add(s.kind() + ":" + (s.isSimulcast()
                ? s.simulcast().rids() + "->" + s.simulcast().outputSsrc() : s.primarySsrc())));
        return parts.toString();
    }
}
