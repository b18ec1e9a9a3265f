/**
 * ICE on the shared UDP port, via ice4j (RFC 8445). One {@link dev.switchboard.core.transport.ice.IceTransport}
 * (one ice4j Agent, one stream, one component) per endpoint; all of them take their host candidates from the
 * {@link dev.switchboard.core.transport.ice.SharedUdpPort}s, which own the sockets.
 */
package dev.switchboard.core.transport.ice;
