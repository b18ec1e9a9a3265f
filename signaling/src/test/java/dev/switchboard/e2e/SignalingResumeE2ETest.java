package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.FaultInjectionConfig;
import dev.switchboard.e2e.Call.Participant;
import dev.switchboard.signaling.ice.IceServersConfig;
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
 * The reconnect grace period with real browsers. Alice's page closes its signaling WebSocket from JavaScript
 * ({@code switchboard.dropSignaling()}, as a proxy or network hiccup would): the server keeps her in the room
 * and her media flowing; her page opens a new socket, resumes with the token of its {@code joined}, and keeps
 * its peer connection and endpoint. Bob never loses her tile and her video keeps playing. Then she drops the
 * socket and does not come back: she disappears from Bob's view once the grace period ends, not before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignalingResumeE2ETest {
    private static final Duration GRACE = Duration.ofSeconds(3);
    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install Chromium
    void start() throws Exception {
        server = TestServer.start(IceServersConfig.none(), -1, FaultInjectionConfig.NONE,
                config -> config.withReconnectGrace(GRACE));
        call = new Call(server, "resume-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        alice.join();
        bob.join();
        call.awaitJoined(deadline, List.of(alice, bob));
        call.awaitMediaFlowing("precondition: alice and bob see and hear each other", deadline);
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    @Order(1)
    void aDroppedWebSocketResumesAndTheCallNeverNoticesIt() {
        String aliceId = alice.endpointId();
        String bobId = bob.endpointId();
        alice.browser.script("window.switchboard.dropSignaling()");
        Poll.within("alice's page resumes its session on a new WebSocket", Duration.ofSeconds(10),
                Duration.ofMillis(100), () -> {
                    long resumes = ((Number) alice.browser.script("return window.switchboard.resumes")).longValue();
                    return resumes == 1 ? List.of() : List.of("resumes: " + resumes + ", status '"
                            + alice.browser.statusText() + "'");
                }, call::diagnostics);

        // Watch for longer than the grace period: the server must not remove her, media must keep flowing.
        long until = System.nanoTime() + GRACE.plusSeconds(1).toNanos();
        while (System.nanoTime() < until) {
            StringBuilder rates = new StringBuilder();
            List<String> problems = new ArrayList<>(call.mediaProblemsOver(Duration.ofSeconds(1), 5, rates));
            if (bob.snapshot().tile(aliceId).isEmpty()) {
                problems.add("bob lost alice's tile");
            }
            assertTrue(problems.isEmpty(), () -> problems + " " + rates + call.diagnostics());
        }
        assertEquals(aliceId, alice.endpointId(), "same endpoint after the resume");
        assertEquals(aliceId, alice.browser.script("return window.switchboard.endpointId"));
        assertEquals(bobId, bob.browser.script("return window.switchboard.endpointId"));
        assertEquals(0L, ((Number) alice.browser.script("return window.switchboard.reconnects")).longValue(),
                "no re-join: " + call.diagnostics());
        assertEquals(2, server.statistics().endpoints(), call::diagnostics);
        assertEquals("connected", alice.browser.script("return document.getElementById('status').dataset.state"),
                call::diagnostics);
        List<String> log = alice.browser.consoleLog();
        assertTrue(log.stream().anyMatch(l -> l.contains("status Signaling connection lost. Resuming")),
                () -> "alice's page said it was resuming\n" + String.join("\n", log));
    }

    @Test
    @Order(2)
    void withoutAReconnectTheParticipantLeavesWhenTheGracePeriodEnds() {
        String aliceId = alice.endpointId();
        long dropped = System.nanoTime();
        alice.browser.script("window.switchboard.dropSignaling(false)");
        Poll.within("bob's page removes alice's tile", GRACE.plusSeconds(5), Duration.ofMillis(100),
                () -> bob.snapshot().tile(aliceId).isPresent() ? List.of("alice's tile is still there")
                        : List.of(), call::diagnostics);
        long goneAfter = Duration.ofNanos(System.nanoTime() - dropped).toMillis();
        System.out.printf("alice's tile disappeared %d ms after her WebSocket closed (grace %d ms)%n", goneAfter,
                GRACE.toMillis());
        assertTrue(goneAfter >= GRACE.toMillis() - 200, "not before the grace period ended: " + goneAfter + " ms");
        assertEquals(1, server.statistics().endpoints(), call::diagnostics);
    }
}
