package dev.switchboard.core.transport.ice;

/**
 * Receives the non-STUN datagrams of one ICE session, on the shared port's socket thread. The bytes are only
 * valid during the call: copy what you keep. Must not block.
 */
@FunctionalInterface
public interface PayloadHandler {
    void onPayload(byte[] buf, int off, int len);
}
