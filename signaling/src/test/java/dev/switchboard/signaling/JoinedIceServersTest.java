package dev.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.signaling.ice.IceServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server configured from the environment hands each participant STUN/TURN servers in {@code joined}. */
class JoinedIceServersTest {
    @Test
    void joinedCarriesStunAndFreshTurnCredentials() throws Exception {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(
                "SWITCHBOARD_STUN_URLS", "stun:turn.example.org:3478",
                "SWITCHBOARD_TURN_URLS", "turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349",
                "SWITCHBOARD_TURN_SECRET", "north-wind",
                "SWITCHBOARD_TURN_TTL", "3600"), new String[] {"--http-port=0", "--udp-port=0"});
        try (SwitchboardServer server = SwitchboardServer.start(config, new FakeMediaBridge())) {
            long before = System.currentTimeMillis() / 1000;
            JsonObject joined = joinedMessage(server.httpPort());
            long after = System.currentTimeMillis() / 1000;

            String endpointId = joined.getString("endpointId");
            JsonArray servers = joined.getJsonArray("iceServers");
            assertEquals(2, servers.size(), servers::encode);
            assertEquals(new JsonObject().put("urls", new JsonArray(List.of("stun:turn.example.org:3478"))),
                    servers.getJsonObject(0));
            JsonObject turn = servers.getJsonObject(1);
            assertEquals(new JsonArray(List.of("turn:turn.example.org:3478?transport=udp",
                    "turns:turn.example.org:5349")), turn.getJsonArray("urls"));
            String username = turn.getString("username");
            String[] parts = username.split(":");
            assertEquals(2, parts.length, username);
            assertEquals(endpointId, parts[1]);
            long expiry = Long.parseLong(parts[0]);
            assertTrue(expiry >= before + 3600 && expiry <= after + 3600, username + " expires now + 3600 s");
            assertEquals(IceServers.credential("north-wind", username), turn.getString("credential"));
        }
    }

    private static JsonObject joinedMessage(int port) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            first.complete(text.toString());
                        }
                        socket.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        try {
            ws.sendText("{\"type\":\"join\",\"room\":\"ice\",\"name\":\"Alice\"}", true).get(5, TimeUnit.SECONDS);
            JsonObject message = new JsonObject(first.get(5, TimeUnit.SECONDS));
            assertEquals("joined", message.getString("type"), message::encode);
            return message;
        } finally {
            ws.abort();
        }
    }
}
