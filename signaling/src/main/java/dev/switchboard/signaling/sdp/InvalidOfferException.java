package dev.switchboard.signaling.sdp;

/** An offer that is valid SDP but cannot be answered (missing ICE credentials or fingerprint, ...). */
public final class InvalidOfferException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidOfferException(String message) {
        super(message);
    }

    public InvalidOfferException(String message, Throwable cause) {
        super(message, cause);
    }
}
