/**
 * ICE on the shared UDP port, via ice4j (RFC 8445), and ICE over TCP on the shared TCP port (RFC 6544 passive
 * candidates, RFC 4571 framing). One {@link dev.switchboard.core.transport.ice.IceTransport} (one ice4j Agent,
 * one stream, one component) per endpoint; all of them take their host candidates from the
 * {@link dev.switchboard.core.transport.ice.SharedUdpPort}s and
 * {@link dev.switchboard.core.transport.ice.SharedTcpPort}s, which own the sockets.
 */
package dev.switchboard.core.transport.ice;
