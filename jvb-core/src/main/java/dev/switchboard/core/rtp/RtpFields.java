package dev.switchboard.core.rtp;

import dev.switchboard.core.packet.RtpHeader;

/**
 * In-place writes of RTP fixed-header fields and padding arithmetic (RFC 3550 section 5.1). Reads are in
 * {@link RtpHeader}. Static, allocation-free; offsets are those of the packet's first byte.
 */
public final class RtpFields {
    private RtpFields() {}

    public static void setSequenceNumber(byte[] buf, int off, int seq) {
        NetworkBytes.putUint16(buf, off + 2, seq);
    }

    public static void setTimestamp(byte[] buf, int off, long timestamp) {
        NetworkBytes.putUint32(buf, off + 4, timestamp);
    }

    public static void setSsrc(byte[] buf, int off, long ssrc) {
        NetworkBytes.putUint32(buf, off + 8, ssrc);
    }

    /** Sets the 7-bit payload type, keeping the marker bit. */
    public static void setPayloadType(byte[] buf, int off, int payloadType) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    public static boolean hasPadding(byte[] buf, int off) {
        return (buf[off] & 0x20) != 0;
    }

    /**
     * Padding bytes at the end of the packet (RFC 3550 section 5.1, P bit: the last octet counts them), 0 when
     * the P bit is clear, or -1 when the count does not fit after the header.
     */
    public static int paddingLength(byte[] buf, int off, int len) {
        if (!hasPadding(buf, off)) {
            return 0;
        }
        int headerLength = RtpHeader.headerLength(buf, off, len);
        int padding = buf[off + len - 1] & 0xFF;
        if (headerLength < 0 || padding == 0 || headerLength + padding > len) {
            return -1;
        }
        return padding;
    }

    /** Payload length: after header, before padding; -1 for a malformed packet. */
    public static int payloadLength(byte[] buf, int off, int len) {
        int headerLength = RtpHeader.headerLength(buf, off, len);
        int padding = paddingLength(buf, off, len);
        if (headerLength < 0 || padding < 0) {
            return -1;
        }
        return len - headerLength - padding;
    }
}
