package dev.switchboard.signaling.protocol;

/** The {@code code} of an {@code error} message. */
public enum ErrorCode {
    /** The frame is not JSON. */
    BAD_JSON("bad-json"),
    /** JSON, but not a message object, or a field is missing or invalid. */
    BAD_MESSAGE("bad-message"),
    /** The {@code type} is not one the server accepts. */
    UNKNOWN_TYPE("unknown-type"),
    /** {@code offer}, {@code candidate} or {@code leave} before {@code join}. */
    NOT_JOINED("not-joined"),
    /** A second {@code join} on the same connection. */
    ALREADY_JOINED("already-joined"),
    /** The room name is longer than 64 characters. */
    ROOM_NAME_TOO_LONG("room-name-too-long"),
    /** The SDP offer is not valid or cannot be answered. */
    BAD_SDP("bad-sdp"),
    /** The offer changes the ICE credentials (ICE restart), which the bridge does not support yet. */
    ICE_RESTART_UNSUPPORTED("ice-restart-unsupported"),
    /**
     * {@code resume} with a token the server does not know: never issued, expired (the reconnect grace period
     * ended and the participant was removed), or the participant left. The client should join again.
     */
    RESUME_FAILED("resume-failed"),
    /** Something failed on the server side. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as sent on the wire, e.g. {@code bad-json}. */
    public String wire() {
        return wire;
    }
}
