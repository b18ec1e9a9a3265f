package dev.switchboard.core.rtp;

/**
 * Big-endian ("network order", RFC 791 appendix B) reads and writes of unsigned fields in a byte array.
 * Static, allocation-free; the caller checks bounds.
 */
public final class NetworkBytes {
    private NetworkBytes() {}

    public static int uint8(byte[] buf, int off) {
        return buf[off] & 0xFF;
    }

    public static int uint16(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    }

    public static int uint24(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 16) | ((buf[off + 1] & 0xFF) << 8) | (buf[off + 2] & 0xFF);
    }

    /** A 24-bit two's complement field, sign-extended. */
    public static int int24(byte[] buf, int off) {
        return (uint24(buf, off) << 8) >> 8;
    }

    public static long uint32(byte[] buf, int off) {
        return ((long) (buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8)
                | (buf[off + 3] & 0xFF);
    }

    public static long uint64(byte[] buf, int off) {
        return (uint32(buf, off) << 32) | uint32(buf, off + 4);
    }

    public static void putUint8(byte[] buf, int off, int value) {
        buf[off] = (byte) value;
    }

    public static void putUint16(byte[] buf, int off, int value) {
        buf[off] = (byte) (value >>> 8);
        buf[off + 1] = (byte) value;
    }

    /** Writes the low 24 bits (two's complement for negative values). */
    public static void putUint24(byte[] buf, int off, int value) {
        buf[off] = (byte) (value >>> 16);
        buf[off + 1] = (byte) (value >>> 8);
        buf[off + 2] = (byte) value;
    }

    public static void putUint32(byte[] buf, int off, long value) {
        buf[off] = (byte) (value >>> 24);
        buf[off + 1] = (byte) (value >>> 16);
        buf[off + 2] = (byte) (value >>> 8);
        buf[off + 3] = (byte) value;
    }

    public static void putUint64(byte[] buf, int off, long value) {
        putUint32(buf, off, value >>> 32);
        putUint32(buf, off + 4, value);
    }
}
