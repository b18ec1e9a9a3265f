package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * ICE over TCP (RFC 6544) with real browsers: two headless Chromium join one room; one of them cannot use UDP
 * at all and reaches the bridge only through the bridge's passive TCP candidate, with RFC 4571 framing; the
 * other one uses UDP as usual. Video and audio must flow both ways, and the TCP-only browser's selected
 * candidate pair must be TCP.
 *
 * <p><b>How UDP is blocked.</b> The TCP-only browser runs with Chromium's
 * {@code --webrtc-ip-handling-policy=disable_non_proxied_udp}, the switch form of the
 * {@code WebRtcIPHandlingPolicy} enterprise policy. Under it Chromium's WebRTC opens no UDP socket: it
 * gathers no UDP host or server-reflexive candidate and neither sends nor answers UDP checks, exactly like a
 * client behind a firewall that drops UDP. Its TCP host candidates (tcptype active) remain, so the only pair
 * that can work is its active candidate connecting to the bridge's passive one. The test also asserts that the
 * browser has no UDP candidate at all, so it cannot pass over UDP by accident.
 *
 * <p>The unrestricted browser must stay on UDP although the bridge offers it TCP too: that checks the bridge's
 * UDP head start (TCP checks are answered only after 1 s, and never once ICE completed over UDP). Without it
 * this very setup ends on TCP: Chromium opens the TCP connection from its port on the host's other interface
 * (apparently allowed because the connection is local), ranks that interface's network cost below loopback's, and
 * nominates the TCP pair first, which ice4j then keeps.
 *
 * <p>Why not a server-side "UDP candidates disabled" switch that advertises only the TCP candidate to one
 * participant: that browser would still have UDP, so it would not model the client this feature is for. It
 * would only keep UDP unused because this bridge cannot start a check toward an address that has not checked
 * it first (ice4j logs "No socket found" for its own UDP checks), a detail the test should not lean on; and it
 * would add a test-only setting to the server's configuration. Blocking UDP in the browser needs no change to
 * the bridge, and the call mixes a TCP and a UDP participant (forwarding across the two transports). Firewall
 * rules on loopback would need root and iptables, which a test cannot rely on.
 *
 * <p>Observed timing on loopback: the TCP-only browser connects about 1 s later than the UDP one (the head
 * start).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IceTcpE2ETest {
    /** Chromium without UDP for WebRTC: TCP candidates only. */
    static final String NO_UDP = "--webrtc-ip-handling-policy=disable_non_proxied_udp";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestServer server;
    private Call call;
    private Participant udpUser;
    private Participant tcpUser;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install Chromium
    void startServerAndBrowsers() throws Exception {
        server = TestServer.start();
        call = new Call(server, "tcp-" + UUID.randomUUID().toString().substring(0, 8));
        udpUser = call.launch("udp-alice");
        tcpUser = call.launch("tcp-bob", List.of(NO_UDP));
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    @Order(1)
    void aBrowserWithoutUdpReachesTheBridgeOverTcpAndMediaFlowsBothWays() throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(20).toNanos();
        udpUser.join();
        tcpUser.join();
        call.awaitJoined(deadline, List.of(udpUser, tcpUser));
        call.awaitMediaFlowing("udp-alice and tcp-bob each see the other's video playing and receive audio, "
                + "tcp-bob through ICE-TCP only", deadline);
        System.out.printf("ICE-TCP call flowing %d ms after the pages were opened%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        JsonNode tcp = selectedPair(tcpUser);
        List<String> problems = new ArrayList<>();
        JsonNode protocols = tcp.path("localProtocols");
        if (protocols.isEmpty()) {
            problems.add("tcp-bob reports no local candidate");
        }
        protocols.forEach(p -> {
            if (!"tcp".equals(p.asText())) {
                problems.add("tcp-bob has a " + p.asText() + " candidate: UDP is not blocked");
            }
        });
        JsonNode pair = tcp.path("pair");
        if (pair.isMissingNode() || pair.isNull()) {
            problems.add("tcp-bob has no selected (nominated, succeeded) candidate pair");
        } else {
            expect(problems, "tcp-bob's selected local candidate protocol", "tcp", pair.at("/local/protocol"));
            expect(problems, "tcp-bob's selected local candidate tcpType", "active", pair.at("/local/tcpType"));
            expect(problems, "tcp-bob's selected remote candidate protocol", "tcp", pair.at("/remote/protocol"));
            expect(problems, "tcp-bob's selected remote candidate port (the bridge's ICE-TCP port)",
                    String.valueOf(server.tcpPort()), pair.at("/remote/port"));
            expect(problems, "tcp-bob's selected pair state", "succeeded", pair.path("state"));
            if (pair.path("bytesReceived").asLong() <= 0 || pair.path("bytesSent").asLong() <= 0) {
                problems.add("tcp-bob's selected pair carries no media: " + pair);
            }
        }
        JsonNode udp = selectedPair(udpUser);
        expect(problems, "udp-alice's selected local candidate protocol (unrestricted: UDP ranks above TCP)", "udp",
                udp.at("/pair/local/protocol"));
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems) + "\ntcp-bob: " + tcp + "\n  "
                + IceInfo.capture(tcpUser.browser).summary() + "\nudp-alice: " + udp + "\n  "
                + IceInfo.capture(udpUser.browser).summary() + "\n" + call.diagnostics());

        StringBuilder rates = new StringBuilder();
        List<String> mediaProblems = call.mediaProblemsOver(Duration.ofSeconds(3), 5.0, rates);
        System.out.println("over ICE-TCP: " + rates);
        assertTrue(mediaProblems.isEmpty(), () -> "media between the UDP and the TCP participant:\n  "
                + String.join("\n  ", mediaProblems) + "\n" + call.diagnostics());
        assertEquals(2, server.statistics().endpoints(), () -> "bridge endpoints\n" + call.diagnostics());
        assertEquals(0L, server.statistics().dropped().get("tcp-invalid"), () -> "" + server.statistics());
    }

    private static JsonNode selectedPair(Participant p) throws Exception {
        JsonNode node = IceInfo.selectedPair(p.browser);
        if (node.hasNonNull("error") || node.hasNonNull("scriptError")) {
            throw new AssertionError(p.name + ": " + node);
        }
        return node;
    }

    private static void expect(List<String> problems, String what, String expected, JsonNode actual) {
        String value = actual == null || actual.isMissingNode() || actual.isNull() ? null : actual.asText();
        if (!expected.equals(value)) {
            problems.add(what + " is " + value + ", expected " + expected);
        }
    }
}
