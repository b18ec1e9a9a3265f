package dev.switchboard.core.rewrite;

/**
 * The codec-level part of rewriting one forwarded stream across simulcast layer switches ({@link
 * StreamRewriter} does SSRC, sequence numbers and timestamps): identifiers inside the payload that must stay
 * continuous, such as VP8's picture ID and TL0PICIDX ({@link Vp8PictureIdRewriter}). H.264 has none ({@link
 * #NONE}): its decoder follows the RTP sequence numbers and the parameter sets sent with each IDR.
 *
 * <p>Allocation-free; not thread-safe (one per forwarded stream, on its media loop).
 */
public interface PayloadRewriter {
    /** The next packet comes from a new source and starts a keyframe. */
    void onSourceSwitch();

    /** Rewrites the payload {@code [off, off+len)} in place. */
    void rewrite(byte[] buf, int off, int len);

    /**
     * What {@link #rewrite} does now, as one value for the stream's history: {@link #reapply} with it rewrites a
     * copy of the same input packet byte-identically (retransmissions must repeat what was sent).
     */
    long state();

    /** Rewrites the payload {@code [off, off+len)} as {@link #rewrite} did when {@link #state} was {@code state}. */
    void reapply(byte[] buf, int off, int len, long state);

    /** Nothing to rewrite in the payload. */
    PayloadRewriter NONE = new PayloadRewriter() {
        @Override
        public void onSourceSwitch() {
        }

        @Override
        public void rewrite(byte[] buf, int off, int len) {
        }

        @Override
        public long state() {
            return 0;
        }

        @Override
        public void reapply(byte[] buf, int off, int len, long state) {
        }

        @Override
        public String toString() {
            return "none";
        }
    };
}
