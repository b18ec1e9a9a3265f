package dev.switchboard.core.packet;

/** What a datagram on the shared port carries, decided from its first bytes (RFC 7983 section 7). */
public enum PacketKind {
    STUN,
    DTLS,
    RTP,
    RTCP,
    UNKNOWN;

    /**
     * Classifies a datagram. First byte 0..3 is STUN, 20..63 DTLS, 128..191 RTP or RTCP, where RTCP is told
     * apart by its packet type 192..223 in the second byte (RFC 5761 section 4). Anything else, and anything
     * too short to be a valid packet of its kind, is {@link #UNKNOWN}.
     */
    public static PacketKind classify(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int first = buf[off] & 0xFF;
        if (first <= 3) {
            return len >= 20 ? STUN : UNKNOWN;
        }
        if (first >= 20 && first <= 63) {
            return len >= 13 ? DTLS : UNKNOWN;
        }
        if (first >= 128 && first <= 191) {
            if (len < 4) {
                return UNKNOWN;
            }
            int secondByte = buf[off + 1] & 0xFF;
            if (secondByte >= 192 && secondByte <= 223) {
                return len >= 8 ? RTCP : UNKNOWN;
            }
            return len >= RtpHeader.FIXED_HEADER_LENGTH ? RTP : UNKNOWN;
        }
        return UNKNOWN;
    }
}
