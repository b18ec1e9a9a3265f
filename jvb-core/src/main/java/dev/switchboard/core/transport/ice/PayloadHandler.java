package dev.switchboard.core.transport.ice;

/**
 * Receives the non-STUN datagrams of one ICE session, on the shared port's socket thread (for ICE-TCP: the
 * {@link SharedTcpPort}'s selector thread, one RFC 4571 frame per call). The bytes are only valid during the
 * call: copy what you keep. Must not block.
 */
@FunctionalInterface
public interface PayloadHandler {
    void onPayload(byte[] buf, int off, int len);
}
