/**
 * SRTP and SRTCP protection (RFC 3711; AEAD AES-GCM per RFC 7714) over pooled
 * {@link dev.switchboard.core.buffer.PacketBuffer}s, backed by jitsi-srtp.
 *
 * <p>{@link dev.switchboard.core.transport.srtp.SrtpSession} is built from the
 * {@link dev.switchboard.core.transport.dtls.SrtpKeys} of a DTLS-SRTP handshake (RFC 5764) and transforms
 * packets in place. It is not thread-safe: each session is confined to the media loop thread that owns the
 * endpoint.
 */
package dev.switchboard.core.transport.srtp;
