package dev.switchboard.signaling;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A test WebSocket that keeps every message it receives. */
final class TestWebSocket {
    final WebSocket socket;
    private final List<JsonObject> messages = new ArrayList<>();

    /** Completes with the close status code when the server closes the socket. */
    final java.util.concurrent.CompletableFuture<Short> closed = new java.util.concurrent.CompletableFuture<>();

    TestWebSocket(WebSocket socket) {
        this.socket = socket;
        socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
        socket.textMessageHandler(text -> {
            synchronized (this) {
                messages.add(new JsonObject(text));
                notifyAll();
            }
        });
    }

    void send(JsonObject message) {
        sendText(message.encode());
    }

    void sendText(String text) {
        socket.writeTextMessage(text).await();
    }

    /** A normal close (1000): the server removes the participant at once. */
    void close() {
        socket.close().await();
    }

    /**
     * Closes with a code that says nothing about leaving (4001), as when a connection is lost: the server keeps
     * the participant for its reconnect grace period.
     */
    void drop() {
        socket.close((short) 4001, "test: connection lost").await();
    }

    /** Removes and returns the first message of this type, waiting up to 5 s. */
    JsonObject next(String type) throws InterruptedException {
        return next(type, 5000);
    }

    /** Removes and returns the first message of this type, waiting up to {@code timeoutMillis}. */
    synchronized JsonObject next(String type, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            for (Iterator<JsonObject> it = messages.iterator(); it.hasNext(); ) {
                JsonObject m = it.next();
                if (type.equals(m.getString("type"))) {
                    it.remove();
                    return m;
                }
                if ("error".equals(m.getString("type"))) {
                    throw new AssertionError("unexpected error while waiting for " + type + ": " + m.encode());
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no '" + type + "' message in " + messages);
            }
            wait(left);
        }
    }

    /** Fails if a message of this type is (or arrives) in the inbox within {@code millis}. */
    synchronized void assertNone(String type, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            for (JsonObject m : messages) {
                if (type.equals(m.getString("type"))) {
                    throw new AssertionError("unexpected '" + type + "' message: " + m.encode());
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
