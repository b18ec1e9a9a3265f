package dev.switchboard.core.transport.dtls;

/** Why a {@link DtlsSession}'s handshake did not produce SRTP keys. */
public final class DtlsHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    public DtlsHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
