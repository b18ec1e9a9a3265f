package dev.switchboard.core.packet;

/** Field access on an RTP header in place (RFC 3550 section 5.1, RFC 8285 extensions). */
public final class RtpHeader {
    public static final int FIXED_HEADER_LENGTH = 12;

    private RtpHeader() {}

    /**
     * The header length (fixed part, CSRCs and extension), or -1 when the bytes are not a well-formed RTP
     * header that fits in {@code len}.
     */
    public static int headerLength(byte[] buf, int off, int len) {
        if (len < FIXED_HEADER_LENGTH || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int csrcCount = buf[off] & 0x0F;
        int length = FIXED_HEADER_LENGTH + 4 * csrcCount;
        if ((buf[off] & 0x10) != 0) {
            if (length + 4 > len) {
                return -1;
            }
            int extensionWords = readUint16(buf, off + length + 2);
            length += 4 + 4 * extensionWords;
        }
        return length <= len ? length : -1;
    }

    public static int payloadType(byte[] buf, int off) {
        return buf[off + 1] & 0x7F;
    }

    public static boolean marker(byte[] buf, int off) {
        return (buf[off + 1] & 0x80) != 0;
    }

    public static int sequenceNumber(byte[] buf, int off) {
        return readUint16(buf, off + 2);
    }

    public static long timestamp(byte[] buf, int off) {
        return readUint32(buf, off + 4);
    }

    public static long ssrc(byte[] buf, int off) {
        return readUint32(buf, off + 8);
    }

    static int readUint16(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    }

    static long readUint32(byte[] buf, int off) {
        return ((long) (buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8)
                | (buf[off + 3] & 0xFF);
    }

    static void writeUint32(byte[] buf, int off, long value) {
        buf[off] = (byte) (value >>> 24);
        buf[off + 1] = (byte) (value >>> 16);
        buf[off + 2] = (byte) (value >>> 8);
        buf[off + 3] = (byte) value;
    }
}
