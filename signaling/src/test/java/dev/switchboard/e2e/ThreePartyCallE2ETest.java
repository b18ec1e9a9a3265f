package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.e2e.Call.Participant;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A call that grows from two to three browsers, runs for a minute, and loses one browser when its window is
 * closed. The tests run in order on the same call; a failure in an early one shows up in the later ones too,
 * each with its own diagnostics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreePartyCallE2ETest {
    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;
    private Participant carol;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install Chromium
    void startServerAndBrowsers() throws Exception {
        server = TestServer.start();
        call = new Call(server, "three-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
        carol = call.launch("carol");
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    @Order(1)
    void twoParticipantsSeeAndHearEachOther() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        alice.join();
        bob.join();
        call.awaitJoined(deadline, List.of(alice, bob));
        call.awaitMediaFlowing("alice and bob see and hear each other within 10 s", deadline);
    }

    @Test
    @Order(2)
    void aThirdParticipantJoinsAndEveryoneShowsTwoPlayingRemotes() {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(10).toNanos();
        carol.join();
        call.awaitJoined(deadline, List.of(carol));
        call.awaitMediaFlowing("within 10 s of carol opening the page, alice, bob and carol each show two remote "
                + "tiles with video playing and audio arriving", deadline);
        System.out.printf("three-party call flowing %d ms after carol opened the page%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        awaitBridgeEndpoints(3);
    }

    @Test
    @Order(3)
    void theCallRunsFor60SecondsWithVideoStillAdvancingAtTheEnd() {
        long start = System.nanoTime();
        List<String> timeline = new ArrayList<>();
        List<String> stalls = new ArrayList<>();
        // Five 10 s windows: every remote video must advance in each of them.
        for (int window = 0; window < 5; window++) {
            StringBuilder rates = new StringBuilder();
            List<String> problems = call.mediaProblemsOver(Duration.ofSeconds(10), 0, rates);
            String at = "t=" + Duration.ofNanos(System.nanoTime() - start).toSeconds() + "s";
            timeline.add(at + " " + rates);
            problems.forEach(p -> stalls.add(at + " " + p));
        }
        // Then up to 57 s, and a last 3 s window: every remote still decodes at least 5 frames per second.
        Poll.sleep(Duration.ofNanos(Math.max(0, start + Duration.ofSeconds(57).toNanos() - System.nanoTime())));
        StringBuilder rates = new StringBuilder();
        List<String> last = call.mediaProblemsOver(Duration.ofSeconds(3), 5.0, rates);
        String at = "t=" + Duration.ofNanos(System.nanoTime() - start).toSeconds() + "s";
        timeline.add(at + " " + rates);
        System.out.println("60 s call, decoded frame rates per window:\n  " + String.join("\n  ", timeline));

        assertTrue(last.isEmpty(), () -> "video not advancing at the end of the 60 s call:\n  "
                + String.join("\n  ", last) + "\nearlier stalls: " + stalls + "\ntimeline:\n  "
                + String.join("\n  ", timeline) + call.diagnostics());
        assertTrue(stalls.isEmpty(), () -> "media stalled during the 60 s call:\n  " + String.join("\n  ", stalls)
                + "\ntimeline:\n  " + String.join("\n  ", timeline) + call.diagnostics());
    }

    @Test
    @Order(4)
    void aClosedWindowDisappearsFromTheOthersWithin5Seconds() {
        String carolId = carol.endpointId();
        long start = System.nanoTime();
        carol.quit();
        Poll.until("alice and bob drop carol's tile (" + carolId + ") within 5 s of her window closing",
                start + Duration.ofSeconds(5).toNanos(), Duration.ofMillis(200), () -> {
                    List<String> problems = new ArrayList<>();
                    for (Participant p : List.of(alice, bob)) {
                        PageSnapshot s = p.snapshot();
                        if (s.error() != null) {
                            problems.add(p.name + ": " + s.error());
                        } else if (s.tile(carolId).isPresent()) {
                            problems.add(p.name + " still shows carol's tile; status '" + s.status() + "'");
                        }
                    }
                    return problems;
                }, call::diagnostics);
        System.out.printf("carol's tile gone %d ms after her window closed%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        List<String> problems = call.mediaProblemsOver(Duration.ofSeconds(2), 0, null);
        assertTrue(problems.isEmpty(), () -> "after carol left, alice and bob no longer see and hear each other:\n  "
                + String.join("\n  ", problems) + call.diagnostics());
        awaitBridgeEndpoints(2);
    }

    @Test
    @Order(5)
    void aKilledBrowserDisappearsFromTheOthersWithinTheReconnectGraceAndTheConsentTimeout() {
        String bobId = bob.endpointId();
        long start = System.nanoTime();
        int killed = bob.browser.kill();
        assertTrue(killed > 0, "no Chromium process of bob's found to kill");
        // No leave, no close frame: the server sees the socket drop, keeps bob for the reconnect grace period
        // (5 s by default) and then removes him; consent (30 s) would catch a browser whose socket stayed up.
        Poll.until("alice drops bob's tile (" + bobId + ") within 15 s of his browser being killed",
                start + Duration.ofSeconds(15).toNanos(), Duration.ofMillis(200), () -> {
                    PageSnapshot s = alice.snapshot();
                    if (s.error() != null) {
                        return List.of("alice: " + s.error());
                    }
                    return s.tile(bobId).isPresent() ? List.of("alice still shows bob's tile") : List.of();
                }, call::diagnostics);
        System.out.printf("bob's tile gone %d ms after his browser was killed (%d processes)%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis(), killed);
        awaitBridgeEndpoints(1);
    }

    /** The bridge frees endpoints of participants that left (and has all of those that joined). */
    private void awaitBridgeEndpoints(int expected) {
        Poll.within("bridge statistics().endpoints() == " + expected, Duration.ofSeconds(10), Duration.ofMillis(200),
                () -> {
                    int endpoints = server.statistics().endpoints();
                    return endpoints == expected ? List.of() : List.of("endpoints = " + endpoints);
                }, call::diagnostics);
    }
}
