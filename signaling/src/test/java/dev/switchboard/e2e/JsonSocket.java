package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (java.net.http) to the signaling endpoint that collects the text messages it gets. */
final class JsonSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLOSED = "\u0000closed";

    private final WebSocket socket;
    private final LinkedBlockingQueue<String> inbox;
    private final List<String> transcript;

    private JsonSocket(WebSocket socket, LinkedBlockingQueue<String> inbox, List<String> transcript) {
        this.socket = socket;
        this.inbox = inbox;
        this.transcript = transcript;
    }

    static JsonSocket connect(URI uri) throws Exception {
        LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        List<String> transcript = Collections.synchronizedList(new ArrayList<>());
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String message = partial.toString();
                    partial.setLength(0);
                    transcript.add("<- " + message);
                    inbox.add(message);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                transcript.add("<- (closed " + statusCode + " '" + reason + "')");
                inbox.add(CLOSED);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                transcript.add("<- (error " + error + ")");
                inbox.add(CLOSED);
            }
        };
        WebSocket ws = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
        return new JsonSocket(ws, inbox, transcript);
    }

    void send(String text) throws Exception {
        transcript.add("-> " + PageSnapshot.abbreviate(text, 300));
        socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    void send(JsonNode message) throws Exception {
        send(JSON.writeValueAsString(message));
    }

    /**
     * Waits for the next message whose {@code type} is one of {@code types}, passing over others (such as
     * participant updates). Fails with the transcript when the socket closes or nothing comes in time.
     */
    JsonNode awaitType(Set<String> types, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String message = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no message of type " + types + " within " + timeout.toMillis() + " ms\n"
                        + transcript());
            }
            if (message.equals(CLOSED)) {
                throw new AssertionError("the socket closed while waiting for " + types + "\n" + transcript());
            }
            JsonNode node;
            try {
                node = JSON.readTree(message);
            } catch (Exception e) {
                throw new AssertionError("the server sent something that is not JSON: " + message + "\n"
                        + transcript());
            }
            if (types.contains(node.path("type").asText())) {
                return node;
            }
        }
    }

    String transcript() {
        synchronized (transcript) {
            return "WebSocket transcript:\n  " + String.join("\n  ", transcript);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already closed or broken: abort below
        }
        socket.abort();
    }
}
