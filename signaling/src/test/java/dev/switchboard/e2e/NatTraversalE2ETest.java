package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.e2e.Call.Participant;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A call through a real NAT: Chromium "alice" sits on a private LAN (10.77.1.2) behind an iptables MASQUERADE
 * router, and the Switchboard server and Chromium "bob" are on a "public" segment (10.77.2.1) that has no route
 * back to the LAN. The topology (Linux network namespaces and veth pairs the test creates and removes, so no
 * packet goes anywhere else) is drawn in {@link NatLab}; the server is a child process in the public namespace
 * configured with {@code SWITCHBOARD_*} variables ({@link NetnsServer}).
 *
 * <p>Alice's only candidate the bridge can learn from signaling is her host address 10.77.1.2, which it cannot
 * reach. ICE works only because her connectivity checks arrive from the router's public address: the bridge
 * answers that peer-reflexive address, and the router maps the answers back to her.
 *
 * <ol>
 *   <li>negative control: NAT for signaling (TCP to the HTTP port) only. Alice's checks reach the bridge from
 *       10.77.1.2, nothing can come back, and her ICE never connects (within a bounded 15 s; the bridge drops
 *       her endpoint after its ICE timeout), while bob, on the public segment, connects;</li>
 *   <li>with MASQUERADE for everything, two new pages see and hear each other. Alice's one non-loopback
 *       address is 10.77.1.2; her selected pair's local candidate is the peer-reflexive 10.77.2.2:P she
 *       learned from the bridge's answers; the bridge's selected pair for her is that same 10.77.2.2:P (never
 *       10.77.1.2), and the router's connection tracking maps 10.77.1.2 to exactly that address;</li>
 *   <li>relay: coturn on the public segment, the server restarted with its STUN/TURN URLs and secret, and
 *       alice joining with {@code ?relay=1}: her TURN traffic reaches coturn from the NAT's address 10.77.2.2
 *       only, her selected pair is relay, and the bridge's selected pair for her is coturn's relay address.</li>
 * </ol>
 *
 * <p>Needs root (namespaces, iptables), which CI has; without it the test fails and says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatTraversalE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The bridge drops an endpoint that has not connected after this long (SWITCHBOARD_ICE_TIMEOUT). */
    private static final Duration BRIDGE_ICE_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration NEGATIVE_WINDOW = Duration.ofSeconds(15);
    private static final int TURN_PORT = 3478;

    private NatLab lab;
    private NetnsServer server;
    private Coturn coturn;
    private Call call;
    private Participant alice; // on the LAN, behind the NAT
    private Participant bob; // on the public segment, beside the bridge

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install iptables and Chromium
    void buildNetworkAndStartServer() throws Exception {
        lab = NatLab.create();
        lab.countUdpTo(NetnsServer.UDP_PORT, NatLab.ROUTER_PUBLIC_ADDRESS, NatLab.LAN_NETWORK);
        server = NetnsServer.start(lab, Map.of("SWITCHBOARD_ICE_TIMEOUT",
                String.valueOf(BRIDGE_ICE_TIMEOUT.toSeconds())));
    }

    @AfterEach
    void closeCall() {
        if (call != null) {
            call.close();
            call = null;
        }
    }

    @AfterAll
    void stop() {
        try {
            closeCall();
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
                if (coturn != null) {
                    coturn.close();
                }
            } finally {
                if (lab != null) {
                    lab.close();
                }
            }
        }
    }

    /** A new room with alice's browser in the LAN namespace and bob's in the public one. */
    private void newCall(String prefix) throws Exception {
        long start = System.nanoTime();
        call = new Call(server, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.adopt("alice", lab.launchBrowser(lab.lan, "alice-lan", server.baseUrl()));
        bob = call.adopt("bob", lab.launchBrowser(lab.pub, "bob-public", server.baseUrl()));
        System.out.printf("browsers started in %s and %s in %d ms%n", lab.lan, lab.pub,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @Test
    @Order(1)
    void withoutNatForMediaTheLanHostCandidateCannotConnect() throws Exception {
        lab.masquerade(NetnsServer.HTTP_PORT); // the page and its WebSocket pass the NAT; media does not
        newCall("no-nat");
        long lanChecksBefore = lab.udpPacketsFrom(NatLab.LAN_NETWORK, NetnsServer.UDP_PORT);
        long natChecksBefore = lab.udpPacketsFrom(NatLab.ROUTER_PUBLIC_ADDRESS, NetnsServer.UDP_PORT);
        long start = System.nanoTime();
        alice.join();
        bob.join();
        call.awaitJoined(start + Duration.ofSeconds(20).toNanos(), List.of(alice, bob));

        Set<String> aliceIds = new LinkedHashSet<>();
        Set<String> iceStates = new LinkedHashSet<>();
        long end = System.nanoTime() + NEGATIVE_WINDOW.toNanos();
        while (System.nanoTime() < end) {
            JsonNode a = selectedPair(alice);
            if (!a.path("iceState").asText().isEmpty()) {
                iceStates.add(a.path("iceState").asText());
            }
            String id = IceInfo.capture(alice.browser).endpointId();
            if (id != null) {
                aliceIds.add(id);
            }
            assertTrue(!a.path("pair").isObject(),
                    () -> "alice's ICE found a working pair without NAT for media: " + a + call.diagnostics());
            Poll.sleep(Duration.ofMillis(500));
        }
        System.out.printf("without NAT for media: alice's ICE states %s over %d s, endpoint ids %s%n", iceStates,
                NEGATIVE_WINDOW.toSeconds(), aliceIds);

        long lanChecks = lab.udpPacketsFrom(NatLab.LAN_NETWORK, NetnsServer.UDP_PORT) - lanChecksBefore;
        long natChecks = lab.udpPacketsFrom(NatLab.ROUTER_PUBLIC_ADDRESS, NetnsServer.UDP_PORT) - natChecksBefore;
        assertTrue(lanChecks > 0, () -> "alice's checks from 10.77.1.2 reached the bridge's UDP port (the router "
                + "forwards them), yet none counted\n" + call.diagnostics());
        assertEquals(0, natChecks, () -> "no UDP came from the NAT's address\n" + call.diagnostics());
        for (String id : aliceIds) {
            assertEquals(null, server.selectedRemote(id), () -> "the bridge selected a pair for alice's endpoint " + id
                    + "\n" + call.diagnostics());
        }
        assertTrue(server.selectedRemote(bob.endpointId()) != null, () -> "bob, on the public segment, connects"
                + call.diagnostics());
        String firstId = aliceIds.iterator().next();
        assertTrue(server.linesContaining("Endpoint " + firstId + " of conference").stream()
                        .anyMatch(l -> l.contains(" failed: ")),
                () -> "the bridge dropped alice's endpoint " + firstId + " after its ICE timeout of "
                        + BRIDGE_ICE_TIMEOUT.toSeconds() + " s\n" + call.diagnostics());
        System.out.printf("alice's checks from the LAN address reached the bridge (%d datagrams), none came back%n",
                lanChecks);
        lab.removeNatRules();
    }

    @Test
    @Order(2)
    void throughTheNatTheCallFlowsAndTheBridgeSeesTheRoutersPublicAddress() throws Exception {
        lab.removeNatRules();
        lab.masquerade(null);
        newCall("nat");
        long natChecksBefore = lab.udpPacketsFrom(NatLab.ROUTER_PUBLIC_ADDRESS, NetnsServer.UDP_PORT);
        joinAndAwaitMedia("", Duration.ofSeconds(20), "call through the NAT");

        JsonNode a = selectedPair(alice);
        System.out.println("alice's selected pair: " + a);
        // Her check from 10.77.1.2 came back with the address the bridge saw (XOR-MAPPED-ADDRESS): the NAT's.
        // So her valid pair's local candidate is that peer-reflexive address, based on her host candidate.
        JsonNode local = a.path("pair").path("local");
        JsonNode remote = a.path("pair").path("remote");
        assertEquals("prflx", local.path("type").asText(), () -> "alice's selected local candidate " + a);
        assertEquals(NatLab.ROUTER_PUBLIC_ADDRESS, local.path("address").asText(), () -> "alice's selected local "
                + a);
        assertEquals("udp", local.path("protocol").asText(), () -> "alice's selected local " + a);
        assertEquals(NatLab.PUBLIC_ADDRESS, remote.path("address").asText(), () -> "alice's remote " + a);
        assertEquals(NetnsServer.UDP_PORT, remote.path("port").asInt(), () -> "alice's remote " + a);
        Set<String> hosts = new LinkedHashSet<>(); // UDP and TCP host candidates
        for (JsonNode candidate : a.path("localCandidates")) {
            String text = candidate.asText();
            assertTrue(text.startsWith("host ") || text.equals("prflx " + NatLab.ROUTER_PUBLIC_ADDRESS),
                    () -> "alice gathers host candidates only (no STUN/TURN configured): " + a);
            if (text.startsWith("host ") && !text.equals("host 127.0.0.1")) {
                hosts.add(text.substring(5));
            }
        }
        assertEquals(Set.of(NatLab.LAN_ADDRESS), hosts, () -> "alice's one non-loopback address is the LAN's: " + a);

        String natAddress = NatLab.ROUTER_PUBLIC_ADDRESS + ":" + local.path("port").asInt();
        JsonNode bridgeView = bridgeTransport(bob, alice.endpointId());
        System.out.println("the bridge's selected pair for alice (GET /api/rooms): " + bridgeView);
        assertEquals(natAddress, bridgeView.path("remote").asText(), () -> "the bridge sees alice at the router's "
                + "public address (what her browser learned), never at " + NatLab.LAN_ADDRESS + ": " + bridgeView
                + "\n" + call.diagnostics());
        assertEquals("udp", bridgeView.path("protocol").asText(), () -> "alice's pair at the bridge: " + bridgeView);
        assertEquals("prflx", bridgeView.path("remoteType").asText(), () -> "alice's mapped address is learned "
                + "from her checks (she has no STUN server): " + bridgeView);
        String lanSource = lab.natSource(local.path("port").asInt(), NatLab.PUBLIC_ADDRESS, NetnsServer.UDP_PORT)
                .orElse(null);
        System.out.printf("router conntrack: %s -> %s -> %s:%d%n", lanSource, natAddress, NatLab.PUBLIC_ADDRESS,
                NetnsServer.UDP_PORT);
        assertTrue(lanSource != null && lanSource.startsWith(NatLab.LAN_ADDRESS + ":"), () -> "the router translated"
                + " alice's " + NatLab.LAN_ADDRESS + " flow to " + natAddress + "\n" + lab.diagnostics());
        assertTrue(lab.udpPacketsFrom(NatLab.ROUTER_PUBLIC_ADDRESS, NetnsServer.UDP_PORT) > natChecksBefore,
                () -> "the bridge's UDP port received from the NAT's address\n" + lab.diagnostics());

        JsonNode bobView = bridgeTransport(bob, bob.endpointId());
        assertTrue(bobView.path("remote").asText().startsWith(NatLab.PUBLIC_ADDRESS + ":"),
                () -> "bob is seen at his own public address: " + bobView);

        // (the first room's endpoints may still be closing)
        Poll.within("GET /api/stats (fetched by bob's page) shows this call's 2 endpoints and forwarded packets",
                Duration.ofSeconds(10), Duration.ofMillis(500), () -> {
                    JsonNode stats = apiStats(bob);
                    return stats.path("endpoints").asInt() == 2 && stats.path("packetsForwarded").asLong() > 0
                            ? List.of() : List.of("GET /api/stats " + stats);
                }, call::diagnostics);
    }

    @Test
    @Order(3)
    void relayOnlyThroughTheNatUsesCoturnOnThePublicSegment() throws Exception {
        lab.removeNatRules();
        lab.masquerade(null);
        lab.countUdpTo(TURN_PORT, NatLab.ROUTER_PUBLIC_ADDRESS, NatLab.LAN_NETWORK);
        String secret = "netns-" + UUID.randomUUID();
        coturn = Coturn.start(lab.processIn(lab.pub, List.of()).command(), NatLab.PUBLIC_ADDRESS, TURN_PORT, secret);
        server.close();
        server = NetnsServer.start(lab, Map.of(
                "SWITCHBOARD_ICE_TIMEOUT", String.valueOf(BRIDGE_ICE_TIMEOUT.toSeconds()),
                "SWITCHBOARD_STUN_URLS", "stun:" + NatLab.PUBLIC_ADDRESS + ":" + TURN_PORT,
                "SWITCHBOARD_TURN_URLS", coturn.turnUrl(),
                "SWITCHBOARD_TURN_SECRET", secret));
        newCall("relay");
        joinAndAwaitMedia("relay=1", Duration.ofSeconds(25), "relay-only call through the NAT");

        JsonNode a = selectedPair(alice);
        System.out.println("alice's selected pair: " + a);
        JsonNode local = a.path("pair").path("local");
        assertEquals("relay", local.path("type").asText(), () -> "alice's selected local " + a);
        assertEquals(NatLab.PUBLIC_ADDRESS, local.path("address").asText(), () -> "alice's relay " + a);
        int relayPort = local.path("port").asInt();
        assertTrue(relayPort >= coturn.minRelayPort && relayPort <= coturn.maxRelayPort,
                () -> "alice's relay port is coturn's: " + a + "\n" + coturn.diagnostics());
        for (JsonNode candidate : a.path("localCandidates")) {
            assertTrue(candidate.asText().startsWith("relay "), () -> "alice gathers relay candidates only: " + a);
        }
        JsonNode bridgeView = bridgeTransport(bob, alice.endpointId());
        System.out.println("the bridge's selected pair for alice (GET /api/rooms): " + bridgeView);
        assertEquals(NatLab.PUBLIC_ADDRESS + ":" + relayPort, bridgeView.path("remote").asText(),
                () -> "the bridge talks to alice's relay on coturn: " + bridgeView + "\n" + call.diagnostics());
        // "relay" when her trickled relay candidate arrived before her first check from it, else "prflx"
        assertTrue(Set.of("relay", "prflx").contains(bridgeView.path("remoteType").asText()),
                () -> "alice's candidate at the bridge: " + bridgeView);
        String aliceId = alice.endpointId();
        assertTrue(coturn.linesContaining(":" + aliceId + ">").stream()
                        .anyMatch(l -> l.contains("ALLOCATE processed, success")),
                () -> "coturn allocated a relay for alice (" + aliceId + ")\n" + coturn.diagnostics());
        long turnFromNat = lab.udpPacketsFrom(NatLab.ROUTER_PUBLIC_ADDRESS, TURN_PORT);
        long turnFromLan = lab.udpPacketsFrom(NatLab.LAN_NETWORK, TURN_PORT);
        System.out.printf("datagrams to coturn: %d from the NAT's address, %d from the LAN%n", turnFromNat,
                turnFromLan);
        assertTrue(turnFromNat > 0, () -> "alice's TURN traffic reached coturn from the NAT's address\n"
                + lab.diagnostics());
        assertEquals(0, turnFromLan, () -> "nothing reached coturn from the LAN address\n" + lab.diagnostics());
    }

    /** Alice (with {@code aliceQuery}) and bob join; both see and hear the other within {@code within}. */
    private void joinAndAwaitMedia(String aliceQuery, Duration within, String what) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        alice.join(aliceQuery);
        bob.join();
        call.awaitJoined(deadline, List.of(alice, bob));
        call.awaitMediaFlowing(what + ": alice (LAN) and bob (public) see and hear each other within "
                + within.toSeconds() + " s", deadline);
        System.out.printf("%s flowing %d ms after the pages were opened%n", what,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    private static JsonNode selectedPair(Participant p) throws Exception {
        return IceInfo.selectedPair(p.browser);
    }

    /** The server's {@code /api/stats}, fetched by a page it serves (the test has no route into the namespace). */
    private static JsonNode apiStats(Participant p) throws Exception {
        return JSON.readTree(p.browser.asyncJson("fetch('/api/stats', { cache: 'no-store' }).then(r => r.json())"));
    }

    /**
     * The bridge's own view of where {@code endpointId}'s media flows: the {@code transport} of its participant in
     * {@code GET /api/rooms} (fetched by {@code via}'s page, which runs in the server's namespace), or a missing node.
     */
    private static JsonNode bridgeTransport(Participant via, String endpointId) throws Exception {
        JsonNode rooms = JSON.readTree(via.browser.asyncJson(
                "fetch('/api/rooms', { cache: 'no-store' }).then(r => r.json())"));
        for (JsonNode room : rooms) {
            for (JsonNode participant : room.path("participants")) {
                if (endpointId.equals(participant.path("id").asText())) {
                    return participant.path("transport");
                }
            }
        }
        return rooms.path("no such participant");
    }
}
