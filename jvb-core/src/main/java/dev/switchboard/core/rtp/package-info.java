/**
 * RTP helpers in place over (array, offset, length), allocation-free: field writers, RFC 8285 header
 * extensions (reader cursor, writer, ID rewriting), the RFC 6464 audio level and RFC 4588 RTX wrapping.
 * Reads of the fixed header stay in {@link dev.switchboard.core.packet.RtpHeader}.
 */
package dev.switchboard.core.rtp;
