package dev.switchboard.core.repair;

import dev.switchboard.core.rtp.RtxPacket;

/**
 * One RTX stream (RFC 4588) the bridge sends one receiver: its SSRC and its own sequence numbers. It turns an
 * original packet (as the receiver was sent it) into the RTX packet that repairs it, in place; anything else
 * sent on the stream (e.g. padding-only packets probing bandwidth) takes its sequence number from
 * {@link #nextSequenceNumber()}, so the stream stays gap-free.
 *
 * <p>Confined to the media loop; allocation-free. The sequence numbers start at 0 (the packets are SRTP
 * protected, so a random start adds nothing here) and wrap at 16 bits.
 */
public final class RtxSender {
    private final long ssrc;
    private int sequenceNumber;
    private long packetsSent;

    public RtxSender(long ssrc) {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC out of range: " + ssrc);
        }
        this.ssrc = ssrc;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Takes the stream's next sequence number. */
    public int nextSequenceNumber() {
        int seq = sequenceNumber;
        sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
        packetsSent++;
        return seq;
    }

    /**
     * Turns the original RTP packet at {@code [off, off+len)} into its RTX packet in place (RFC 4588 section 4:
     * this stream's SSRC and next sequence number, {@code rtxPayloadType}, the original sequence number first in
     * the payload; the original's padding is dropped). {@code buf} needs {@link RtxPacket#OSN_LENGTH} bytes of
     * room after the original.
     *
     * @return the RTX packet's length, or -1 when the original is malformed (no sequence number is taken then)
     */
    public int wrapInPlace(byte[] buf, int off, int len, int rtxPayloadType) {
        int length = RtxPacket.toRtx(buf, off, len, buf, off, ssrc, rtxPayloadType, sequenceNumber);
        if (length > 0) {
            nextSequenceNumber();
        }
        return length;
    }

    /** Packets sent on this stream so far (RTX and padding). */
    public long packetsSent() {
        return packetsSent;
    }
}
