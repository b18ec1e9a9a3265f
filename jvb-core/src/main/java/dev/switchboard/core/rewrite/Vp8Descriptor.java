package dev.switchboard.core.rewrite;

/**
 * The VP8 payload descriptor (RFC 7741 section 4.2), read and written in place at the start of an RTP
 * payload:
 * <pre>
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (required)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (optional)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (optional; M=1: 15 bits over two bytes)
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (optional)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (optional)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 * A frame is a keyframe when its first packet (S=1, PID=0) starts with a VP8 payload header whose P bit
 * (inverse key frame flag, section 4.3) is 0.
 *
 * <p>All methods take the payload's offset and length ({@code off, len}); the static accessors allocate
 * nothing and return -1 (or false) when a field is absent or the descriptor is truncated. {@link Fields} is a
 * value form for building and inspecting descriptors off the packet path.
 */
public final class Vp8Descriptor {
    private Vp8Descriptor() {}

    /** Descriptor length in bytes, or -1 when truncated (or {@code len} is 0). */
    public static int length(byte[] buf, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int length = 1;
        if ((buf[off] & 0x80) != 0) {
            if (len < 2) {
                return -1;
            }
            int ext = buf[off + 1] & 0xFF;
            length = 2;
            if ((ext & 0x80) != 0) {
                if (len < 3) {
                    return -1;
                }
                length += (buf[off + 2] & 0x80) != 0 ? 2 : 1;
            }
            if ((ext & 0x40) != 0) {
                length++;
            }
            if ((ext & 0x30) != 0) {
                length++;
            }
        }
        return length <= len ? length : -1;
    }

    public static boolean isNonReference(byte[] buf, int off) {
        return (buf[off] & 0x20) != 0;
    }

    public static boolean isStartOfPartition(byte[] buf, int off) {
        return (buf[off] & 0x10) != 0;
    }

    public static int partitionId(byte[] buf, int off) {
        return buf[off] & 0x07;
    }

    /** Whether this packet starts a VP8 keyframe (first packet of partition 0 with P=0). */
    public static boolean isKeyframeStart(byte[] buf, int off, int len) {
        int descriptorLength = length(buf, off, len);
        return descriptorLength > 0 && descriptorLength < len && isStartOfPartition(buf, off)
                && partitionId(buf, off) == 0 && (buf[off + descriptorLength] & 0x01) == 0;
    }

    /**
     * The frame height (14 bits) a VP8 keyframe's first packet carries (RFC 6386 section 9.1: 3-byte frame tag,
     * start code 9d 01 2a, 16-bit little-endian width and height whose top 2 bits are scaling), or -1 when this
     * packet does not start a keyframe or is too short.
     */
    public static int keyframeHeight(byte[] buf, int off, int len) {
        if (!isKeyframeStart(buf, off, len)) {
            return -1;
        }
        int p = off + length(buf, off, len);
        if (p + 10 > off + len || (buf[p + 3] & 0xFF) != 0x9D || buf[p + 4] != 0x01 || buf[p + 5] != 0x2A) {
            return -1;
        }
        return ((buf[p + 9] & 0x3F) << 8) | (buf[p + 8] & 0xFF);
    }

    private static int extension(byte[] buf, int off, int len) {
        return len >= 2 && (buf[off] & 0x80) != 0 ? buf[off + 1] & 0xFF : 0;
    }

    /** Offset of the picture ID field, or -1 when absent. */
    private static int pictureIdOffset(byte[] buf, int off, int len) {
        return (extension(buf, off, len) & 0x80) != 0 && length(buf, off, len) > 0 ? off + 2 : -1;
    }

    private static int tl0Offset(byte[] buf, int off, int len) {
        int ext = extension(buf, off, len);
        if ((ext & 0x40) == 0 || length(buf, off, len) < 0) {
            return -1;
        }
        int pos = off + 2;
        if ((ext & 0x80) != 0) {
            pos += (buf[pos] & 0x80) != 0 ? 2 : 1;
        }
        return pos;
    }

    private static int tkOffset(byte[] buf, int off, int len) {
        int ext = extension(buf, off, len);
        int descriptorLength = length(buf, off, len);
        return (ext & 0x30) == 0 || descriptorLength < 0 ? -1 : off + descriptorLength - 1;
    }

    /** The picture ID (7 or 15 bits), or -1. */
    public static int pictureId(byte[] buf, int off, int len) {
        int pos = pictureIdOffset(buf, off, len);
        if (pos < 0) {
            return -1;
        }
        return (buf[pos] & 0x80) != 0 ? ((buf[pos] & 0x7F) << 8) | (buf[pos + 1] & 0xFF) : buf[pos] & 0x7F;
    }

    /** Whether the picture ID is the 15-bit form (M=1). */
    public static boolean hasLongPictureId(byte[] buf, int off, int len) {
        int pos = pictureIdOffset(buf, off, len);
        return pos >= 0 && (buf[pos] & 0x80) != 0;
    }

    public static int tl0PicIdx(byte[] buf, int off, int len) {
        int pos = tl0Offset(buf, off, len);
        return pos < 0 ? -1 : buf[pos] & 0xFF;
    }

