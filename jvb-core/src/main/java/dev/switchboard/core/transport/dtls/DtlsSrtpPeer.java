package dev.switchboard.core.transport.dtls;

/** What {@link DtlsSession} needs from either handshake role. */
interface DtlsSrtpPeer {
    /** The keys, once the handshake completed; null before. */
    SrtpKeys keys();

    /** True once the peer sent close_notify or a fatal alert. */
    boolean peerClosed();
}
