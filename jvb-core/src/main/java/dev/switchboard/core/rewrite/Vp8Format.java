package dev.switchboard.core.rewrite;

/**
 * VP8 (RFC 7741): a switch point is the first packet of a keyframe ({@link Vp8Descriptor#isKeyframeStart}), whose
 * payload header gives the frame height; forwarded streams rewrite the picture ID and TL0PICIDX ({@link
 * Vp8PictureIdRewriter}). A descriptor that does not parse is forwarded as an ordinary packet, as it always was.
 * Stateless.
 */
public final class Vp8Format implements VideoPayloadFormat {
    @Override
    public int inspect(byte[] buf, int off, int len) {
        return Vp8Descriptor.isKeyframeStart(buf, off, len) ? SWITCH_POINT : ORDINARY;
    }

    @Override
    public int keyframeHeight(byte[] buf, int off, int len) {
        return Vp8Descriptor.keyframeHeight(buf, off, len);
    }

    @Override
    public PayloadRewriter newRewriter() {
        return new Vp8PictureIdRewriter();
    }

    @Override
    public String toString() {
        return "VP8";
    }
}