    /** TID, or -1 when the T bit is clear. */
    public static int temporalId(byte[] buf, int off, int len) {
        int pos = tkOffset(buf, off, len);
        return pos < 0 || (extension(buf, off, len) & 0x20) == 0 ? -1 : (buf[pos] & 0xC0) >>> 6;
    }

    /** The Y (layer sync) bit; false when the T bit is clear. */
    public static boolean isLayerSync(byte[] buf, int off, int len) {
        int pos = tkOffset(buf, off, len);
        return pos >= 0 && (extension(buf, off, len) & 0x20) != 0 && (buf[pos] & 0x20) != 0;
    }

    /** KEYIDX, or -1 when the K bit is clear. */
    public static int keyIndex(byte[] buf, int off, int len) {
        int pos = tkOffset(buf, off, len);
        return pos < 0 || (extension(buf, off, len) & 0x10) == 0 ? -1 : buf[pos] & 0x1F;
    }

    /**
     * Overwrites the picture ID in its existing width (a 7-bit field keeps the low 7 bits of {@code value}).
     *
     * @return false when the descriptor has no picture ID
     */
    public static boolean setPictureId(byte[] buf, int off, int len, int value) {
        int pos = pictureIdOffset(buf, off, len);
        if (pos < 0) {
            return false;
        }
        if ((buf[pos] & 0x80) != 0) {
            buf[pos] = (byte) (0x80 | ((value >>> 8) & 0x7F));
            buf[pos + 1] = (byte) value;
        } else {
            buf[pos] = (byte) (value & 0x7F);
        }
        return true;
    }

    /** @return false when the descriptor has no TL0PICIDX */
    public static boolean setTl0PicIdx(byte[] buf, int off, int len, int value) {
        int pos = tl0Offset(buf, off, len);
        if (pos < 0) {
            return false;
        }
        buf[pos] = (byte) value;
        return true;
    }

    /**
     * A descriptor as values; -1 marks an absent optional field ({@code longPictureId} is meaningful only with a
     * picture ID, {@code layerSync} only with a temporal ID). The extension byte is written when any optional
     * field is present.
     */
    public record Fields(boolean nonReference, boolean startOfPartition, int partitionId, int pictureId,
            boolean longPictureId, int tl0PicIdx, int temporalId, boolean layerSync, int keyIndex) {
        public Fields {
            check("partition ID", partitionId, 0, 7);
            check("picture ID", pictureId, -1, longPictureId ? 0x7FFF : 0x7F);
            check("TL0PICIDX", tl0PicIdx, -1, 255);
            check("TID", temporalId, -1, 3);
            check("KEYIDX", keyIndex, -1, 31);
        }

        private static void check(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " " + value);
            }
        }

        /** Reads the descriptor at the start of a payload; null when it is truncated. */
        public static Fields parse(byte[] buf, int off, int len) {
            if (Vp8Descriptor.length(buf, off, len) < 0) {
                return null;
            }
            return new Fields(isNonReference(buf, off), isStartOfPartition(buf, off),
                    Vp8Descriptor.partitionId(buf, off), Vp8Descriptor.pictureId(buf, off, len),
                    hasLongPictureId(buf, off, len), Vp8Descriptor.tl0PicIdx(buf, off, len),
                    Vp8Descriptor.temporalId(buf, off, len), isLayerSync(buf, off, len),
                    Vp8Descriptor.keyIndex(buf, off, len));
        }

        private boolean extended() {
            return pictureId >= 0 || tl0PicIdx >= 0 || temporalId >= 0 || keyIndex >= 0;
        }

        public int length() {
            if (!extended()) {
                return 1;
            }
            return 2 + (pictureId < 0 ? 0 : longPictureId ? 2 : 1) + (tl0PicIdx < 0 ? 0 : 1)
                    + (temporalId < 0 && keyIndex < 0 ? 0 : 1);
        }

        /** Writes the descriptor; returns its length. */
        public int write(byte[] out, int off) {
            out[off] = (byte) ((extended() ? 0x80 : 0) | (nonReference ? 0x20 : 0) | (startOfPartition ? 0x10 : 0)
                    | partitionId);
            if (!extended()) {
                return 1;
            }
            out[off + 1] = (byte) ((pictureId >= 0 ? 0x80 : 0) | (tl0PicIdx >= 0 ? 0x40 : 0)
                    | (temporalId >= 0 ? 0x20 : 0) | (keyIndex >= 0 ? 0x10 : 0));
            int pos = off + 2;
            if (pictureId >= 0) {
                if (longPictureId) {
                    out[pos++] = (byte) (0x80 | (pictureId >>> 8));
                }
                out[pos++] = (byte) (longPictureId ? pictureId : pictureId & 0x7F);
            }
            if (tl0PicIdx >= 0) {
                out[pos++] = (byte) tl0PicIdx;
            }
            if (temporalId >= 0 || keyIndex >= 0) {
                out[pos++] = (byte) ((temporalId >= 0 ? temporalId << 6 : 0) | (layerSync ? 0x20 : 0)
                        | (keyIndex >= 0 ? keyIndex : 0));
            }
            return pos - off;
        }
    }
}
