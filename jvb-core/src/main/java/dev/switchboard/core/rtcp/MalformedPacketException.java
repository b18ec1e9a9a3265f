package dev.switchboard.core.rtcp;

/**
 * Bytes that do not form the packet a parser expected. Cheap to throw: no stack trace is captured, since
 * malformed input from the network is an expected event (counted and dropped), not a bug.
 */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
