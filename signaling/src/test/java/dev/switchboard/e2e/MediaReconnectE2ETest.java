package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.Conference;
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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The web client restores media by itself: when its media transport fails, it closes the peer connection,
 * sends {@code leave}, joins again and renegotiates from scratch (the bridge has no in-place ICE restart).
 * First the bridge drops alice's endpoint in the middle of a call, as it does when ICE or DTLS fails; then the
 * whole server restarts, and both pages reconnect their WebSocket and join again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MediaReconnectE2ETest {
    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install Chromium
    void start() throws Exception {
        server = TestServer.start();
        call = new Call(server, "rejoin-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    @Order(1)
    void aParticipantWhoseMediaFailsRejoinsAndMediaFlowsAgain() {
        alice = call.launch("alice");
        bob = call.launch("bob");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        alice.join();
        bob.join();
        call.awaitJoined(deadline, List.of(alice, bob));
        call.awaitMediaFlowing("precondition: alice and bob see and hear each other", deadline);

        String oldId = alice.endpointId();
        Conference conference = server.server().bridge().findConference(call.room).orElseThrow();
        long start = System.nanoTime();
        conference.removeEndpoint(oldId); // the core reports Removed: alice gets media-state failed

        Poll.within("alice re-joins with a new endpoint id and reconnects", Duration.ofSeconds(15),
                Duration.ofMillis(200), () -> {
                    PageSnapshot s = alice.snapshot();
                    List<String> problems = new ArrayList<>();
                    if (s.error() != null) {
                        problems.add(s.error());
                    } else if (s.endpointId() == null || s.endpointId().equals(oldId)) {
                        problems.add("alice still on " + s.endpointId() + "; status '" + s.status() + "'");
                    }
                    return problems;
                }, call::diagnostics);
        alice.forgetEndpointId();
        call.awaitJoined(System.nanoTime() + Duration.ofSeconds(5).toNanos(), List.of(alice));
        assertNotEquals(oldId, alice.endpointId());
        call.awaitMediaFlowing("after the re-join alice and bob see and hear each other again (bob shows alice's "
                + "new endpoint only)", System.nanoTime() + Duration.ofSeconds(15).toNanos());
        System.out.printf("media restored %d ms after the bridge dropped alice%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        List<String> log = alice.browser.consoleLog();
        assertTrue(log.stream().anyMatch(l -> l.contains("status Reconnecting media")),
                () -> "alice's page said 'Reconnecting media…'\n" + String.join("\n", log));
        assertEquals(1L, ((Number) alice.browser.script("return window.switchboard.reconnects")).longValue(),
                call::diagnostics);
        Poll.within("both pages say connected", Duration.ofSeconds(5), Duration.ofMillis(200), () -> {
            List<String> problems = new ArrayList<>();
            for (Participant p : List.of(alice, bob)) {
                Object state = p.browser.script("return document.getElementById('status').dataset.state");
                if (!"connected".equals(state)) {
                    problems.add(p.name + ": " + state + " '" + p.browser.statusText() + "'");
                }
            }
            return problems;
        }, call::diagnostics);
        assertEquals(2, server.statistics().endpoints(), call::diagnostics);
        for (Participant p : List.of(alice, bob)) {
            List<String> crashes = p.browser.consoleLog().stream()
                    .filter(l -> l.contains(" uncaught ") || l.contains(" unhandled-rejection ")).toList();
            assertTrue(crashes.isEmpty(), () -> p.name + "'s page threw: " + crashes);
        }
    }

    @Test
    @Order(2)
    void bothPagesComeBackAfterTheServerRestarts() throws Exception {
        call.awaitMediaFlowing("precondition: the call is flowing",
                System.nanoTime() + Duration.ofSeconds(10).toNanos());
        List<String> oldIds = List.of(alice.endpointId(), bob.endpointId());
        long start = System.nanoTime();
        TestServer restarted = server.restartOnSamePorts(); // every WebSocket and endpoint is gone
        server = restarted;
        System.out.printf("server restarted in %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());

        Poll.within("both pages reconnect their WebSocket, join again (new endpoint ids) and connect media",
                Duration.ofSeconds(30), Duration.ofMillis(300), () -> {
                    List<String> problems = new ArrayList<>();
                    for (Participant p : List.of(alice, bob)) {
                        PageSnapshot s = p.snapshot();
                        Object state = p.browser.script("return document.getElementById('status').dataset.state");
                        if (s.error() != null) {
                            problems.add(p.name + ": " + s.error());
                        } else if (s.endpointId() == null || oldIds.contains(s.endpointId())
                                || !"connected".equals(state)) {
                            problems.add(p.name + ": endpoint " + s.endpointId() + ", " + state + " '" + s.status()
                                    + "'");
                        }
                    }
                    return problems;
                }, call::diagnostics);
        System.out.printf("both pages back %d ms after the restart began%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        alice.forgetEndpointId();
        bob.forgetEndpointId();
        call.awaitJoined(System.nanoTime() + Duration.ofSeconds(5).toNanos(), List.of(alice, bob));
        // the Call still knows the old server for its diagnostics; the pages use the same URL and ports
        StringBuilder rates = new StringBuilder();
        Poll.within("after the restart alice and bob see and hear each other again", Duration.ofSeconds(15),
                Duration.ofMillis(100), () -> call.mediaProblemsOver(Duration.ofSeconds(1), 0, rates),
                call::diagnostics);
        for (Participant p : List.of(alice, bob)) {
            List<String> log = p.browser.consoleLog();
            assertTrue(log.stream().anyMatch(l -> l.contains("status Signaling connection lost")),
                    () -> p.name + "'s page said the signaling connection was lost\n" + String.join("\n", log));
        }
        assertEquals(2, restarted.statistics().endpoints(), call::diagnostics);
    }
}
