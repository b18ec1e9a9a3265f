package dev.switchboard.core.rtp;

import dev.switchboard.core.packet.RtpHeader;

/**
 * RTP retransmission payload format (RFC 4588 section 4): an RTX packet carries the original header fields
 * (marker, timestamp, CSRCs, header extensions) with the RTX stream's own SSRC, payload type and sequence
 * number, and its payload is the original sequence number (OSN, 2 bytes) followed by the original payload.
 *
 * <p>Static and allocation-free. Padding of the original is not payload and is dropped when wrapping
 * (the P bit is cleared); padding of an RTX packet is kept when unwrapping. Chrome's padding-only RTX
 * packets (bandwidth probes) carry no OSN: {@link #restoreInPlace} returns -1 for them.
 */
public final class RtxPacket {
    /** Bytes an RTX packet is longer than its original payload-wise (the OSN). */
    public static final int OSN_LENGTH = 2;

    private RtxPacket() {}

    /**
     * Builds the RTX packet for the original at {@code [srcOff, srcOff+srcLen)} into {@code dst} at {@code
     * dstOff}, which needs room for {@code srcLen + 2} bytes. {@code dst} may be the same array and offset as
     * {@code src} (the payload is moved in place).
     *
     * @return the RTX packet's length, or -1 when the original is not a well-formed RTP packet
     */
    public static int toRtx(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, long rtxSsrc,
            int rtxPayloadType, int rtxSequenceNumber) {
        int headerLength = RtpHeader.headerLength(src, srcOff, srcLen);
        int payloadLength = RtpFields.payloadLength(src, srcOff, srcLen);
        if (headerLength < 0 || payloadLength < 0) {
            return -1;
        }
        int osn = RtpHeader.sequenceNumber(src, srcOff);
        // payload first: when dst overlaps src it moves right, and arraycopy copies as if through a temporary
        System.arraycopy(src, srcOff + headerLength, dst, dstOff + headerLength + OSN_LENGTH, payloadLength);
        System.arraycopy(src, srcOff, dst, dstOff, headerLength);
        NetworkBytes.putUint16(dst, dstOff + headerLength, osn);
        dst[dstOff] &= (byte) ~0x20; // no padding
        RtpFields.setPayloadType(dst, dstOff, rtxPayloadType);
        RtpFields.setSequenceNumber(dst, dstOff, rtxSequenceNumber);
        RtpFields.setSsrc(dst, dstOff, rtxSsrc);
        return headerLength + OSN_LENGTH + payloadLength;
    }

    /**
     * The original sequence number carried by an RTX packet, or -1 when it has no OSN (padding only) or is
     * malformed.
     */
    public static int originalSequenceNumber(byte[] buf, int off, int len) {
        int headerLength = RtpHeader.headerLength(buf, off, len);
        int payloadLength = RtpFields.payloadLength(buf, off, len);
        if (headerLength < 0 || payloadLength < OSN_LENGTH) {
            return -1;
        }
        return NetworkBytes.uint16(buf, off + headerLength);
    }

    /**
     * Turns an RTX packet back into its original in place: sequence number from the OSN, the given SSRC and
     * payload type, the OSN removed (the rest of the packet moves 2 bytes left).
     *
     * @return the original's length, or -1 when the packet is malformed or carries no OSN
     */
    public static int restoreInPlace(byte[] buf, int off, int len, long originalSsrc, int originalPayloadType) {
        int osn = originalSequenceNumber(buf, off, len);
        if (osn < 0) {
            return -1;
        }
        int headerLength = RtpHeader.headerLength(buf, off, len);
        int afterOsn = off + headerLength + OSN_LENGTH;
        System.arraycopy(buf, afterOsn, buf, off + headerLength, off + len - afterOsn);
        RtpFields.setSequenceNumber(buf, off, osn);
        RtpFields.setSsrc(buf, off, originalSsrc);
        RtpFields.setPayloadType(buf, off, originalPayloadType);
        return len - OSN_LENGTH;
    }
}
