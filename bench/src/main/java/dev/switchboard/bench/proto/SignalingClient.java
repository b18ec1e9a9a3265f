package dev.switchboard.bench.proto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One participant's signaling WebSocket ({@code /ws}, JSON text frames, docs/signaling.md). Messages are
 * delivered in order on the HTTP client's executor; sends are queued so that at most one is outstanding, as
 * {@link WebSocket} requires.
 */
public final class SignalingClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Receives the server's messages. */
    public interface Handler {
        void onMessage(JsonNode message);

        void onClosed(String reason);
    }

    private final WebSocket socket;
    private CompletableFuture<WebSocket> lastSend;

    private SignalingClient(WebSocket socket) {
        this.socket = socket;
        this.lastSend = CompletableFuture.completedFuture(socket);
    }

    public static CompletableFuture<SignalingClient> connect(HttpClient http, URI uri, Handler handler) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    try {
                        handler.onMessage(JSON.readTree(text));
                    } catch (Exception e) {
                        handler.onClosed("bad message or handler failure: " + e);
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                handler.onClosed("closed " + statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                handler.onClosed("error " + error);
            }
        };
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener)
                .thenApply(SignalingClient::new);
    }

    public synchronized void send(ObjectNode message) {
        String text = message.toString();
        lastSend = lastSend.exceptionally(e -> socket).thenCompose(ws -> ws.sendText(text, true));
    }

    public static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /**
     * Starts a normal close after the messages already sent; aborts the socket if the server does not complete
     * it within 2 s.
     */
    @Override
    public synchronized void close() {
        lastSend.exceptionally(e -> socket).thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                .orTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        socket.abort();
                    }
                });
    }
}
