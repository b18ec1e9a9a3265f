package dev.switchboard.signaling.ws;

import dev.switchboard.signaling.protocol.ClientMessage;
import dev.switchboard.signaling.protocol.ErrorCode;
import dev.switchboard.signaling.protocol.MessageCodec;
import dev.switchboard.signaling.protocol.ProtocolException;
import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.room.Participant;
import dev.switchboard.signaling.room.RoomService;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's WebSocket: decodes its messages, hands them to the {@link RoomService} (through the
 * {@link SessionRegistry}, which keeps a participant across a reconnect) and writes the replies. Every refused
 * message is answered with an {@code error} and the socket stays open. Runs on the room loop (the socket
 * belongs to the signaling verticle's event loop).
 */
public final class SignalingSession {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);

    private final ServerWebSocket socket;
    private final RoomService rooms;
    private final SessionRegistry sessions;
    private Membership membership;
    private boolean closed;

    private SignalingSession(ServerWebSocket socket, RoomService rooms, SessionRegistry sessions) {
        this.socket = socket;
        this.rooms = rooms;
        this.sessions = sessions;
    }

    /** Wires a freshly accepted socket to the room service. */
    public static SignalingSession attach(ServerWebSocket socket, RoomService rooms, SessionRegistry sessions) {
        SignalingSession session = new SignalingSession(socket, rooms, sessions);
        socket.textMessageHandler(session::onText);
        socket.binaryMessageHandler(buffer -> session.send(
                new ServerMessage.Error(ErrorCode.BAD_MESSAGE, "binary messages are not supported; send JSON text")));
        socket.exceptionHandler(e -> LOG.debug("WebSocket error from {}: {}", socket.remoteAddress(), e.toString()));
        socket.closeHandler(v -> session.onClose());
        return session;
    }

    private void onText(String text) {
        try {
            handle(MessageCodec.decode(text));
        } catch (ProtocolException e) {
            send(new ServerMessage.Error(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Failed to handle a message from {}",
                    membership != null ? membership.participant : socket.remoteAddress(), e);
            send(new ServerMessage.Error(ErrorCode.INTERNAL, "internal error"));
        }
    }

    private void handle(ClientMessage message) {
        if (message instanceof ClientMessage.Join join) {
            checkNotJoined();
            membership = sessions.join(this, join.room(), join.name());
        } else if (message instanceof ClientMessage.Resume resume) {
            checkNotJoined();
            membership = sessions.resume(this, resume.token());
        } else if (message instanceof ClientMessage.Offer offer) {
            rooms.offer(joined(), offer.sdp());
        } else if (message instanceof ClientMessage.Candidate candidate) {
            rooms.candidate(joined(), candidate.isEndOfCandidates() ? null : candidate.candidate());
        } else if (message instanceof ClientMessage.SetLastN setLastN) {
            rooms.setLastN(joined(), setLastN.n());
        } else if (message instanceof ClientMessage.VideoConstraints constraints) {
            rooms.setVideoConstraints(joined(), new dev.switchboard.core.api.VideoConstraints(
                    constraints.defaultMaxHeight(), constraints.maxHeights()));
        } else if (message instanceof ClientMessage.Leave) {
            joined();
            Membership m = membership;
            membership = null;
            sessions.leave(m);
        }
    }

    private void checkNotJoined() {
        if (membership != null) {
            throw new ProtocolException(ErrorCode.ALREADY_JOINED,
                    "already in room '" + membership.participant.room().id() + "'; send leave first");
        }
    }

    private Participant joined() {
        if (membership == null) {
            throw new ProtocolException(ErrorCode.NOT_JOINED, "join a room first");
        }
        return membership.participant;
    }

    /**
     * A close frame with 1000 (normal) or 1001 (going away: the page was closed or left) means the client is
     * gone: its participant leaves at once. Anything else (no close frame, 1006, as when the network or a proxy
     * drops the connection; or another code) starts the reconnect grace period.
     */
    private void onClose() {
        closed = true;
        if (membership != null) {
            Membership m = membership;
            membership = null;
            Short code = socket.closeStatusCode();
            LOG.info("{}: WebSocket closed ({})", m.participant, code == null ? "no close frame" : code);
            if (code != null && (code == 1000 || code == 1001)) {
                sessions.leave(m);
            } else {
                sessions.detach(m);
            }
        }
    }

    /** A {@code resume} on another socket took this socket's participant: close this one quietly. */
    void replaced() {
        membership = null;
        closed = true;
        socket.close((short) 4000, "resumed on another connection");
    }

    private void send(ServerMessage message) {
        write(membership != null ? membership.wire(message) : message.toJson().encode());
    }

    /** Writes a message's JSON text. */
    void write(String text) {
        if (closed || socket.isClosed()) {
            return;
        }
        socket.writeTextMessage(text);
    }
}
