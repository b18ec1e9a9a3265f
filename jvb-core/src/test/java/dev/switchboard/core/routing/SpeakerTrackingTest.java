package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.buffer.PacketPool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dominant speaker and last-N inside a conference, with a fake clock and audio levels fed on the media loop as
 * decrypted packets would feed them. Endpoints have no transports: only the routing state is exercised.
 */
class SpeakerTrackingTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final PacketPool pool = new PacketPool(16);
    private final Map<String, List<EndpointEvent>> events = new ConcurrentHashMap<>();
    private MediaLoop loop;
    private RoutedConference conference;

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop("test-media", 64, pool);
        conference = new RoutedConference("speakers", loop, pool, new BridgeCounters(), clock::get, TestConferences.noTransports(),
                Runnable::run, 1L, () -> { });
        long ssrc = 100;
        for (String id : List.of("a", "b", "c")) {
            events.put(id, new CopyOnWriteArrayList<>());
            TransportDescription remote = new TransportDescription(new IceParameters("r" + id, "p"), List.of(),
                    List.of(new Fingerprint("sha-256", "00")), DtlsRole.CLIENT);
            MediaDescription media = new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(ssrc++)),
                    new MediaSource(MediaKind.VIDEO, List.of(ssrc++))), 1, 0);
            conference.addEndpoint(new EndpointRequest(id, remote, media, events.get(id)::add))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            conference.updateMedia(id, media);
        }
        onLoop(() -> { });
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    @Test
    void lastNFollowsTheDominantSpeaker() throws Exception {
        conference.setLastN(1);
        speak("a", 3_000);
        assertEquals("a", onLoop(() -> conference.speakers().dominantSpeaker()));
        assertTrue(events.get("b").contains(new EndpointEvent.DominantSpeakerChanged("b", "a")), events.toString());
        assertEquals(new EndpointEvent.ForwardedVideoChanged("b", List.of("a")), lastForwarded("b"));
        assertEquals(new EndpointEvent.ForwardedVideoChanged("c", List.of("a")), lastForwarded("c"));

        speak("c", 3_000);
        assertEquals("c", onLoop(() -> conference.speakers().dominantSpeaker()));
        assertEquals(new EndpointEvent.ForwardedVideoChanged("b", List.of("c")), lastForwarded("b"));
        assertEquals(new EndpointEvent.ForwardedVideoChanged("a", List.of("c")), lastForwarded("a"));
        assertEquals(new EndpointEvent.ForwardedVideoChanged("c", List.of("a")), lastForwarded("c"),
                "the speaker itself gets the previous speaker");

        BridgeEndpoint a = endpoint("a");
        BridgeEndpoint c = endpoint("c");
        BridgeEndpoint b = endpoint("b");
        assertTrue(onLoop(() -> b.receivesVideoFrom(c)));
        assertTrue(!onLoop(() -> b.receivesVideoFrom(a)), "only N=1 video goes to b");
    }

    @Test
    void anEndpointThatJoinsWhileSomeoneSpeaksIsToldWhoItIs() throws Exception {
        speak("a", 3_000);
        assertEquals("a", onLoop(() -> conference.speakers().dominantSpeaker()));
        events.put("d", new CopyOnWriteArrayList<>());
        conference.addEndpoint(new EndpointRequest("d", new TransportDescription(new IceParameters("rd", "p"),
                        List.of(), List.of(new Fingerprint("sha-256", "00")), DtlsRole.CLIENT),
                new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(200L))), 1, 0),
                events.get("d")::add)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        onLoop(() -> { });
        assertEquals(List.of(new EndpointEvent.DominantSpeakerChanged("d", "a")), events.get("d").stream()
                .filter(e -> e instanceof EndpointEvent.DominantSpeakerChanged).toList());
        assertEquals(1, events.get("b").stream().filter(e -> e instanceof EndpointEvent.DominantSpeakerChanged)
                .count(), "the others are not told again");
    }

    @Test
    void shortBurstsDoNotSwitchAndUnlimitedForwardsEverything() throws Exception {
        speak("a", 3_000);
        assertEquals("a", onLoop(() -> conference.speakers().dominantSpeaker()));
        speak("b", 200);
        silence(2_000);
        assertEquals("a", onLoop(() -> conference.speakers().dominantSpeaker()), "a 200 ms burst is no speech");
        assertTrue(events.get("b").stream().noneMatch(e -> e instanceof EndpointEvent.ForwardedVideoChanged),
                "with last-N unlimited nobody is told about a selection");
        assertTrue(onLoop(() -> endpoint("b").receivesVideoFrom(endpoint("c"))));
    }

    @Test
    void receiverLastNLimitsOnlyThatReceiver() throws Exception {
        conference.setReceiverLastN("b", 0);
        onLoop(() -> { });
        assertEquals(new EndpointEvent.ForwardedVideoChanged("b", List.of()), lastForwarded("b"));
        assertTrue(events.get("a").stream().noneMatch(e -> e instanceof EndpointEvent.ForwardedVideoChanged));
    }

    /** Speech-like levels from one endpoint (loud with short dips), silence from the others, in 20 ms steps. */
    private void speak(String speaker, long millis) throws Exception {
        for (long t = 0; t < millis; t += 20) {
            long step = t;
            onLoop(() -> {
                clock.addAndGet(20_000_000L);
                for (String id : List.of("a", "b", "c")) {
                    int level = id.equals(speaker) ? (step % 200 < 160 ? 25 : 110) : 127;
                    conference.speakers().onAudioLevel(endpoint(id), level);
                }
            });
        }
    }

    private void silence(long millis) throws Exception {
        speak("nobody", millis);
    }

    private BridgeEndpoint endpoint(String id) {
        for (BridgeEndpoint e : conferenceSnapshot()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no endpoint " + id);
    }

    private BridgeEndpoint[] conferenceSnapshot() {
        try {
            var field = RoutedConference.class.getDeclaredField("snapshot");
            field.setAccessible(true);
            return (BridgeEndpoint[]) field.get(conference);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private EndpointEvent lastForwarded(String id) {
        List<EndpointEvent> forwarded = events.get(id).stream()
                .filter(e -> e instanceof EndpointEvent.ForwardedVideoChanged).toList();
        return forwarded.isEmpty() ? null : forwarded.get(forwarded.size() - 1);
    }

    private void onLoop(Runnable task) throws Exception {
        TestConferences.onLoop(loop, task);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return TestConferences.onLoop(loop, task);
    }
}
