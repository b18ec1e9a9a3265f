package dev.switchboard.core.transport.dtls;

import java.io.IOException;

/**
 * Sends one datagram to the peer of a {@link DtlsSession} (in production, ICE's selected pair). Must not
 * keep a reference to {@code buf} after returning.
 */
@FunctionalInterface
public interface DatagramSender {
    void send(byte[] buf, int off, int len) throws IOException;
}
