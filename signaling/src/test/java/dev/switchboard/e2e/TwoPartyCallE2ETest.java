package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.e2e.Call.Participant;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Two headless Chromium browsers with fake camera and microphone join one room through the real web client,
 * and the bridge forwards their media over 127.0.0.1. The tests run in order on the same call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoPartyCallE2ETest {
    private static final int NOISE_DATAGRAMS = 3000;

    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;
    private long pagesOpenedNanos;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install Chromium
    void startServerAndBrowsers() throws Exception {
        server = TestServer.start();
        call = new Call(server, "two-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    @Order(1)
    void eachSeesAndHearsTheOtherWithin10Seconds() {
        long start = System.nanoTime();
        pagesOpenedNanos = start;
        long deadline = start + Duration.ofSeconds(10).toNanos();
        alice.join();
        bob.join();
        call.awaitJoined(deadline, List.of(alice, bob));
        call.awaitMediaFlowing("alice and bob each see the other's video playing (videoWidth > 0, currentTime and "
                + "framesDecoded advancing) and receive audio (packetsReceived advancing) within 10 s of opening the "
                + "page", deadline);
        System.out.printf("two-party call flowing %d ms after the pages were opened%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        BridgeStatistics stats = server.statistics();
        assertEquals(1, stats.conferences(), () -> "bridge conferences\n" + call.diagnostics());
        assertEquals(2, stats.endpoints(), () -> "bridge endpoints\n" + call.diagnostics());
        assertTrue(stats.packetsForwarded() > 0, () -> "bridge forwarded no packet\n" + call.diagnostics());
    }

    /**
     * transport-cc: the bridge sends feedback on every publisher's transport-wide sequence numbers, so Chromium's
     * send-side bandwidth estimate (candidate-pair availableOutgoingBitrate) and its video bitrate ramp up.
     */
    @Test
    @Order(2)
    void publishersBandwidthEstimateRampsAbove500kbpsWithin15Seconds() throws Exception {
        String probe = "(async () => { const stats = await window.switchboard.pc.getStats(); let bwe = 0, bytes = 0;"
                + " stats.forEach(s => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded')"
                + " bwe = Math.max(bwe, s.availableOutgoingBitrate || 0);"
                + " if (s.type === 'outbound-rtp' && s.kind === 'video') bytes += s.bytesSent || 0; });"
                + " return { bwe, bytes, t: performance.now() }; })()";
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        long deadline = pagesOpenedNanos + Duration.ofSeconds(15).toNanos();
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> last = new java.util.HashMap<>();
        java.util.Map<String, String> seen = new java.util.TreeMap<>();
        while (true) {
            boolean all = true;
            for (Participant p : List.of(alice, bob)) {
                var now = json.readTree(p.browser.asyncJson(probe));
                var before = last.put(p.name, now);
                double kbps = before == null ? 0 : (now.path("bytes").asDouble() - before.path("bytes").asDouble())
                        * 8 / Math.max(1, now.path("t").asDouble() - before.path("t").asDouble());
                seen.put(p.name, String.format("estimate %.0f kbps, video sent %.0f kbps",
                        now.path("bwe").asDouble() / 1000, kbps));
                all &= now.path("bwe").asDouble() > 500_000;
            }
            if (all) {
                System.out.println("bandwidth estimates after "
                        + Duration.ofNanos(System.nanoTime() - pagesOpenedNanos).toMillis() + " ms: " + seen);
                return;
            }
            assertTrue(System.nanoTime() < deadline, () -> "a publisher's bandwidth estimate stayed at or below 500 kbps"
                    + " 15 s after the pages opened: " + seen + "\n" + call.diagnostics());
            Thread.sleep(500);
        }
    }

    @Test
    @Order(3)
    void randomDatagramsAreDroppedAndCountedWithoutDisturbingTheCall() throws Exception {
        call.awaitMediaFlowing("precondition: the two-party call is flowing",
                System.nanoTime() + Duration.ofSeconds(10).toNanos());
        BridgeStatistics before = server.statistics();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        InetSocketAddress bridge = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.udpPort);
        long bytes = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < NOISE_DATAGRAMS; i++) {
                byte[] payload = new byte[1 + random.nextInt(1400)];
                random.nextBytes(payload);
                socket.send(new DatagramPacket(payload, payload.length, bridge));
                bytes += payload.length;
                if (i % 5 == 4) {
                    Thread.sleep(1); // a few thousand datagrams/s: well under what the socket buffer absorbs
                }
            }
        }
        System.out.printf("sent %d random datagrams (%d bytes, seed %d) to 127.0.0.1:%d%n", NOISE_DATAGRAMS, bytes,
                seed, server.udpPort);

        long wanted = NOISE_DATAGRAMS * 9L / 10;
        Poll.within("the bridge counts at least " + wanted + " of the " + NOISE_DATAGRAMS
                        + " random datagrams in statistics().droppedTotal()", Duration.ofSeconds(5),
                Duration.ofMillis(200), () -> {
                    BridgeStatistics now = server.statistics();
                    long grown = now.droppedTotal() - before.droppedTotal();
                    return grown >= wanted ? List.of() : List.of("droppedTotal grew by " + grown + " (before "
                            + before.dropped() + ", now " + now.dropped() + "); packetsReceived grew by "
                            + (now.packetsReceived() - before.packetsReceived()));
                }, call::diagnostics);
        System.out.println("dropped after the noise: " + server.statistics().dropped());

        StringBuilder rates = new StringBuilder();
        List<String> problems = new ArrayList<>(call.mediaProblemsOver(Duration.ofSeconds(3), 5.0, rates));
        System.out.println("after the noise: " + rates);
        assertTrue(problems.isEmpty(), () -> "the call was disturbed by the random datagrams (seed " + seed + "):\n  "
                + String.join("\n  ", problems) + "\n" + call.diagnostics());
        assertEquals(2, server.statistics().endpoints(), () -> "bridge endpoints after the noise\n" + call.diagnostics());
    }

    @Test
    @Order(4)
    void iceRestartMidCallUsesNewCredentialsAndMediaContinues() throws Exception {
        call.awaitMediaFlowing("precondition: the two-party call is flowing",
                System.nanoTime() + Duration.ofSeconds(10).toNanos());
        String ufrags = "(() => { const u = d => d && (d.sdp.match(/a=ice-ufrag:(\\S+)/) || [])[1];"
                + " const pc = window.switchboard.pc;"
                + " return { local: u(pc.localDescription), remote: u(pc.remoteDescription),"
                + " reconnects: window.switchboard.reconnects, ice: pc.iceConnectionState }; })()";
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var before = json.readTree(alice.browser.asyncJson(ufrags));
        long endpointsBefore = server.statistics().endpoints();

        alice.browser.script("window.switchboard.pc.restartIce();");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        var after = json.readTree(alice.browser.asyncJson(ufrags));
        while ((after.path("remote").asText().equals(before.path("remote").asText())
                || !after.path("ice").asText().equals("connected") && !after.path("ice").asText().equals("completed"))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            after = json.readTree(alice.browser.asyncJson(ufrags));
        }
        var finalAfter = after;
        assertTrue(!finalAfter.path("local").asText().equals(before.path("local").asText()),
                () -> "the browser's ICE credentials did not change: " + before + " -> " + finalAfter);
        assertTrue(!finalAfter.path("remote").asText().equals(before.path("remote").asText()),
                () -> "the bridge did not answer with new ICE credentials: " + before + " -> " + finalAfter
                        + call.diagnostics());
        assertEquals(before.path("reconnects").asInt(), finalAfter.path("reconnects").asInt(),
                () -> "the page re-joined instead of restarting ICE in place\n" + call.diagnostics());

        StringBuilder rates = new StringBuilder();
        List<String> problems = new ArrayList<>(call.mediaProblemsOver(Duration.ofSeconds(3), 5.0, rates));
        System.out.println("after the ICE restart: " + rates + " ufrags " + before + " -> " + finalAfter);
        assertTrue(problems.isEmpty(), () -> "media did not continue after the ICE restart:\n  "
                + String.join("\n  ", problems) + "\n" + call.diagnostics());
        assertEquals(endpointsBefore, server.statistics().endpoints(), "the endpoint was kept");
    }
}
