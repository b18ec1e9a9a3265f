package dev.switchboard.signaling.ws;

import dev.switchboard.signaling.protocol.ClientMessage;
import dev.switchboard.signaling.protocol.ErrorCode;
import dev.switchboard.signaling.protocol.MessageCodec;
import dev.switchboard.signaling.protocol.ProtocolException;
import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.room.Participant;
import dev.switchboard.signaling.room.ParticipantSink;
import dev.switchboard.signaling.room.RoomService;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's WebSocket: decodes its messages, hands them to the {@link RoomService} and writes the
 * replies. Every refused message is answered with an {@code error} and the socket stays open. Runs on the
 * room loop (the socket belongs to the signaling verticle's event loop).
 */
public final class SignalingSession implements ParticipantSink {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);

    private final ServerWebSocket socket;
    private final RoomService rooms;
    private Participant participant;
    private boolean closed;

    private SignalingSession(ServerWebSocket socket, RoomService rooms) {
        this.socket = socket;
        this.rooms = rooms;
    }

    /** Wires a freshly accepted socket to the room service. */
    public static SignalingSession attach(ServerWebSocket socket, RoomService rooms) {
        SignalingSession session = new SignalingSession(socket, rooms);
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
            LOG.error("Failed to handle a message from {}", participant != null ? participant : socket.remoteAddress(), e);
            send(new ServerMessage.Error(ErrorCode.INTERNAL, "internal error"));
        }
    }

    private void handle(ClientMessage message) {
        if (message instanceof ClientMessage.Join join) {
            if (participant != null) {
                throw new ProtocolException(ErrorCode.ALREADY_JOINED,
                        "already in room '" + participant.room().id() + "'; send leave first");
            }
            participant = rooms.join(this, join.room(), join.name());
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
            Participant p = joined();
            participant = null;
            rooms.leave(p);
        }
    }

    private Participant joined() {
        if (participant == null) {
            throw new ProtocolException(ErrorCode.NOT_JOINED, "join a room first");
        }
        return participant;
    }

    private void onClose() {
        closed = true;
        if (participant != null) {
            Participant p = participant;
            participant = null;
            rooms.leave(p);
        }
    }

    @Override
    public void send(ServerMessage message) {
        if (closed || socket.isClosed()) {
            return;
        }
        socket.writeTextMessage(message.toJson().encode());
    }
}
