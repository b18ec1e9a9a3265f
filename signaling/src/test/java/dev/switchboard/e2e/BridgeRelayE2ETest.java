package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.FaultInjectionConfig;
import dev.switchboard.core.api.TurnRelayConfig;
import dev.switchboard.e2e.Call.Participant;
import dev.switchboard.signaling.ice.IceServersConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Bridge-side relay candidates ({@code SWITCHBOARD_BRIDGE_TURN_*}) with a real coturn and real browsers, all on
 * 127.0.0.0/8.
 *
 * <p>How the bridge is made unreachable for the browsers except through its relay: the browsers (their host
 * candidates are 127.0.0.1) get no STUN/TURN servers, so they only have host candidates; the bridge's
 * {@code allowedNetworks} is {@code 127.0.0.3/32}, so its shared UDP port and its ICE-TCP port refuse every check
 * and connection from 127.0.0.1 (counted as {@code refused-network}); coturn listens on 127.0.0.1 but relays
 * from 127.0.0.3 and may relay to loopback peers only ({@code --denied-peer-ip} for everything else, so
 * Chromium's candidates on the machine's other interface lead nowhere). The bridge allocates a relay candidate
 * on coturn for each endpoint (TURN REST credentials from coturn's shared secret) and signals it in its answer;
 * the only pair that can work is a browser's host candidate with the bridge's relay candidate, so a call whose
 * media flows proves the relay path, which the browsers' selected pairs confirm (remote candidate
 * {@code relay} at 127.0.0.3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeRelayE2ETest {
    private static final String RELAY_IP = "127.0.0.3";
    private static final Pattern RELAY_CANDIDATE = Pattern.compile(
            "a=candidate:\\S+ 1 udp \\d+ (127\\.0\\.0\\.3) (\\d+) typ relay raddr (\\S+) rport (\\d+)");
    private Coturn coturn;
    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install coturn and Chromium
    void start() throws Exception {
        String secret = "bridge-" + UUID.randomUUID();
        coturn = Coturn.start(secret, Coturn.freePort(), RELAY_IP, List.of(
                "--denied-peer-ip=0.0.0.0-126.255.255.255", "--denied-peer-ip=128.0.0.0-255.255.255.255"));
        server = TestServer.start(IceServersConfig.none(), -1, FaultInjectionConfig.NONE,
                config -> config.withBridge(config.bridge().toBuilder().allowedNetworks(List.of(RELAY_IP + "/32"))
                        .turnRelay(TurnRelayConfig.withSharedSecret("127.0.0.1", coturn.port, secret)).build()));
        call = new Call(server, "bridge-relay-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
    }

    @AfterAll
    void stop() {
        try {
            Call.close(call, server);
        } finally {
            if (coturn != null) {
                coturn.close();
            }
        }
    }

    @Test
    @Order(1)
    void theBridgesAnswerCarriesARelayCandidateOnCoturn() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        alice.join();
        bob.join();
        call.awaitJoined(deadline, List.of(alice, bob));
        String script = "const pc = window.switchboard.pc;"
                + " return pc && pc.remoteDescription ? pc.remoteDescription.sdp : null";
        Poll.within("both pages have the bridge's answer", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> List.of(alice, bob).stream().filter(p -> p.browser.script(script) == null)
                        .map(p -> p.name + " has no answer yet").toList(), call::diagnostics);
        for (Participant p : List.of(alice, bob)) {
            String sdp = (String) p.browser.script(script);
            Matcher m = RELAY_CANDIDATE.matcher(sdp == null ? "" : sdp);
            assertTrue(m.find(), () -> p.name + ": no relay candidate at " + RELAY_IP + " in the bridge's answer:\n"
                    + sdp + coturn.diagnostics());
            int relayPort = Integer.parseInt(m.group(2));
            assertTrue(relayPort >= coturn.minRelayPort && relayPort <= coturn.maxRelayPort,
                    "the relay port is coturn's: " + relayPort);
            assertTrue(m.group(3).equals("127.0.0.1"), "raddr is the bridge's address as coturn sees it: "
                    + m.group(0));
        }
    }

    @Test
    @Order(2)
    void browsersThatCanReachOnlyTheRelayConnectAndMediaFlows() throws Exception {
        call.awaitMediaFlowing("alice and bob see and hear each other through the bridge's relay on coturn",
                System.nanoTime() + Duration.ofSeconds(30).toNanos());
        Poll.within("both browsers' selected pairs lead to the bridge's relay candidate", Duration.ofSeconds(5),
                Duration.ofMillis(300), () -> {
                    List<String> problems = new ArrayList<>();
                    for (Participant p : List.of(alice, bob)) {
                        IceInfo info = IceInfo.capture(p.browser);
                        boolean relayed = "relay".equals(info.selectedRemoteType()) && info.pairs().stream()
                                .anyMatch(t -> t.contains(" selected ") && t.contains("-> remote relay " + RELAY_IP));
                        if (!relayed) {
                            problems.add(p.name + ": " + info.summary());
                        }
                    }
                    return problems;
                }, call::diagnostics);
        String stats = server.get("/api/stats").body();
        Matcher refused = Pattern.compile("\"refused-network\":(\\d+)").matcher(stats);
        assertTrue(refused.find() && Long.parseLong(refused.group(1)) > 0,
                "the browsers' direct checks were refused by the bridge: " + stats);
    }
}
