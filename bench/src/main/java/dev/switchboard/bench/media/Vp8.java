package dev.switchboard.bench.media;

/**
 * The VP8 RTP payload descriptor (RFC 7741 section 4.2) as libwebrtc writes it (X, I with a 15-bit
 * PictureID, L with TL0PICIDX, T with TID and Y), and the start of the VP8 payload (RFC 7741 section 4.3,
 * RFC 6386 section 9.1: 3-byte frame tag; key frames add the start code and the dimensions).
 */
public final class Vp8 {
    /** Bytes {@link #writeDescriptor} writes. */
    public static final int DESCRIPTOR_LENGTH = 6;
    /** Bytes of the payload header of a delta frame / a key frame. */
    public static final int DELTA_HEADER_LENGTH = 3;
    public static final int KEY_HEADER_LENGTH = 10;

    private Vp8() {}

    /**
     * Writes the 6-byte descriptor: X=1, N=0, S=start of partition 0, PID=0; I=1 (M=1, 15-bit picture id),
     * L=1, T=1, K=0.
     */
    public static int writeDescriptor(byte[] b, int off, boolean startOfFrame, int pictureId, int tl0PicIdx,
            int temporalId, boolean layerSync) {
        b[off] = (byte) (0x80 | (startOfFrame ? 0x10 : 0));
        b[off + 1] = (byte) (0x80 | 0x40 | 0x20);
        b[off + 2] = (byte) (0x80 | ((pictureId >>> 8) & 0x7F));
        b[off + 3] = (byte) pictureId;
        b[off + 4] = (byte) tl0PicIdx;
        b[off + 5] = (byte) (((temporalId & 3) << 6) | (layerSync ? 0x20 : 0));
        return DESCRIPTOR_LENGTH;
    }

    /**
     * Writes the VP8 frame tag (and, for a key frame, the start code and dimensions) that begins the first
     * packet of a frame; returns its length.
     */
    public static int writePayloadHeader(byte[] b, int off, boolean keyFrame, int firstPartitionSize, int width,
            int height) {
        int size = firstPartitionSize & 0x7FFFF;
        // bit 0: inverse key frame flag; bits 1-3 version 0; bit 4 show_frame; bits 5-7 size low bits
        b[off] = (byte) (((size & 0x7) << 5) | 0x10 | (keyFrame ? 0 : 1));
        b[off + 1] = (byte) (size >>> 3);
        b[off + 2] = (byte) (size >>> 11);
        if (!keyFrame) {
            return DELTA_HEADER_LENGTH;
        }
        b[off + 3] = (byte) 0x9d;
        b[off + 4] = (byte) 0x01;
        b[off + 5] = (byte) 0x2a;
        b[off + 6] = (byte) width; // 14 bits little-endian, 2 scaling bits 0
        b[off + 7] = (byte) ((width >>> 8) & 0x3F);
        b[off + 8] = (byte) height;
        b[off + 9] = (byte) ((height >>> 8) & 0x3F);
        return KEY_HEADER_LENGTH;
    }

    /** What {@link #parse} reads. {@code keyFrame} is only meaningful when {@code startOfFrame}. */
    public record Descriptor(int length, boolean startOfFrame, int partitionId, int pictureId, int tl0PicIdx,
            int temporalId, boolean layerSync, boolean keyFrame, int width, int height) {}

    /**
     * Parses the descriptor (any legal combination of the optional fields) and, at the start of a frame,
     * the frame tag. Returns null when the bytes are not a valid descriptor.
     */
    public static Descriptor parse(byte[] b, int off, int len) {
        if (len < 1) {
            return null;
        }
        int pos = off;
        int end = off + len;
        int first = b[pos++] & 0xFF;
        boolean start = (first & 0x10) != 0;
        int pid = first & 0x07;
        int pictureId = -1;
        int tl0 = -1;
        int tid = -1;
        boolean y = false;
        if ((first & 0x80) != 0) {
            if (pos >= end) {
                return null;
            }
            int x = b[pos++] & 0xFF;
            boolean i = (x & 0x80) != 0;
            boolean l = (x & 0x40) != 0;
            boolean t = (x & 0x20) != 0;
            boolean k = (x & 0x10) != 0;
            if (l && !i) {
                return null; // RFC 7741: L requires I
            }
            if (i) {
                if (pos >= end) {
                    return null;
                }
                int p = b[pos++] & 0xFF;
                if ((p & 0x80) != 0) {
                    if (pos >= end) {
                        return null;
                    }
                    pictureId = ((p & 0x7F) << 8) | (b[pos++] & 0xFF);
                } else {
                    pictureId = p;
                }
            }
            if (l) {
                if (pos >= end) {
                    return null;
                }
                tl0 = b[pos++] & 0xFF;
            }
            if (t || k) {
                if (pos >= end) {
                    return null;
                }
                int tk = b[pos++] & 0xFF;
                if (t) {
                    tid = tk >>> 6;
                    y = (tk & 0x20) != 0;
                }
            }
        }
        int length = pos - off;
        boolean key = false;
        int width = 0;
        int height = 0;
        if (start && pid == 0) {
            if (end - pos < DELTA_HEADER_LENGTH) {
                return null;
            }
            key = (b[pos] & 0x01) == 0;
            if (key) {
                if (end - pos < KEY_HEADER_LENGTH || (b[pos + 3] & 0xFF) != 0x9d || (b[pos + 4] & 0xFF) != 0x01
                        || (b[pos + 5] & 0xFF) != 0x2a) {
                    return null;
                }
                width = (b[pos + 6] & 0xFF) | ((b[pos + 7] & 0x3F) << 8);
                height = (b[pos + 8] & 0xFF) | ((b[pos + 9] & 0x3F) << 8);
            }
        }
        return new Descriptor(length, start, pid, pictureId, tl0, tid, y, key, width, height);
    }

    /** Cheap check for the receive path: is this packet the first of a key frame? (-1 when malformed) */
    public static int keyFrameStart(byte[] b, int off, int len) {
        Descriptor d = parse(b, off, len);
        if (d == null) {
            return -1;
        }
        return d.startOfFrame() && d.partitionId() == 0 && d.keyFrame() ? 1 : 0;
    }
}
