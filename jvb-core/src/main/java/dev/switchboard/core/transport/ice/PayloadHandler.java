package dev.switchboard.core.transport.ice;

/**
 * Receives the non-STUN datagrams of one ICE session, on the shared port's socket thread (for ICE-TCP: the
 * {@link SharedTcpPort}'s selector thread, one RFC 4571 frame per call). The bytes are only valid during the
 * call: copy what you keep. Must not block.
 */
@FunctionalInterface
public interface PayloadHandler {
    void onPayload(byte[] buf, int off, int len);

    /**
     * A connectivity check for this session arrived from a new remote address (it opens an ICE session on the
     * port); on the socket thread, before the check goes to ice4j. For set-up diagnostics; must not block.
     */
    default void checkReceived() {
    }

    /** ice4j sent a Binding Success Response on a UDP session of this handler (an ice4j thread). Must not block. */
    default void checkAnswered() {
    }
}
