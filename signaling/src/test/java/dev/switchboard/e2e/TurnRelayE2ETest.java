package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.e2e.Call.Participant;
import dev.switchboard.signaling.ice.IceServersConfig;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Browsers that reach the bridge only through a real TURN server: Debian's coturn on 127.0.0.1 with
 * {@code use-auth-secret}, and Switchboard handing out REST credentials for it ({@code SWITCHBOARD_TURN_*}).
 * A participant that opens the web client with {@code ?relay=1} gathers relay candidates only.
 *
 * <ol>
 *   <li>a relay-only participant and an unrestricted one (policy {@code all}, who may pick a relay pair too,
 *       since coturn is on loopback as well) see and hear each other, and the relay-only one's selected
 *       candidate pair is local {@code relay};</li>
 *   <li>coturn restarts (its allocations die): the relay participant notices that ICE is gone, re-joins with
 *       fresh credentials and media flows again;</li>
 *   <li>a server with the wrong TURN secret: the relay participant's page says that TURN rejected the
 *       credentials (and does not retry), the other participant is unaffected, and nothing crashes;</li>
 *   <li>a TURN server that does not answer yet: the relay participant's page says so and keeps retrying, and
 *       connects once it answers.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TurnRelayE2ETest {
    private Coturn coturn;
    private TestServer server;
    private Call call;
    private Participant alice; // relay only
    private Participant bob; // iceTransportPolicy 'all'

    @RegisterExtension
    final TestWatcher printCoturnOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("coturn output after the failure of " + context.getDisplayName() + ":\n"
                    + (coturn == null ? "(coturn not started)" : coturn.diagnostics()));
        }
    };

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install coturn and Chromium
    void startCoturnServerAndBrowsers() throws Exception {
        coturn = Coturn.start("e2e-" + UUID.randomUUID());
        server = TestServer.start(turnConfig(coturn.secret));
        call = new Call(server, "turn-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
    }

    @AfterAll
    void stop() {
        try {
            if (call != null) {
                call.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                if (coturn != null) {
                    coturn.close();
                }
            }
        }
    }

    private IceServersConfig turnConfig(String secret) {
        return new IceServersConfig(List.of("stun:127.0.0.1:" + coturn.port), List.of(coturn.turnUrl()), secret,
                Duration.ofHours(1));
    }

    @Test
    @Order(1)
    void relayOnlyParticipantSeesAndIsSeenThroughCoturn() {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(20).toNanos();
        alice.join("relay=1");
        bob.join();
        call.awaitJoined(deadline, List.of(alice, bob));
        call.awaitMediaFlowing("alice (relay only, through coturn) and bob (direct) see and hear each other",
                deadline);
        System.out.printf("relay call flowing %d ms after the pages were opened%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        // (bob may pick a relay pair too: he has coturn as well and Chromium ranks loopback relay and host alike)
        Poll.within("alice's selected candidate pair is local relay, and she gathered relay candidates only; bob "
                        + "gathers host candidates", Duration.ofSeconds(5),
                Duration.ofMillis(300), () -> {
                    List<String> problems = new ArrayList<>();
                    IceInfo a = IceInfo.capture(alice.browser);
                    IceInfo b = IceInfo.capture(bob.browser);
                    if (!"relay".equals(a.policy())) {
                        problems.add("alice's iceTransportPolicy is " + a.policy());
                    }
                    if (!"relay".equals(a.selectedLocalType())) {
                        problems.add("alice: selected local candidate type " + a.selectedLocalType() + "; "
                                + a.summary());
                    }
                    if (a.localCandidateTypes().isEmpty() || !a.localCandidateTypes().stream().allMatch("relay"::equals)) {
                        problems.add("alice gathered " + a.localCandidateTypes() + ", want relay candidates only");
                    }
                    if (!"all".equals(b.policy()) || !b.localCandidateTypes().contains("host")
                            || b.selectedLocalType() == null) {
                        problems.add("bob: policy " + b.policy() + ", want 'all' with host candidates and a selected "
                                + "pair; " + b.summary());
                    }
                    return problems;
                }, this::diagnostics);
        System.out.println("alice: " + IceInfo.capture(alice.browser).summary());
        System.out.println("bob: " + IceInfo.capture(bob.browser).summary());
        assertTrue(coturn.linesContaining("ALLOCATE processed, success").size() >= 1,
                () -> "coturn logged no successful allocation\n" + coturn.diagnostics());
    }

    @Test
    @Order(2)
    void relayParticipantRejoinsWhenTheTurnServerRestarts() throws Exception {
        call.awaitMediaFlowing("precondition: the relay call is flowing",
                System.nanoTime() + Duration.ofSeconds(15).toNanos());
        String oldId = alice.endpointId();
        long start = System.nanoTime();
        coturn.restart(); // every allocation is gone: alice's only path to the bridge dies
        System.out.println("coturn restarted; waiting for alice to re-join");

        // Bob may lose his path too (when Chromium chose a relay pair for him): then he re-joins as well, or
        // switches to his host pair. Wait until alice has re-joined and both pages are connected on the same
        // endpoint ids for 3 s.
        String[] lastIds = new String[2];
        long[] stableSince = new long[1];
        Poll.within("alice notices that ICE is gone and re-joins (new endpoint id); both pages settle connected",
                Duration.ofSeconds(40), Duration.ofMillis(300), () -> {
                    List<String> problems = new ArrayList<>();
                    IceInfo a = IceInfo.capture(alice.browser);
                    IceInfo b = IceInfo.capture(bob.browser);
                    if (a.endpointId() == null || a.endpointId().equals(oldId)) {
                        problems.add("alice has not re-joined: " + a.summary());
                    }
                    for (IceInfo info : List.of(a, b)) {
                        if (!"connected".equals(info.state())) {
                            problems.add((info == a ? "alice" : "bob") + " not connected: " + info.summary());
                        }
                    }
                    String[] ids = {a.endpointId(), b.endpointId()};
                    if (!java.util.Arrays.equals(ids, lastIds)) {
                        System.arraycopy(ids, 0, lastIds, 0, 2);
                        stableSince[0] = System.nanoTime();
                    }
                    if (problems.isEmpty() && System.nanoTime() - stableSince[0] < Duration.ofSeconds(3).toNanos()) {
                        problems.add("endpoint ids " + List.of(ids) + " not yet stable for 3 s");
                    }
                    return problems;
                }, this::diagnostics);
        System.out.printf("re-joined and settled %d ms after coturn restarted%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        alice.forgetEndpointId();
        bob.forgetEndpointId();
        call.awaitJoined(System.nanoTime() + Duration.ofSeconds(5).toNanos(), List.of(alice, bob));
        assertNotEquals(oldId, alice.endpointId());
        call.awaitMediaFlowing("after the re-join, alice and bob see and hear each other again (through the new "
                + "coturn)", System.nanoTime() + Duration.ofSeconds(20).toNanos());
        System.out.printf("media flowing again %d ms after coturn restarted%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        IceInfo a = IceInfo.capture(alice.browser);
        assertEquals("relay", a.selectedLocalType(), () -> a.summary() + diagnostics());
        assertTrue(a.reconnects() >= 1, a::summary);
        List<String> log = alice.browser.consoleLog();
        assertTrue(log.stream().anyMatch(l -> l.contains("status Reconnecting media")),
                () -> "alice's page said 'Reconnecting media…' on the way\n" + String.join("\n", log));
        Poll.within("both pages say they are connected", Duration.ofSeconds(5), Duration.ofMillis(300),
                () -> statesOtherThan("connected", alice, bob), this::diagnostics);
    }

    @Test
    @Order(3)
    void wrongTurnSecretGivesAClearErrorAndLeavesTheOthersAlone() throws Exception {
        call.close(); // two browsers are enough for this machine
        try (TestServer wrong = TestServer.start(turnConfig("not-" + coturn.secret))) {
            assertRelayOnlyClientShowsRejectedCredentials(wrong, "wrong-");
        }
    }

    @Test
    @Order(5)
    void expiredTurnCredentialsGiveTheSameClearError() throws Exception {
        call.close();
        // The server's clock runs two hours behind, so the one-hour credentials it hands out (username
        // "<expiry>:<endpoint>") have expired an hour before the browser uses them; coturn refuses them.
        java.time.Clock behind = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-2));
        try (TestServer stale = TestServer.start(turnConfig(coturn.secret), behind)) {
            assertRelayOnlyClientShowsRejectedCredentials(stale, "expired-");
        }
    }

    /**
     * A relay-only participant (carol) whose TURN credentials coturn refuses sees a clear error and does not loop;
     * a participant without relay (dave) connects as usual; the server and coturn stay up.
     */
    private void assertRelayOnlyClientShowsRejectedCredentials(TestServer wrong, String roomPrefix) throws Exception {
        try (Call call2 = new Call(wrong, roomPrefix + UUID.randomUUID().toString().substring(0, 8))) {
            Participant carol = call2.launch("carol"); // relay only: cannot get a relay candidate
            Participant dave = call2.launch("dave");
            java.util.function.Supplier<String> diagnostics = () -> call2.diagnostics() + coturn.diagnostics();
            long start = System.nanoTime();
            carol.join("relay=1");
            dave.join();
            call2.awaitJoined(start + Duration.ofSeconds(10).toNanos(), List.of(carol, dave));

            Poll.until("carol's page says TURN rejected the credentials (#status data-state=failed) within 15 s",
                    start + Duration.ofSeconds(15).toNanos(), Duration.ofMillis(300), () -> {
                        String state = dataState(carol);
                        String text = carol.browser.statusText();
                        return "failed".equals(state) && text.contains("TURN server rejected the credentials")
                                ? List.of() : List.of("carol: data-state=" + state + " '" + text + "'");
                    }, diagnostics);
            System.out.printf("carol's error shown %d ms after opening: %s%n",
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), carol.browser.statusText());

            Poll.within("dave's own media connects (he is unaffected)", Duration.ofSeconds(10),
                    Duration.ofMillis(300), () -> statesOtherThan("connected", dave), diagnostics);

            Poll.sleep(Duration.ofSeconds(3)); // the error stays, no retry loop, nothing breaks
            assertEquals("failed", dataState(carol), diagnostics);
            assertTrue(carol.browser.statusText().contains("TURN server rejected the credentials"), diagnostics);
            IceInfo c = IceInfo.capture(carol.browser);
            assertEquals(0, c.reconnects(), () -> "carol does not loop re-joining: " + c.summary());
            assertEquals("connected", dataState(dave), diagnostics);
            for (Participant p : List.of(carol, dave)) {
                List<String> crashes = p.browser.consoleLog().stream()
                        .filter(l -> l.contains(" uncaught ") || l.contains(" unhandled-rejection ")).toList();
                assertTrue(crashes.isEmpty(), () -> p.name + "'s page threw: " + crashes + "\n" + diagnostics.get());
            }
            HttpResponse<String> health = wrong.get("/health");
            assertEquals(200, health.statusCode(), health::body);
            assertTrue(coturn.isAlive(), coturn::diagnostics);
            String carolsId = carol.endpointId();
            assertTrue(coturn.linesContaining(":" + carolsId + ">").stream()
                            .anyMatch(l -> l.contains("Cannot find credentials") || l.contains("401")),
                    () -> "coturn refused carol's allocation\n" + coturn.diagnostics());
        }
    }

    @Test
    @Order(4)
    void unreachableTurnServerIsReportedAndRetriedUntilItAnswers() throws Exception {
        int port = Coturn.freePort(); // nothing listens there yet
        String secret = "late-" + UUID.randomUUID();
        IceServersConfig config = new IceServersConfig(List.of(), List.of("turn:127.0.0.1:" + port + "?transport=udp"),
                secret, Duration.ofHours(1));
        Coturn late = null;
        try (TestServer lonely = TestServer.start(config);
             Call call3 = new Call(lonely, "late-" + UUID.randomUUID().toString().substring(0, 8))) {
            Participant erin = call3.launch("erin");
            java.util.function.Supplier<String> diagnostics = () -> call3.diagnostics()
                    + "ICE of erin: " + IceInfo.capture(erin.browser).summary() + "\n";
            long start = System.nanoTime();
            erin.join("relay=1");
            Poll.until("erin's page says there is no TURN relay candidate (data-state=failed) and retries",
                    start + Duration.ofSeconds(30).toNanos(), Duration.ofMillis(300), () -> {
                        String text = erin.browser.statusText();
                        IceInfo e = IceInfo.capture(erin.browser);
                        return "failed".equals(dataState(erin)) && text.contains("no TURN relay candidate")
                                && e.reconnects() >= 1 ? List.of()
                                : List.of("erin: data-state=" + dataState(erin) + " '" + text + "' " + e.summary());
                    }, diagnostics);
            System.out.printf("erin reports the missing TURN server %d ms after opening: %s%n",
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), erin.browser.statusText());

            late = Coturn.start(secret, port);
            long up = System.nanoTime();
            Coturn started = late;
            Poll.within("once the TURN server answers, erin's retries get her connected through it",
                    Duration.ofSeconds(40), Duration.ofMillis(300), () -> {
                        IceInfo e = IceInfo.capture(erin.browser);
                        return "connected".equals(dataState(erin)) && "relay".equals(e.selectedLocalType())
                                ? List.of() : List.of("erin: '" + erin.browser.statusText() + "' " + e.summary());
                    }, () -> diagnostics.get() + started.diagnostics());
            System.out.printf("erin connected %d ms after the TURN server came up%n",
                    Duration.ofNanos(System.nanoTime() - up).toMillis());
            List<String> crashes = erin.browser.consoleLog().stream()
                    .filter(l -> l.contains(" uncaught ") || l.contains(" unhandled-rejection ")).toList();
            assertTrue(crashes.isEmpty(), () -> "erin's page threw: " + crashes);
        } finally {
            if (late != null) {
                late.close();
            }
        }
    }

    private static String dataState(Participant p) {
        Object state = p.browser.script("const s = document.getElementById('status');"
                + " return s ? s.dataset.state : null;");
        return String.valueOf(state);
    }

    private static List<String> statesOtherThan(String wanted, Participant... pages) {
        List<String> problems = new ArrayList<>();
        for (Participant p : pages) {
            String state = dataState(p);
            if (!wanted.equals(state)) {
                problems.add(p.name + ": data-state=" + state + " '" + p.browser.statusText() + "'");
            }
        }
        return problems;
    }

    private String diagnostics() {
        StringBuilder sb = new StringBuilder(call.diagnostics());
        for (Participant p : List.of(alice, bob)) {
            if (!p.browser.isClosed()) {
                sb.append("ICE of ").append(p.name).append(": ").append(IceInfo.capture(p.browser).summary()).append('\n');
            }
        }
        return sb.append(coturn.diagnostics()).toString();
    }
}
