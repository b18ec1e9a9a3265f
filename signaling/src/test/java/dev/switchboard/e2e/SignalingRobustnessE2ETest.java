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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input over a real WebSocket to {@code /ws}: each bad message gets an
 * {@code {"type":"error","code":...,"message":...}} reply, and the same socket then still joins a room.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
    void startServer() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> badMessages() {
        ObjectNode unknown = JsonSocket.json().createObjectNode().put("type", "teleport").put("room", "x");
        ObjectNode offer = JsonSocket.json().createObjectNode().put("type", "offer")
                .put("sdp", OFFER_WITHOUT_FINGERPRINT);
        return Stream.of(
                Arguments.of("not JSON", "{\"type\": \"join\", \"room\": ", "bad-json"),
                Arguments.of("unknown type", unknown.toString(), "unknown-type"),
                Arguments.of("offer without fingerprint", offer.toString(), "bad-sdp"),
                Arguments.of("65-character room name", join("r".repeat(65)).toString(), "room-name-too-long"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badMessages")
    void badMessageGetsAnErrorAndTheSocketStillJoins(String what, String message, String code) throws Exception {
        try (JsonSocket ws = JsonSocket.connect(server.webSocketUri())) {
            ws.send(message);
            expectError(ws, code, what);
            expectJoin(ws);
        }
        expectHealthy();
    }

    @Test
    void allBadMessagesOnOneSocketThenAValidJoin() throws Exception {
        try (JsonSocket ws = JsonSocket.connect(server.webSocketUri())) {
            for (Arguments args : badMessages().toList()) {
                Object[] a = args.get();
                ws.send((String) a[1]);
                expectError(ws, (String) a[2], (String) a[0]);
            }
            expectJoin(ws);
        }
        expectHealthy();
    }

    private static ObjectNode join(String room) {
        return JsonSocket.json().createObjectNode().put("type", "join").put("room", room).put("name", "mallory");
    }

    private static void expectError(JsonSocket ws, String code, String what) throws Exception {
        JsonNode reply = ws.awaitType(REPLIES, REPLY_TIMEOUT);
        assertEquals("error", reply.path("type").asText(), () -> what + ": expected an error reply\n" + ws.transcript());
        assertEquals(code, reply.path("code").asText(), () -> what + ": error code\n" + ws.transcript());
        assertTrue(reply.path("message").isTextual(), () -> what + ": error has no message\n" + ws.transcript());
        assertFalse(reply.path("message").asText().isBlank(), () -> what + ": empty message\n" + ws.transcript());
    }

    private void expectJoin(JsonSocket ws) throws Exception {
        ws.send(join("robust-" + UUID.randomUUID().toString().substring(0, 8)));
        JsonNode reply = ws.awaitType(REPLIES, REPLY_TIMEOUT);
        assertEquals("joined", reply.path("type").asText(),
                () -> "after the bad input the same socket cannot join\n" + ws.transcript());
    }

    private void expectHealthy() throws Exception {
        HttpResponse<String> health = server.get("/health");
        assertEquals(200, health.statusCode(), () -> "GET /health -> " + health.statusCode() + " " + health.body());
    }
}
