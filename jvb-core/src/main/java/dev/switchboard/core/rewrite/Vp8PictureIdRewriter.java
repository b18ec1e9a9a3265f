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
public final class Vp8PictureIdRewriter {
    private int pictureIdDelta;
    private int tl0Delta;
    private int lastPictureId = -1;
    private int lastTl0 = -1;
    private boolean switchPending;

    /** The next packet comes from a new source and starts a keyframe. */
    public void onSourceSwitch() {
        switchPending = true;
    }

    /** Rewrites the descriptor at the start of the payload {@code [off, off+len)} in place. */
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
