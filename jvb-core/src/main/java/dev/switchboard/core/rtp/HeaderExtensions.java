package dev.switchboard.core.rtp;

import dev.switchboard.core.packet.RtpHeader;
import java.util.Arrays;

/**
 * Reads and rewrites RTP header extensions in place (RFC 8285): the one-byte form (profile {@code 0xBEDE},
 * section 4.2) and the two-byte form (profile {@code 0x100} plus 4 app bits, section 4.3).
 *
 * <p>An instance is a reusable cursor over one packet's elements (allocation-free once created):
 * <pre>{@code
 * if (ext.reset(buf, off, len)) {
 *     while (ext.next()) { use(ext.id(), ext.dataOffset(), ext.dataLength()); }
 * }
 * }</pre>
 * Padding bytes (ID 0) are skipped. In the one-byte form, ID 15 ends processing (section 4.2). A packet whose
 * extension block is malformed (an element running past the block) yields the elements before the fault.
 * Not thread-safe; one cursor per thread.
 */
public final class HeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Two-byte profile with app bits 0; any of {@code 0x1000..0x100F} is accepted. */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private byte[] buf;
    private boolean twoByte;
    private int pos;
    private int end;
    private int id;
    private int dataOffset;
    private int dataLength;

    /**
     * Positions the cursor before the first element of the packet {@code [off, off+len)}.
     *
     * @return false when the packet has no extension block, an unknown profile, or is not valid RTP
     */
    public boolean reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = 0;
        this.end = 0;
        this.id = 0;
        int blockOffset = blockOffset(buf, off, len);
        if (blockOffset < 0) {
            return false;
        }
        int profile = NetworkBytes.uint16(buf, blockOffset);
        if (profile == ONE_BYTE_PROFILE) {
            twoByte = false;
        } else if ((profile & 0xFFF0) == TWO_BYTE_PROFILE) {
            twoByte = true;
        } else {
            return false;
        }
        pos = blockOffset + 4;
        end = pos + 4 * NetworkBytes.uint16(buf, blockOffset + 2);
        return true;
    }

    /** Advances to the next element; false at the end of the block. */
    public boolean next() {
        while (pos < end) {
            int first = buf[pos] & 0xFF;
            if (first == 0) {
                pos++; // padding
                continue;
            }
            int elementId;
            int length;
            int data;
            if (twoByte) {
                if (pos + 2 > end) {
                    break;
                }
                elementId = first;
                length = buf[pos + 1] & 0xFF;
                data = pos + 2;
            } else {
                elementId = first >>> 4;
                if (elementId == 15) {
                    break;
                }
                length = (first & 0x0F) + 1;
                data = pos + 1;
            }
            if (data + length > end) {
                break;
            }
            id = elementId;
            dataOffset = data;
            dataLength = length;
            pos = data + length;
            return true;
        }
        pos = end;
        id = 0;
        return false;
    }

    /**
     * Resets to the packet and moves to the first element with {@code id}.
     *
     * @return false when there is none
     */
    public boolean find(byte[] buf, int off, int len, int id) {
        if (!reset(buf, off, len)) {
            return false;
        }
        while (next()) {
            if (this.id == id) {
                return true;
            }
        }
        return false;
    }

    public boolean isTwoByteForm() {
        return twoByte;
    }

    /** ID of the current element. */
    public int id() {
        return id;
    }

    /** Absolute offset of the current element's data in the array. */
    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }

    /**
     * Offset of the extension block (its 16-bit profile field) in a packet, or -1 when the X bit is clear or
     * the packet is not well-formed RTP.
     */
    public static int blockOffset(byte[] buf, int off, int len) {
        if ((buf[off] & 0x10) == 0 || RtpHeader.headerLength(buf, off, len) < 0) {
            return -1;
        }
        return off + RtpHeader.FIXED_HEADER_LENGTH + 4 * (buf[off] & 0x0F);
    }

    /**
     * Gives the current element (after {@link #next()}) the ID {@code newId}, in place, or erases it when
     * {@code newId} is 0 or more than its form can carry (above 14 in the one-byte form): its bytes become
     * padding (ID 0), which RFC 8285 sections 4.2 and 4.3 let receivers skip, so the packet length does not
     * change.
     *
     * @return whether the element was kept
     */
    public boolean rewriteId(int newId) {
        int elementStart = dataOffset - (twoByte ? 2 : 1);
        if (twoByte ? newId >= 1 && newId <= 255 : newId >= 1 && newId <= 14) {
            buf[elementStart] = (byte) (twoByte ? newId : (newId << 4) | (buf[elementStart] & 0x0F));
            return true;
        }
        Arrays.fill(buf, elementStart, dataOffset + dataLength, (byte) 0);
        return false;
    }
}
