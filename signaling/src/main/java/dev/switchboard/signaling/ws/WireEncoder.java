package dev.switchboard.signaling.ws;

import dev.switchboard.signaling.protocol.ServerMessage;

/**
 * The JSON text of server messages, encoded once per message: the room service hands one message object to
 * every participant of a room it tells something ({@code participant-joined} goes to 49 sockets when the 50th
 * joins), so the text of the last message encoded is kept for the next socket. Messages are immutable records.
 * Confined to the room loop.
 */
final class WireEncoder {
    private ServerMessage last;
    private String lastText;

    String encode(ServerMessage message) {
        if (message != last) {
            lastText = message.toJson().encode();
            last = message;
        }
        return lastText;
    }
}
