package dev.switchboard.core.rewrite;

/**
 * Keeps the VP8 picture ID and TL0PICIDX (RFC 7741 section 4.2) of one forwarded stream continuous when the
 * source changes (simulcast layer switch): after {@link #onSourceSwitch()}, the first frame of the new
 * source gets the last picture ID sent plus one and the last TL0PICIDX sent plus one (a keyframe is a base
 * layer frame), and the new source's later values keep that offset. Between switches values pass through
 * shifted by the current offset, so the receiver's decoder sees one stream with no jump backwards.
 *
 * <p>Allocation-free; not thread-safe (one per forwarded stream, on its media loop).
 */
public final class Vp8PictureIdRewriter implements PayloadRewriter {
    private int pictureIdDelta;
    private int tl0Delta;
    private int lastPictureId = -1;
    private int lastTl0 = -1;
    private boolean switchPending;

    /** The next packet comes from a new source and starts a keyframe. */
    @Override
    public void onSourceSwitch() {
        switchPending = true;
    }

    /** Rewrites the descriptor at the start of the payload {@code [off, off+len)} in place. */
    @Override
    public void rewrite(byte[] buf, int off, int len) {
        int pictureId = Vp8Descriptor.pictureId(buf, off, len);
        int tl0 = Vp8Descriptor.tl0PicIdx(buf, off, len);
        if (switchPending) {
            switchPending = false;
            if (pictureId >= 0 && lastPictureId >= 0) {
                pictureIdDelta = (lastPictureId + 1 - pictureId) & 0x7FFF;
            }
            if (tl0 >= 0 && lastTl0 >= 0) {
                tl0Delta = (lastTl0 + 1 - tl0) & 0xFF;
            }
        }
        if (pictureId >= 0) {
            boolean long15 = Vp8Descriptor.hasLongPictureId(buf, off, len);
            int mask = long15 ? 0x7FFF : 0x7F;
            int out = (pictureId + pictureIdDelta) & mask;
            Vp8Descriptor.setPictureId(buf, off, len, out);
            if (lastPictureId < 0 || isNewer(out, lastPictureId & mask, mask + 1)) {
                lastPictureId = out;
            }
        }
        if (tl0 >= 0) {
            int out = (tl0 + tl0Delta) & 0xFF;
            Vp8Descriptor.setTl0PicIdx(buf, off, len, out);
            if (lastTl0 < 0 || isNewer(out, lastTl0, 0x100)) {
                lastTl0 = out;
            }
        }
    }

    /** What is added to input picture IDs now (modulo their width). */
    public int pictureIdDelta() {
        return pictureIdDelta;
    }

    /** What is added to input TL0PICIDX values now (modulo 256). */
    public int tl0PicIdxDelta() {
        return tl0Delta;
    }

    /** Both deltas: the picture ID delta in the high 32 bits, the TL0PICIDX delta in the low ones. */
    @Override
    public long state() {
        return (long) pictureIdDelta << 32 | tl0Delta;
    }

    @Override
    public void reapply(byte[] buf, int off, int len, long state) {
        apply(buf, off, len, (int) (state >>> 32), (int) state);
    }

    /**
     * Shifts the picture ID and TL0PICIDX of the descriptor at the start of the payload {@code [off, off+len)}
     * by the given deltas, in place: what {@link #rewrite} did to a packet, given the deltas it had then
     * (retransmissions must be byte-identical to the original).
     */
    public static void apply(byte[] buf, int off, int len, int pictureIdDelta, int tl0Delta) {
        int pictureId = Vp8Descriptor.pictureId(buf, off, len);
        if (pictureId >= 0) {
            int mask = Vp8Descriptor.hasLongPictureId(buf, off, len) ? 0x7FFF : 0x7F;
            Vp8Descriptor.setPictureId(buf, off, len, (pictureId + pictureIdDelta) & mask);
        }
        int tl0 = Vp8Descriptor.tl0PicIdx(buf, off, len);
        if (tl0 >= 0) {
            Vp8Descriptor.setTl0PicIdx(buf, off, len, (tl0 + tl0Delta) & 0xFF);
        }
    }

    /** The last (highest) picture ID written, or -1. */
    public int lastPictureId() {
        return lastPictureId;
    }

    /** The last (highest) TL0PICIDX written, or -1. */
    public int lastTl0PicIdx() {
        return lastTl0;
    }

    private static boolean isNewer(int value, int than, int modulus) {
        int distance = Math.floorMod(value - than, modulus);
        return distance != 0 && distance < modulus / 2;
    }
}
