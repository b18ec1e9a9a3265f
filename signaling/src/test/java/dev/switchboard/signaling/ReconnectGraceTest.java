package dev.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconnect grace period over real WebSockets (fake media bridge): a participant whose socket closes stays
 * in its room and keeps its endpoint for {@link #GRACE}; a new socket resumes it with the {@code resumeToken}
 * of its {@code joined} and gets what it missed; without that it is removed once the grace period ends. Sockets
 * here are lost with close code 4001 (any code but 1000 and 1001, or none, starts the grace period).
 */
class ReconnectGraceTest {
    /** Long enough for the resume steps below on a loaded 2-core machine, short enough to wait out. */
    private static final Duration GRACE = Duration.ofMillis(3000);
    private static final String OFFER = Fixtures.sdp(Fixtures.SENDONLY_AV);
    private static FakeMediaBridge bridge;
    private static SwitchboardServer server;
    private static Vertx clientVertx;
    private static WebSocketClient wsClient;

    @BeforeAll
    static void start() {
        bridge = new FakeMediaBridge();
        server = SwitchboardServer.start(new ServerConfig("127.0.0.1", 0, BridgeConfig.loopbackDefaults()
                .withUdpPort(0)).withReconnectGrace(GRACE), bridge);
        clientVertx = Vertx.vertx();
        wsClient = clientVertx.createWebSocketClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (clientVertx != null) {
            clientVertx.close().await(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aResumedParticipantKeepsItsEndpointAndGetsWhatItMissed() throws Exception {
        TestWebSocket alice = connect();
        JsonObject joined = join(alice, "resume", "Alice");
        String aliceId = joined.getString("endpointId");
        String token = joined.getString("resumeToken");
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url: " + token);
        assertEquals(GRACE.toMillis(), joined.getLong("reconnectGraceMs"));
        alice.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        alice.next("answer");
        TestWebSocket bob = connect();
        String bobId = join(bob, "resume", "Bob").getString("endpointId");
        alice.next("participant-joined");

        alice.drop();
        // While Alice is away, Bob publishes: the sources list for her waits in her backlog.
        bob.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        bob.next("answer");
        bob.assertNone("participant-left", GRACE.toMillis() / 4);
        assertFalse(bridge.calls.contains("remove " + aliceId), "her endpoint stays while she may come back");

        TestWebSocket alice2 = connect();
        alice2.send(new JsonObject().put("type", "resume").put("token", token));
        JsonArray missed = alice2.next("sources").getJsonArray("sources");
        assertEquals(2, missed.size(), missed.encode());
        assertEquals(bobId, missed.getJsonObject(0).getString("endpointId"));
        JsonObject resumed = alice2.next("resumed");
        assertEquals(aliceId, resumed.getString("endpointId"));
        assertEquals("resume", resumed.getString("room"));
        assertEquals(new JsonArray().add(new JsonObject().put("id", bobId).put("name", "Bob")),
                resumed.getJsonArray("participants"));
        assertFalse(resumed.getBoolean("offerPending"));

        // Past the grace period she is still there, on the same endpoint, and can renegotiate.
        bob.assertNone("participant-left", GRACE.toMillis() + 500);
        alice2.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        alice2.next("answer");
        assertEquals(1, bridge.calls.stream().filter(c -> c.endsWith("/" + aliceId)).count(), bridge.calls.toString());
        assertFalse(bridge.calls.contains("remove " + aliceId));

        // A second resume with the same token takes the session over and closes the socket that had it.
        TestWebSocket alice3 = connect();
        alice3.send(new JsonObject().put("type", "resume").put("token", token));
        alice3.next("resumed");
        assertEquals((short) 4000, alice2.closed.get(5, TimeUnit.SECONDS));
        bob.assertNone("participant-left", 300);

        // leave ends the session: the token is void afterwards.
        alice3.send(new JsonObject().put("type", "leave"));
        assertEquals(aliceId, bob.next("participant-left").getString("id"));
        TestWebSocket late = connect();
        late.send(new JsonObject().put("type", "resume").put("token", token));
        assertEquals("resume-failed", late.next("error").getString("code"));
        for (TestWebSocket s : new TestWebSocket[] {alice3, bob, late}) {
            s.close();
        }
    }

    @Test
    void withoutResumeTheParticipantIsRemovedWhenTheGracePeriodEnds() throws Exception {
        TestWebSocket carol = connect();
        JsonObject joined = join(carol, "expire", "Carol");
        String carolId = joined.getString("endpointId");
        carol.send(new JsonObject().put("type", "offer").put("sdp", OFFER));
        carol.next("answer");
        TestWebSocket dave = connect();
        join(dave, "expire", "Dave");

        long closedAt = System.nanoTime();
        carol.drop();
        JsonObject left = dave.next("participant-left", GRACE.toMillis() + 3000);
        long afterMillis = (System.nanoTime() - closedAt) / 1_000_000;
        assertEquals(carolId, left.getString("id"));
        assertTrue(afterMillis >= GRACE.toMillis() - 50, "removed after " + afterMillis + " ms");
        assertTrue(afterMillis < GRACE.toMillis() + 1500, "removed promptly: " + afterMillis + " ms");
        assertTrue(bridge.calls.contains("remove " + carolId));

        TestWebSocket carol2 = connect();
        carol2.send(new JsonObject().put("type", "resume").put("token", joined.getString("resumeToken")));
        JsonObject error = carol2.next("error");
        assertEquals("resume-failed", error.getString("code"));
        assertTrue(error.getString("message").contains("join again"), error.encode());
        // The same socket can then join afresh (the client's fallback), as a new endpoint.
        JsonObject rejoined = join(carol2, "expire", "Carol");
        assertNotEquals(carolId, rejoined.getString("endpointId"));
        carol2.close();
        dave.close();
    }

    @Test
    void aNormalOrGoingAwayCloseLeavesAtOnce() throws Exception {
        TestWebSocket frank = connect();
        String frankId = join(frank, "going-away", "Frank").getString("endpointId");
        TestWebSocket grace = connect();
        String graceId = join(grace, "going-away", "Grace").getString("endpointId");
        frank.next("participant-joined");
        long start = System.nanoTime();
        grace.socket.close((short) 1001, "page closed").await(); // what a browser sends when its tab closes
        assertEquals(graceId, frank.next("participant-left", 1000).getString("id"));
        assertTrue(System.nanoTime() - start < GRACE.toNanos() / 2, "no grace period after 1001");
        TestWebSocket observer = connect();
        join(observer, "going-away", "Heidi");
        frank.next("participant-joined");
        frank.close(); // 1000
        assertEquals(frankId, observer.next("participant-left", 1000).getString("id"));
        observer.close();
    }

    @Test
    void badResumeMessagesAreRefused() throws Exception {
        TestWebSocket c = connect();
        c.send(new JsonObject().put("type", "resume"));
        assertEquals("bad-message", c.next("error").getString("code"));
        c.send(new JsonObject().put("type", "resume").put("token", "x".repeat(200)));
        assertEquals("bad-message", c.next("error").getString("code"));
        c.send(new JsonObject().put("type", "resume").put("token", "not-a-token"));
        assertEquals("resume-failed", c.next("error").getString("code"));
        JsonObject joined = join(c, "bad-resume", "Erin");
        c.send(new JsonObject().put("type", "resume").put("token", joined.getString("resumeToken")));
        assertEquals("already-joined", c.next("error").getString("code"));
        c.close();
    }

    private static JsonObject join(TestWebSocket socket, String room, String name) throws InterruptedException {
        socket.send(new JsonObject().put("type", "join").put("room", room).put("name", name));
        JsonObject joined = socket.next("joined");
        socket.next("sources");
        return joined;
    }

    private static TestWebSocket connect() throws Exception {
        return new TestWebSocket(wsClient.connect(server.httpPort(), "127.0.0.1", "/ws").await(5, TimeUnit.SECONDS));
    }
}
