package dev.switchboard.signaling.protocol;

import java.util.Objects;

/** A client message the server refuses; it is answered with an {@code error} message and the socket stays open. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
