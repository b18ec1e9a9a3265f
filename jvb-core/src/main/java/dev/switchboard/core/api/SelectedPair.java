package dev.switchboard.core.api;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where an endpoint's media flows once ICE has selected a candidate pair, as the bridge sees it: the operator's
 * answer to "is this participant direct, behind a NAT, or relayed?".
 *
 * @param protocol   {@code udp} or {@code tcp}
 * @param local      the bridge's address of the pair (its shared port; for a pair through the bridge's own TURN
 *                   relay, the relayed address on the TURN server)
 * @param remote     the participant's address the bridge exchanges media with (its NAT's mapped address when it
 *                   is behind one, the TURN server's relayed address when the participant is relayed)
 * @param remoteType the remote candidate's ICE type: {@code host}, {@code srflx}, {@code prflx} or {@code relay}
 * @param bridgeRelay true when the pair runs through the bridge's own TURN relay candidate
 */
public record SelectedPair(String protocol, InetSocketAddress local, InetSocketAddress remote, String remoteType,
        boolean bridgeRelay) {
    public SelectedPair {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(remoteType, "remoteType");
    }
}
