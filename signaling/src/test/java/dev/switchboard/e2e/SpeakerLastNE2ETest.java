package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.e2e.Call.Participant;
import dev.switchboard.signaling.ice.IceServersConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Dominant speaker and last-N = 1 in a three-party room. The fake microphones play a speech-like WAV; muting
 * a microphone (the page's Mute button) turns its audio level to silence; Carol stays muted throughout. The
 * bridge must pick the speaker from the RTP audio levels, tell every page, and forward to each receiver only
 * the current speaker's video (the receiver decodes frames from that tile only).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeakerLastNE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per remote tile: frames rendered so far, and the page's view of speaker and last-N. */
    private static final String PROBE = """
            (async () => {
              const sb = window.switchboard || {};
              const frames = {};
              for (const v of document.querySelectorAll('video[data-remote]')) {
                const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : null;
                frames[v.dataset.endpointId] = q ? q.totalVideoFrames : 0;
              }
              const dominantTiles = [...document.querySelectorAll('.tile[data-dominant]')]
                  .map(t => t.dataset.endpointId);
              return { frames, dominant: sb.dominantSpeaker || null, forwarded: sb.forwardedVideo || null,
                       dominantTiles, endpointId: sb.endpointId || null };
            })()
            """;

    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;
    private Participant carol;
    private Path audioDir;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void start() throws Exception {
        audioDir = Files.createTempDirectory("switchboard-audio");
        Path speech = SpeechWav.speech(audioDir, 6);
        server = TestServer.start(IceServersConfig.none(), 1);
        call = new Call(server, "speakers-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice", List.of("--use-file-for-fake-audio-capture=" + speech));
        bob = call.launch("bob", List.of("--use-file-for-fake-audio-capture=" + speech));
        carol = call.launch("carol", List.of("--use-file-for-fake-audio-capture=" + speech));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (call != null) {
                call.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (audioDir != null) {
                try (var files = Files.list(audioDir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(audioDir);
            }
        }
    }

    @Test
    @Order(1)
    void theSpeakerIsHighlightedAndIsTheOnlyVideoForwarded() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (Participant p : List.of(alice, bob, carol)) {
            p.join();
        }
        call.awaitJoined(deadline, List.of(alice, bob, carol));
        setMicrophone(bob, false); // Bob and Carol are muted: only Alice speaks
        setMicrophone(carol, false);
        awaitSpeaker(alice, List.of(bob, carol), Duration.ofSeconds(25));
    }

    @Test
    @Order(2)
    void theForwardedVideoFollowsWhenTheSpeakerChanges() throws Exception {
        setMicrophone(alice, false);
        setMicrophone(bob, true);
        awaitSpeaker(bob, List.of(alice, carol), Duration.ofSeconds(25));
    }

    /**
     * Clicks the page's Mute button until the microphone is in the wanted state. The button only works once the
     * camera and microphone are up (it is hidden before), which can be after {@code joined} on a busy machine.
     */
    private static void setMicrophone(Participant p, boolean on) throws InterruptedException {
        String js = "const b = document.querySelector('button[data-action=toggle-audio]');"
                + " if (!b || b.hidden) return 'not-ready';"
                + " const muted = b.getAttribute('aria-pressed') === 'true';"
                + " if (muted === arguments[0]) b.click();"
                + " return b.getAttribute('aria-pressed') === 'true' ? 'muted' : 'on';";
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String want = on ? "on" : "muted";
        Object state = p.browser.script(js, on);
        while (!want.equals(state)) {
            assertTrue(System.nanoTime() < deadline, p.name + "'s microphone is still " + state + ", want " + want);
            Thread.sleep(100);
            state = p.browser.script(js, on);
        }
    }

    /**
     * Waits until every listener's page names {@code speaker} as dominant (highlighted tile), is told that only
     * the speaker's video is forwarded, and renders frames from the speaker's tile and none from the other
     * remote tile over two seconds.
     */
    private void awaitSpeaker(Participant speaker, List<Participant> listeners, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> problems = new ArrayList<>();
        while (true) {
            problems.clear();
            List<JsonNode> before = new ArrayList<>();
            for (Participant p : listeners) {
                before.add(probe(p));
            }
            Thread.sleep(2000);
            for (int i = 0; i < listeners.size(); i++) {
                Participant listener = listeners.get(i);
                JsonNode now = probe(listener);
                String speakerId = speaker.endpointId();
                if (!speakerId.equals(now.path("dominant").asText(null))) {
                    problems.add(listener.name + ": dominant speaker is " + now.path("dominant") + ", want "
                            + speaker.name + " " + speakerId);
                }
                if (!now.path("dominantTiles").toString().equals("[\"" + speakerId + "\"]")) {
                    problems.add(listener.name + ": highlighted tiles " + now.path("dominantTiles"));
                }
                if (!now.path("forwarded").toString().equals("[\"" + speakerId + "\"]")) {
                    problems.add(listener.name + ": forwarded video " + now.path("forwarded"));
                }
                now.path("frames").fields().forEachRemaining(e -> {
                    long delta = e.getValue().asLong() - before.get(listeners.indexOf(listener)).path("frames")
                            .path(e.getKey()).asLong();
                    boolean isSpeaker = e.getKey().equals(speakerId);
                    if (isSpeaker && delta < 5) {
                        problems.add(listener.name + ": only " + delta + " frames from the speaker in 2 s");
                    } else if (!isSpeaker && delta > 2) {
                        problems.add(listener.name + ": " + delta + " frames in 2 s from " + e.getKey()
                                + ", whose video should be paused");
                    }
                });
            }
            if (problems.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                assertTrue(problems.isEmpty(), "speaker " + speaker.name + " not followed within " + timeout
                        + ":\n  " + String.join("\n  ", problems) + "\n" + call.diagnostics());
            }
        }
    }

    private static JsonNode probe(Participant p) throws Exception {
        return JSON.readTree(p.browser.asyncJson(PROBE));
    }
}
