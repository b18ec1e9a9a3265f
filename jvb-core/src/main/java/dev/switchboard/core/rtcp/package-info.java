/**
 * RTCP packets as immutable values (RFC 3550 section 6, RFC 4585, RFC 5104, REMB, transport-cc): one class
 * per packet type with {@code parse(buf, off, len)} (throws {@link dev.switchboard.core.rtcp.MalformedPacketException}),
 * {@code length()} and {@code serialize(out, off)}, and {@link dev.switchboard.core.rtcp.CompoundRtcp} to walk a
 * compound. Values are for control decisions; the in-place helpers of {@code core.packet} stay the
 * allocation-free path for forwarding, and {@link dev.switchboard.core.rtcp.Nack#write} and
 * {@link dev.switchboard.core.rtcp.TransportCc.Writer} write the feedback the bridge sends often without
 * building values. Depends only on {@code core.packet} and {@code core.rtp}.
 */
package dev.switchboard.core.rtcp;
