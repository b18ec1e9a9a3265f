/**
 * DTLS-SRTP key agreement (RFC 5764) over the BouncyCastle lightweight DTLS 1.2 API.
 *
 * <p>One {@link dev.switchboard.core.transport.dtls.DtlsSession} per peer runs the handshake on a borrowed
 * executor thread, fed by datagrams that the ICE layer hands to
 * {@link dev.switchboard.core.transport.dtls.DtlsSession#onDatagram(byte[], int, int)}. Certificates are
 * self-signed and authenticated only by the fingerprints exchanged in signaling (RFC 8122, RFC 5763 section
 * 5). The result is a set of {@link dev.switchboard.core.transport.dtls.SrtpKeys} for the SRTP layer; once
 * the handshake is over no thread keeps running for the peer.
 */
package dev.switchboard.core.transport.dtls;
