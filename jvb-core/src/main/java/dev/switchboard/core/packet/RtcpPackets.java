package dev.switchboard.core.packet;

/**
 * Walks and builds RTCP packets in place (RFC 3550 section 6, RFC 4585 section 6 for feedback, RFC 5104
 * for FIR).
 */
public final class RtcpPackets {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    public static final int RTPFB = 205;
    public static final int PSFB = 206;
    /** PSFB format: Picture Loss Indication. */
    public static final int FMT_PLI = 1;
    /** PSFB format: Full Intra Request. */
    public static final int FMT_FIR = 4;
    public static final int PLI_LENGTH = 12;

    private RtcpPackets() {}

    /**
     * Whether {@code [off, off+len)} is a well-formed compound RTCP packet: every packet has version 2, a
     * type in 192..223 and a length that stays inside the datagram, and they add up exactly.
     */
    public static boolean isValidCompound(byte[] buf, int off, int len) {
        if (len < 4) {
            return false;
        }
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (end - pos < 4 || (buf[pos] & 0xC0) != 0x80) {
                return false;
            }
            int type = buf[pos + 1] & 0xFF;
            if (type < 192 || type > 223) {
                return false;
            }
            int packetLength = packetLength(buf, pos);
            if (packetLength > end - pos) {
                return false;
            }
            pos += packetLength;
        }
        return true;
    }

    /** Length in bytes of the RTCP packet starting at {@code pos} (from its length field). */
    public static int packetLength(byte[] buf, int pos) {
        return (RtpHeader.readUint16(buf, pos + 2) + 1) * 4;
    }

    public static int packetType(byte[] buf, int pos) {
        return buf[pos + 1] & 0xFF;
    }

    /** The 5-bit count / feedback message type field. */
    public static int format(byte[] buf, int pos) {
        return buf[pos] & 0x1F;
    }

    public static long senderSsrc(byte[] buf, int pos) {
        return RtpHeader.readUint32(buf, pos + 4);
    }

    /** Media source SSRC of a feedback packet (RTPFB/PSFB); the packet must be at least 12 bytes. */
    public static long mediaSourceSsrc(byte[] buf, int pos) {
        return RtpHeader.readUint32(buf, pos + 8);
    }

    /** Length of {@link #writeEmptyReceiverReport}'s packet. */
    public static final int EMPTY_RR_LENGTH = 8;

    /**
     * Writes an 8-byte receiver report without report blocks (RFC 3550 section 6.4.2, RC = 0) from {@code ssrc}
     * at {@code pos}: a valid first packet for a compound, so that the compound's SRTCP context is {@code ssrc}'s
     * (RFC 3711 section 3.4 keys SRTCP by the first packet's SSRC); returns its length.
     */
    public static int writeEmptyReceiverReport(byte[] buf, int pos, long ssrc) {
        buf[pos] = (byte) 0x80;
        buf[pos + 1] = (byte) RR;
        buf[pos + 2] = 0;
        buf[pos + 3] = 1;
        RtpHeader.writeUint32(buf, pos + 4, ssrc);
        return EMPTY_RR_LENGTH;
    }

    /** Writes a 12-byte PLI (RFC 4585 section 6.3.1) at {@code pos}; returns its length. */
    public static int writePli(byte[] buf, int pos, long senderSsrc, long mediaSsrc) {
        buf[pos] = (byte) (0x80 | FMT_PLI);
        buf[pos + 1] = (byte) PSFB;
        buf[pos + 2] = 0;
        buf[pos + 3] = 2;
        RtpHeader.writeUint32(buf, pos + 4, senderSsrc);
        RtpHeader.writeUint32(buf, pos + 8, mediaSsrc);
        return PLI_LENGTH;
    }
}
