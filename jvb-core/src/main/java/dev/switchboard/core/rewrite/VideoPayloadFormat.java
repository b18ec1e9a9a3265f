package dev.switchboard.core.rewrite;

/**
 * What simulcast forwarding needs to know about one video codec's RTP payload format: where a receiver may
 * switch layers, the frame height a keyframe announces, and what a forwarded stream must rewrite in the payload
 * itself to stay continuous across switches. The bridge picks the format of each packet by its payload type
 * (the codec the sender negotiated for it); everything codec-specific stays behind this interface.
 *
 * <p>Implementations may keep scratch state (e.g. a bit reader): one instance per owner on a media loop.
 */
public interface VideoPayloadFormat {
    /** {@link #inspect}: the packet may be forwarded, and a receiver may start or switch here. */
    int SWITCH_POINT = 1;
    /** {@link #inspect}: an ordinary packet. */
    int ORDINARY = 0;
    /** {@link #inspect}: the payload does not parse; the packet is dropped and counted. */
    int MALFORMED = -1;

    /** Classifies the payload {@code [off, off+len)} ({@code len > 0}): one of the constants above. */
    int inspect(byte[] buf, int off, int len);

    /**
     * The frame height announced by the payload {@code [off, off+len)} of a switch point, or -1 when it does not
     * say (the caller then keeps what it assumed).
     */
    int keyframeHeight(byte[] buf, int off, int len);

    /**
     * A new rewriter of the payload for one forwarded stream (per receiver and source), or {@link
     * PayloadRewriter#NONE} when the format has nothing to rewrite.
     */
    PayloadRewriter newRewriter();

    /** A payload type the bridge knows no format for: never a switch point, so never forwarded as simulcast. */
    VideoPayloadFormat UNKNOWN = new VideoPayloadFormat() {
        @Override
        public int inspect(byte[] buf, int off, int len) {
            return ORDINARY;
        }

        @Override
        public int keyframeHeight(byte[] buf, int off, int len) {
            return -1;
        }

        @Override
        public PayloadRewriter newRewriter() {
            return PayloadRewriter.NONE;
        }

        @Override
        public String toString() {
            return "unknown";
        }
    };
}
