package dev.switchboard.signaling.room;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.signaling.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Collects the messages sent to one participant (written on the loop thread, read by the test). */
final class RecordingClient {
    Participant participant;
    private final List<ServerMessage> messages = new ArrayList<>();

    synchronized void add(ServerMessage message) {
        messages.add(message);
        notifyAll();
    }

    /** Removes and returns the first message of this type, waiting up to 5 s. */
    synchronized <T extends ServerMessage> T next(Class<T> type) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            for (Iterator<ServerMessage> it = messages.iterator(); it.hasNext(); ) {
                ServerMessage m = it.next();
                if (type.isInstance(m)) {
                    it.remove();
                    return type.cast(m);
                }
                if (m instanceof ServerMessage.Error && type != ServerMessage.Error.class) {
                    throw new AssertionError("unexpected error while waiting for " + type.getSimpleName() + ": " + m);
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " in " + messages);
            }
            wait(left);
        }
    }

    /** Messages of this type received and not yet taken. */
    synchronized int count(Class<? extends ServerMessage> type) {
        return (int) messages.stream().filter(type::isInstance).count();
    }

    /** Removes every message of this type and returns the last one (waits for at least one). */
    synchronized <T extends ServerMessage> T last(Class<T> type) throws InterruptedException {
        T last = next(type);
        for (Iterator<ServerMessage> it = messages.iterator(); it.hasNext(); ) {
            ServerMessage m = it.next();
            if (type.isInstance(m)) {
                it.remove();
                last = type.cast(m);
            }
        }
        assertNotNull(last);
        assertInstanceOf(type, last);
        return last;
    }
}
