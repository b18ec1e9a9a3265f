package dev.switchboard.signaling.room;

import dev.switchboard.signaling.protocol.ServerMessage;

/** Where a participant's messages go (its WebSocket). Called on the room loop only. */
@FunctionalInterface
public interface ParticipantSink {
    void send(ServerMessage message);
}
