package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input over a real WebSocket to {@code /ws}: each bad message gets an
 * {@code {"type":"error","code":...,"message":...}} reply, and the same socket then still joins a room.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class SignalingRobustnessE2ETest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<String> REPLIES = Set.of("error", "joined");

    /** A plausible offer with ICE credentials and everything else, but no a=fingerprint line. */
    private static final String OFFER_WITHOUT_FINGERPRINT = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Hk3n",
            "a=ice-pwd:4ZcD5p2ZR1hBqn7gL2u9w7xY",
            "a=ice-options:trickle",
            "a=setup:actpass",
            "a=mid:0",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:1111 cname:e2e",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Hk3n",
            "a=ice-pwd:4ZcD5p2ZR1hBqn7gL2u9w7xY",
            "a=ice-options:trickle",
            "a=setup:actpass",
            "a=mid:1",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=ssrc:2222 cname:e2e",
            "");

    private TestServer server;

    @BeforeAll
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void startServer() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * One bad message and the error it must get. An offer is only considered after a join (before it the
     * answer is {@code not-joined}), so that case joins first and leaves before the final join.
     */
    record Bad(String what, String message, String code, boolean afterJoin, String mentions) {
        @Override
        public String toString() {
            return what + " -> " + code;
        }
    }

    static Stream<Bad> badMessages() {
        ObjectNode unknown = JsonSocket.json().createObjectNode().put("type", "teleport").put("room", "x");
        ObjectNode offer = JsonSocket.json().createObjectNode().put("type", "offer")
                .put("sdp", OFFER_WITHOUT_FINGERPRINT);
        return Stream.of(
                new Bad("not JSON", "{\"type\": \"join\", \"room\": ", "bad-json", false, null),
                new Bad("unknown type", unknown.toString(), "unknown-type", false, null),
                new Bad("65-character room name", join("r".repeat(65)).toString(), "room-name-too-long", false, null),
                new Bad("offer without fingerprint", offer.toString(), "bad-sdp", true, "fingerprint"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMessages")
    void badMessageGetsAnErrorAndTheSocketStillJoins(Bad bad) throws Exception {
        try (JsonSocket ws = JsonSocket.connect(server.webSocketUri())) {
            if (bad.afterJoin()) {
                expectJoin(ws);
            }
            ws.send(bad.message());
            expectError(ws, bad);
            if (bad.afterJoin()) {
                ws.send(JsonSocket.json().createObjectNode().put("type", "leave"));
            }
            expectJoin(ws);
        }
        expectHealthy();
    }

    @Test
    void allBadMessagesOnOneSocketThenAValidJoin() throws Exception {
        try (JsonSocket ws = JsonSocket.connect(server.webSocketUri())) {
            boolean joined = false;
            for (Bad bad : badMessages().toList()) {
                if (bad.afterJoin() && !joined) {
                    expectJoin(ws);
                    joined = true;
                }
                ws.send(bad.message());
                expectError(ws, bad);
            }
            if (joined) {
                ws.send(JsonSocket.json().createObjectNode().put("type", "leave"));
            }
            expectJoin(ws);
        }
        expectHealthy();
    }

    private static ObjectNode join(String room) {
        return JsonSocket.json().createObjectNode().put("type", "join").put("room", room).put("name", "mallory");
    }

    private static void expectError(JsonSocket ws, Bad bad) throws Exception {
        JsonNode reply = ws.awaitType(REPLIES, REPLY_TIMEOUT);
        String what = bad.what();
        assertEquals("error", reply.path("type").asText(), () -> what + ": expected an error reply\n" + ws.transcript());
        assertEquals(bad.code(), reply.path("code").asText(), () -> what + ": error code\n" + ws.transcript());
        assertTrue(reply.path("message").isTextual(), () -> what + ": error has no message\n" + ws.transcript());
        String message = reply.path("message").asText();
        assertFalse(message.isBlank(), () -> what + ": empty message\n" + ws.transcript());
        if (bad.mentions() != null) {
            assertTrue(message.toLowerCase(java.util.Locale.ROOT).contains(bad.mentions()),
                    () -> what + ": the error should say what is wrong (" + bad.mentions() + ")\n" + ws.transcript());
        }
    }

    private void expectJoin(JsonSocket ws) throws Exception {
        ws.send(join("robust-" + UUID.randomUUID().toString().substring(0, 8)));
        JsonNode reply = ws.awaitType(REPLIES, REPLY_TIMEOUT);
        assertEquals("joined", reply.path("type").asText(), () -> "the socket cannot join\n" + ws.transcript());
        assertFalse(reply.path("endpointId").asText().isBlank(), () -> "joined without endpointId\n" + ws.transcript());
    }

    private void expectHealthy() throws Exception {
        HttpResponse<String> health = server.get("/health");
        assertEquals(200, health.statusCode(), () -> "GET /health -> " + health.statusCode() + " " + health.body());
    }
}
