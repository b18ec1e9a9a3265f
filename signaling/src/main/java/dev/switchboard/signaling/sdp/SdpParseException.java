package dev.switchboard.signaling.sdp;

/** A session description that is not valid SDP (RFC 8866), with the 1-based line number when known. */
public final class SdpParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int lineNumber;

    public SdpParseException(int lineNumber, String message) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + message : "SDP: " + message);
        this.lineNumber = lineNumber;
    }

    /** 1-based line number of the offending line, or 0 when the error is about the whole description. */
    public int lineNumber() {
        return lineNumber;
    }
}
