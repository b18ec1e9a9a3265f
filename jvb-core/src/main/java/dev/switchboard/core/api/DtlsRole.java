package dev.switchboard.core.api;

/** Which side of the DTLS handshake a party plays (RFC 5763: the "active" side is the client). */
public enum DtlsRole {
    CLIENT,
    SERVER;

    /** The role the other side must take. */
    public DtlsRole opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
