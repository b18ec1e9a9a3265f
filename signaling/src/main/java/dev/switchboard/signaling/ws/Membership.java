package dev.switchboard.signaling.ws;

import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.room.Participant;
import dev.switchboard.signaling.room.ParticipantSink;
import java.util.ArrayDeque;

/**
 * A participant's link to whichever WebSocket serves it now. While it has none (the socket closed, the
 * reconnect grace period runs) messages for it wait in a bounded backlog, replayed on {@code resume}. Confined
 * to the room loop.
 */
final class Membership implements ParticipantSink {
    /** Messages kept while detached; a participant that misses more cannot be resumed. */
    static final int MAX_BACKLOG = 256;

    final String token;
    private final long graceMillis;
    Participant participant;
    /** The socket serving the participant, null while detached. */
    SignalingSession session;
    final ArrayDeque<ServerMessage> backlog = new ArrayDeque<>();
    boolean backlogOverflowed;
    /** Cancels the grace-period expiry; null while attached. */
    Runnable cancelExpiry;

    private final WireEncoder encoder;

    Membership(String token, long graceMillis, SignalingSession session, WireEncoder encoder) {
        this.token = token;
        this.encoder = encoder;
        this.graceMillis = graceMillis;
        this.session = session;
    }

    @Override
    public void send(ServerMessage message) {
        if (session != null) {
            session.write(wire(message));
        } else if (backlog.size() < MAX_BACKLOG) {
            backlog.add(message);
        } else {
            backlogOverflowed = true;
        }
    }

    /** The wire form; {@code joined} gets this membership's resume token and the grace period. */
    String wire(ServerMessage message) {
        if (message instanceof ServerMessage.Joined) {
            return message.toJson().put("resumeToken", token).put("reconnectGraceMs", graceMillis).encode();
        }
        return encoder.encode(message);
    }
}
