package dev.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.SelectedPair;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket protocol and HTTP routes, end to end on an ephemeral port, with a fake media bridge. */
class WebSocketProtocolTest {
    private static final String OFFER = Fixtures.sdp(Fixtures.SENDONLY_AV);
    private static FakeMediaBridge bridge;
    private static SwitchboardServer server;
    private static Vertx clientVertx;
    private static WebSocketClient wsClient;
    private static java.net.http.HttpClient httpClient;

    @BeforeAll
    static void start() {
        bridge = new FakeMediaBridge();
        // No reconnect grace period: a closed socket removes its participant at once (ReconnectGraceTest covers it).
        ServerConfig config = new ServerConfig("127.0.0.1", 0, BridgeConfig.loopbackDefaults().withUdpPort(0))
                .withReconnectGrace(java.time.Duration.ZERO);
        server = SwitchboardServer.start(config, bridge);
        clientVertx = Vertx.vertx();
        wsClient = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(512 * 1024)
                .setMaxMessageSize(1024 * 1024));
        httpClient = java.net.http.HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (clientVertx != null) {
            clientVertx.close().await(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
            assertTrue(bridge.isClosed(), "the server closes its bridge");
        }
    }

    @Test
    void joinOfferAnswerAndBroadcasts() throws Exception {
        TestWebSocket alice = connect();
        alice.send(new JsonObject().put("type", "join").put("room", "proto").put("name", " Alice "));
        JsonObject joined = alice.next("joined");
        String aliceId = joined.getString("endpointId");
        assertTrue(aliceId.matches("[A-Za-z0-9]{8,}"), aliceId);
        assertEquals("proto", joined.getString("room"));
        assertEquals(new JsonArray(), joined.getJsonArray("participants"));
        assertEquals(new JsonArray(), joined.getJsonArray("iceServers"), "no STUN/TURN server configured");
        assertEquals(new JsonArray(), alice.next("sources").getJsonArray("sources"));

        alice.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        String answer = alice.next("answer").getString("sdp");
        assertTrue(answer.startsWith("v=0\r\n"));
        assertTrue(answer.contains("a=group:BUNDLE 0 1\r\n"));
        assertTrue(answer.contains("a=setup:passive\r\n"));
        assertTrue(answer.contains("a=recvonly\r\n"));
        assertFalse(answer.contains("sdes:mid"));
        alice.send(new JsonObject().put("type", "candidate")
                .put("candidate", "candidate:1 1 udp 2122194687 127.0.0.1 50000 typ host").put("sdpMid", "0")
                .put("sdpMLineIndex", 0));
        alice.send(new JsonObject().put("type", "candidate").put("candidate", "").put("sdpMid", "0"));

        TestWebSocket bob = connect();
        bob.send(new JsonObject().put("type", "join").put("room", "proto").put("name", "Bob"));
        JsonObject bobJoined = bob.next("joined");
        String bobId = bobJoined.getString("endpointId");
        assertNotEquals(aliceId, bobId);
        assertEquals(new JsonArray().add(new JsonObject().put("id", aliceId).put("name", "Alice")),
                bobJoined.getJsonArray("participants"));
        JsonArray sources = bob.next("sources").getJsonArray("sources");
        assertEquals(new JsonObject().put("endpointId", aliceId).put("name", "Alice").put("kind", "audio"),
                sources.getJsonObject(0));
        assertEquals("video", sources.getJsonObject(1).getString("kind"));
        JsonObject participantJoined = alice.next("participant-joined");
        assertEquals(new JsonObject().put("id", bobId).put("name", "Bob"),
                participantJoined.getJsonObject("participant"));

        // core events reach the right socket
        bridge.emit("proto", new EndpointEvent.Connected(aliceId));
        assertEquals("connected", alice.next("media-state").getString("state"));

        // HTTP views of the same state; the core reports where Alice's media flows, Bob has no pair yet
        bridge.selectedPairs.put(aliceId, new SelectedPair("udp", new InetSocketAddress("127.0.0.1", 10000),
                new InetSocketAddress("203.0.113.7", 50123), "srflx", false));
        JsonArray rooms = new JsonArray(get("/api/rooms", 200));
        JsonObject room = rooms.stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("id").equals("proto")).findFirst().orElseThrow();
        assertEquals(2, room.getJsonArray("participants").size());
        JsonObject aliceView = room.getJsonArray("participants").getJsonObject(0);
        assertEquals(new JsonArray().add("audio").add("video"), aliceView.getJsonArray("sources"));
        assertEquals(new JsonObject().put("protocol", "udp").put("local", "127.0.0.1:10000")
                .put("remote", "203.0.113.7:50123").put("remoteType", "srflx").put("bridgeRelay", false),
                aliceView.getJsonObject("transport"));
        assertNull(room.getJsonArray("participants").getJsonObject(1).getJsonObject("transport"),
                "no transport before ICE selected a pair");
        JsonObject health = new JsonObject(get("/health", 200));
        assertEquals("ok", health.getString("status"));
        assertEquals(1, health.getInteger("conferences"));
        assertEquals(1, health.getInteger("endpoints"));
        JsonObject stats = new JsonObject(get("/api/stats", 200));
        assertEquals(20, stats.getLong("packetsForwarded"));
        assertEquals(1, stats.getJsonObject("dropped").getLong("malformed"));
        String metrics = get("/metrics", 200);
        assertTrue(metrics.contains("switchboard_packets_forwarded_total 20.0"), metrics);
        assertTrue(metrics.contains("switchboard_packets_dropped_total{reason=\"malformed\"} 1.0"), metrics);
        assertTrue(metrics.contains("switchboard_endpoints 1.0"), metrics);
        assertTrue(metrics.contains("switchboard_retransmissions_sent_total 0.0"), metrics);
        assertTrue(metrics.contains("switchboard_nack_requests_received_total 0.0"), metrics);
        assertTrue(metrics.contains("switchboard_nack_requests_sent_total 0.0"), metrics);
        assertEquals(0, stats.getLong("retransmissionsSent"));
        assertTrue(metrics.contains("switchboard_rtx_packets_received_total 3.0"), metrics);
        assertTrue(metrics.contains("switchboard_rtx_retransmissions_sent_total 4.0"), metrics);
        assertEquals(3, stats.getLong("rtxPacketsReceived"));
        assertEquals(4, stats.getLong("rtxRetransmissionsSent"));
        assertTrue(metrics.contains("switchboard_probe_clusters_total 3.0"), metrics);
        assertTrue(metrics.contains("switchboard_probe_packets_total 40.0"), metrics);
        assertTrue(metrics.contains("switchboard_probe_bytes_total 11000.0"), metrics);
        assertTrue(metrics.contains("switchboard_probe_clusters_succeeded_total 2.0"), metrics);
        assertEquals(3, stats.getLong("probeClusters"));
        assertEquals(40, stats.getLong("probePackets"));
        assertEquals(11_000, stats.getLong("probeBytes"));
        assertEquals(2, stats.getLong("probeClustersSucceeded"));
        JsonObject transit = stats.getJsonObject("transitMicros"); // the fake's Transit(500, 120, 900, 2000, 4100)
        assertEquals(10, transit.getLong("windowSeconds"));
        assertEquals(500, transit.getLong("packets"));
        assertEquals(900, transit.getLong("p99"));
        assertEquals(4_100, transit.getLong("max"));
        assertTrue(metrics.contains("switchboard_transit_seconds{quantile=\"0.99\"} 9.0E-4"), metrics);
        assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);

        // Alice's socket closes: Bob is told, her endpoint leaves the core, her sources go away
        alice.close();
        assertEquals(aliceId, bob.next("participant-left").getString("id"));
        assertEquals(new JsonArray(), bob.next("sources").getJsonArray("sources"));
        assertTrue(bridge.calls.contains("remove " + aliceId));
        assertTrue(bridge.calls.contains("candidate " + aliceId + " 127.0.0.1"), bridge.calls.toString());

        bob.send(new JsonObject().put("type", "leave"));
        waitFor(() -> new JsonArray(get("/api/rooms", 200)).stream()
                .noneMatch(r -> ((JsonObject) r).getString("id").equals("proto")));
        // after leave the socket may join again
        bob.send(new JsonObject().put("type", "join").put("room", "proto2").put("name", "Bob"));
        assertEquals("proto2", bob.next("joined").getString("room"));
        bob.close();
    }

    @Test
    void badInputGetsAnErrorAndTheSocketLivesOn() throws Exception {
        TestWebSocket c = connect();
        c.sendText("this is not json");
        assertError(c, "bad-json");
        c.sendText("[\"join\"]");
        assertError(c, "bad-message");
        c.send(new JsonObject().put("type", "hello"));
        assertError(c, "unknown-type");
        c.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        assertError(c, "not-joined");
        c.send(new JsonObject().put("type", "candidate").put("candidate", ""));
        assertError(c, "not-joined");
        c.send(new JsonObject().put("type", "leave"));
        assertError(c, "not-joined");
        c.send(new JsonObject().put("type", "join").put("room", "x".repeat(65)).put("name", "A"));
        assertError(c, "room-name-too-long");
        c.send(new JsonObject().put("type", "join").put("room", "bad room").put("name", "A"));
        assertError(c, "bad-message");
        c.socket.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
        assertError(c, "bad-message");

        // a valid message still works
        c.send(new JsonObject().put("type", "join").put("room", "errors").put("name", "A"));
        c.next("joined");
        c.send(new JsonObject().put("type", "join").put("room", "errors").put("name", "A"));
        assertError(c, "already-joined");

        String noFingerprint = OFFER.replaceAll("a=fingerprint:[^\r]*\r\n", "");
        c.send(new JsonObject().put("type", "offer").put("sdp", noFingerprint));
        assertTrue(assertError(c, "bad-sdp").getString("message").contains("fingerprint"));
        c.send(new JsonObject().put("type", "offer").put("sdp", "v=0\r\ngarbage"));
        assertError(c, "bad-sdp");
        c.send(new JsonObject().put("type", "offer"));
        assertError(c, "bad-message");
        c.send(new JsonObject().put("type", "candidate").put("candidate", "nonsense"));
        assertError(c, "bad-message");
        c.send(new JsonObject().put("type", "video-constraints").put("constraints",
                new JsonObject().put("someone", new JsonObject().put("maxHeight", 0))));
        assertTrue(assertError(c, "bad-message").getString("message").contains("'maxHeight' of 'someone'"));
        c.send(new JsonObject().put("type", "video-constraints").put("constraints",
                new JsonObject().put("someone", new JsonObject().put("maxHeight", 180))));
        c.send(new JsonObject().put("type", "leave"));
        c.send(new JsonObject().put("type", "video-constraints"));
        assertError(c, "not-joined");
        c.send(new JsonObject().put("type", "join").put("room", "errors").put("name", "A"));
        c.next("joined");

        // and the offer after all of that is answered
        c.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        String firstUfrag = c.next("answer").getString("sdp").replaceAll("(?s).*a=ice-ufrag:(\\S+).*", "$1");
        c.send(new JsonObject().put("type", "offer").put("sdp", OFFER.replace("a=ice-ufrag:FNqD", "a=ice-ufrag:ABCD")));
        String restartedUfrag = c.next("answer").getString("sdp").replaceAll("(?s).*a=ice-ufrag:(\\S+).*", "$1");
        assertNotEquals(firstUfrag, restartedUfrag, "an ICE restart is answered with new bridge credentials");
        c.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        c.next("answer");
        assertEquals(200, status("/health"));
        c.close();
    }

    @Test
    void anOversizedMessageClosesOnlyThatSocket() throws Exception {
        TestWebSocket big = connect();
        CompletableFuture<Short> closed = new CompletableFuture<>();
        big.socket.closeHandler(v -> closed.complete(big.socket.closeStatusCode()));
        big.sendText("{\"type\":\"offer\",\"sdp\":\"" + "x".repeat(300 * 1024) + "\"}");
        // Vert.x closes the connection when a message exceeds the limit (no close frame: 1006)
        assertTrue(closed.get(5, TimeUnit.SECONDS) != null);
        assertEquals(200, status("/health"));

        TestWebSocket other = connect();
        other.send(new JsonObject().put("type", "join").put("room", "big").put("name", "A"));
        other.next("joined");
        other.close();
    }

    @Test
    void servesTheWebClientAndRejectsOtherWebSocketPaths() throws Exception {
        String index = get("/", 200);
        assertTrue(index.contains("id=\"status\""), index);
        assertTrue(get("/app.js", 200).contains("window.switchboard"));
        assertEquals(200, status("/style.css"));
        assertEquals(404, status("/nope.html"));
        assertThrows(Exception.class,
                () -> wsClient.connect(server.httpPort(), "127.0.0.1", "/other").await(5, TimeUnit.SECONDS));
    }

    // ---- helpers ----

    private static JsonObject assertError(TestWebSocket c, String code) throws InterruptedException {
        JsonObject error = c.next("error");
        assertEquals(code, error.getString("code"), error.encode());
        assertFalse(error.getString("message").isEmpty());
        return error;
    }

    private static TestWebSocket connect() throws Exception {
        WebSocket socket = wsClient.connect(server.httpPort(), "127.0.0.1", "/ws").await(5, TimeUnit.SECONDS);
        return new TestWebSocket(socket);
    }

    private static String get(String path, int expectedStatus) throws Exception {
        Response response = request(path);
        assertEquals(expectedStatus, response.status(), path + ": " + response.body());
        return response.body();
    }

    private static int status(String path) throws Exception {
        return request(path).status();
    }

    private static Response request(String path) throws Exception {
        // The JDK client: a Vert.x HttpClient driven from the test thread can lose a fast response's body.
        java.net.http.HttpResponse<String> response = httpClient.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.httpPort() + path))
                        .timeout(java.time.Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private record Response(int status, String body) {}

    private static void waitFor(ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    interface ThrowingCondition {
        boolean get() throws Exception;
    }
}
