package dev.switchboard.core.rtp;

/**
 * Writes an RTP header extension block (RFC 8285 section 4): the 4-byte block header (profile, length in
 * 32-bit words), the elements, and zero padding to a 32-bit boundary. The caller sets the X bit and makes
 * room in the packet. Reusable and allocation-free:
 * <pre>{@code
 * int n = writer.begin(buf, pos, false).add(1, level, 0, 1).add(3, tcc, 0, 2).finish();
 * }</pre>
 * Not thread-safe.
 */
public final class HeaderExtensionWriter {
    private byte[] buf;
    private int start;
    private int pos;
    private boolean twoByte;

    /**
     * Starts a block at {@code blockOffset}.
     *
     * @param twoByte the two-byte form (IDs 1..255, 0..255 data bytes) instead of the one-byte form (IDs
     *     1..14, 1..16 data bytes)
     */
    public HeaderExtensionWriter begin(byte[] buf, int blockOffset, boolean twoByte) {
        this.buf = buf;
        this.start = blockOffset;
        this.pos = blockOffset + 4;
        this.twoByte = twoByte;
        return this;
    }

    /** Appends an element; throws {@link IllegalArgumentException} when the form cannot carry it. */
    public HeaderExtensionWriter add(int id, byte[] src, int srcOffset, int length) {
        if (twoByte) {
            if (id < 1 || id > 255 || length < 0 || length > 255) {
                throw new IllegalArgumentException("two-byte form: id " + id + " length " + length);
            }
            buf[pos++] = (byte) id;
            buf[pos++] = (byte) length;
        } else {
            if (id < 1 || id > 14 || length < 1 || length > 16) {
                throw new IllegalArgumentException("one-byte form: id " + id + " length " + length);
            }
            buf[pos++] = (byte) ((id << 4) | (length - 1));
        }
        System.arraycopy(src, srcOffset, buf, pos, length);
        pos += length;
        return this;
    }

    /** Appends a one-byte element (e.g. an audio level). */
    public HeaderExtensionWriter addByte(int id, int value) {
        if (twoByte) {
            if (id < 1 || id > 255) {
                throw new IllegalArgumentException("two-byte form: id " + id);
            }
            buf[pos++] = (byte) id;
            buf[pos++] = 1;
        } else {
            if (id < 1 || id > 14) {
                throw new IllegalArgumentException("one-byte form: id " + id);
            }
            buf[pos++] = (byte) (id << 4);
        }
        buf[pos++] = (byte) value;
        return this;
    }

    /**
     * Pads to a 32-bit boundary with zeros and writes the block header.
     *
     * @return the block's total length in bytes, header included (a multiple of 4)
     */
    public int finish() {
        while (((pos - start) & 3) != 0) {
            buf[pos++] = 0;
        }
        NetworkBytes.putUint16(buf, start, twoByte ? HeaderExtensions.TWO_BYTE_PROFILE
                : HeaderExtensions.ONE_BYTE_PROFILE);
        NetworkBytes.putUint16(buf, start + 2, (pos - start - 4) / 4);
        return pos - start;
    }
}
