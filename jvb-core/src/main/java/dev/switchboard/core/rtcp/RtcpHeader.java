package dev.switchboard.core.rtcp;

import dev.switchboard.core.rtp.NetworkBytes;

/**
 * The common 4-byte RTCP header (RFC 3550 section 6.4.1): {@code V=2 | P | count/FMT (5) | PT (8) |
 * length (16, in 32-bit words minus one)}, with the checks every parser shares.
 */
final class RtcpHeader {
    static final int LENGTH = 4;
    /** Largest RTCP packet the 16-bit length field can describe. */
    static final int MAX_PACKET_LENGTH = (0xFFFF + 1) * 4;

    private RtcpHeader() {}

    /**
     * Checks version, packet type and that the length field fits in {@code len}.
     *
     * @return the packet's length in bytes from its length field (padding included)
     */
    static int check(byte[] buf, int off, int len, int packetType, int minLength) throws MalformedPacketException {
        if (len < LENGTH) {
            throw new MalformedPacketException("shorter than an RTCP header: " + len);
        }
        if ((buf[off] & 0xC0) != 0x80) {
            throw new MalformedPacketException("not RTCP version 2");
        }
        int type = buf[off + 1] & 0xFF;
        if (type != packetType) {
            throw new MalformedPacketException("packet type " + type + ", expected " + packetType);
        }
        int length = (NetworkBytes.uint16(buf, off + 2) + 1) * 4;
        if (length > len) {
            throw new MalformedPacketException("length field " + length + " exceeds the " + len + " bytes given");
        }
        if (length < minLength) {
            throw new MalformedPacketException("packet of " + length + " bytes, at least " + minLength + " needed");
        }
        return length;
    }

    /** {@link #check} plus the 5-bit feedback message type (RFC 4585 section 6.1). */
    static int checkFeedback(byte[] buf, int off, int len, int packetType, int format, int minLength)
            throws MalformedPacketException {
        int length = check(buf, off, len, packetType, minLength);
        if (countOrFormat(buf, off) != format) {
            throw new MalformedPacketException("FMT " + countOrFormat(buf, off) + ", expected " + format);
        }
        return length;
    }

    /**
     * Length without the padding the P bit announces (RFC 3550 section 6.4.1: the last octet counts the
     * padding octets, itself included).
     */
    static int contentLength(byte[] buf, int off, int packetLength, int minLength) throws MalformedPacketException {
        if ((buf[off] & 0x20) == 0) {
            return packetLength;
        }
        int padding = buf[off + packetLength - 1] & 0xFF;
        if (padding == 0 || packetLength - padding < minLength) {
            throw new MalformedPacketException("bad padding count " + padding);
        }
        return packetLength - padding;
    }

    static int countOrFormat(byte[] buf, int off) {
        return buf[off] & 0x1F;
    }

    /** Writes a header without padding; {@code length} is the packet's length in bytes, a multiple of 4. */
    static void write(byte[] out, int off, int countOrFormat, int packetType, int length) {
        write(out, off, countOrFormat, packetType, length, false);
    }

    static void write(byte[] out, int off, int countOrFormat, int packetType, int length, boolean padding) {
        if ((length & 3) != 0 || length < LENGTH || length > MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("RTCP length " + length);
        }
        out[off] = (byte) (0x80 | (padding ? 0x20 : 0) | (countOrFormat & 0x1F));
        out[off + 1] = (byte) packetType;
        NetworkBytes.putUint16(out, off + 2, length / 4 - 1);
    }

    /**
     * Writes the common header of an RFC 4585 feedback packet (section 6.1): the RTCP header, then the SSRC of
     * the packet sender and of the media source.
     */
    static void writeFeedback(byte[] out, int off, int format, int packetType, int length, boolean padding,
            long senderSsrc, long mediaSsrc) {
        write(out, off, format, packetType, length, padding);
        NetworkBytes.putUint32(out, off + 4, senderSsrc);
        NetworkBytes.putUint32(out, off + 8, mediaSsrc);
    }

    static long checkSsrc(long ssrc) {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a 32-bit SSRC: " + ssrc);
        }
        return ssrc;
    }

    static long checkUint32(String name, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " is not an unsigned 32-bit value: " + value);
        }
        return value;
    }

    static void checkRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " outside [" + min + ", " + max + "]");
        }
    }
}
