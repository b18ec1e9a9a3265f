package dev.switchboard.core.api;

import java.util.Objects;

/**
 * One ICE candidate (RFC 8445 section 5.1; RFC 6544 for TCP).
 *
 * @param foundation     the foundation string
 * @param component      component id; always 1 here (rtcp-mux)
 * @param protocol       {@code udp} or {@code tcp}
 * @param priority       the candidate priority
 * @param address        IP address (or an mDNS name, which the core ignores)
 * @param port           port
 * @param type           {@code host}, {@code srflx}, {@code prflx} or {@code relay}
 * @param relatedAddress related address, or null
 * @param relatedPort    related port, or 0
 * @param tcpType        {@code active}, {@code passive}, {@code so} for TCP, or null
 */
public record IceCandidate(
        String foundation,
        int component,
        String protocol,
        long priority,
        String address,
        int port,
        String type,
        String relatedAddress,
        int relatedPort,
        String tcpType) {
    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
    }
}
