package dev.switchboard.core.transport.srtp;

/** The few RTP/RTCP header reads SRTP needs (RFC 3550 sections 5.1 and 6.4), bounds-checked. */
final class RtpHeaders {
    static final int RTP_FIXED_HEADER = 12;
    static final int RTCP_HEADER = 8;

    private RtpHeaders() {
    }

    /**
     * The RTP header length including CSRCs and the header extension, or -1 if the packet is not RTP
     * version 2 or its header does not fit in {@code len}.
     */
    static int rtpHeaderLength(byte[] b, int off, int len) {
        if (len < RTP_FIXED_HEADER || (b[off] & 0xC0) != 0x80) {
            return -1;
        }
        int headerLength = RTP_FIXED_HEADER + 4 * (b[off] & 0x0F);
        if ((b[off] & 0x10) != 0) {
            if (headerLength + 4 > len) {
                return -1;
            }
            int words = ((b[off + headerLength + 2] & 0xFF) << 8) | (b[off + headerLength + 3] & 0xFF);
            headerLength += 4 + 4 * words;
        }
        return headerLength <= len ? headerLength : -1;
    }

    /** RTP SSRC, bytes 8..11. */
    static int rtpSsrc(byte[] b, int off) {
        return readInt(b, off + 8);
    }

    /** True for an RTCP version 2 packet at least a header long. */
    static boolean isRtcp(byte[] b, int off, int len) {
        return len >= RTCP_HEADER && (b[off] & 0xC0) == 0x80;
    }

    /** RTCP sender SSRC, bytes 4..7. */
    static int rtcpSenderSsrc(byte[] b, int off) {
        return readInt(b, off + 4);
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
