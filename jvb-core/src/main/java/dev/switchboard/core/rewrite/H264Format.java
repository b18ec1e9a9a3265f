package dev.switchboard.core.rewrite;

/**
 * H.264 (RFC 6184, non-interleaved mode): a switch point is a packet carrying an SPS, which starts an IDR access
 * unit ({@link H264Payload}); the frame height comes from that SPS ({@link H264SpsReader}). Malformed payloads
 * are reported as such (dropped and counted by the caller). Nothing in the payload needs rewriting across
 * switches ({@link PayloadRewriter#NONE}). Holds a bit reader: one instance per owner on a media loop.
 */
public final class H264Format implements VideoPayloadFormat {
    private final H264SpsReader sps = new H264SpsReader();

    @Override
    public int inspect(byte[] buf, int off, int len) {
        int flags = H264Payload.inspect(buf, off, len);
        if (flags == H264Payload.MALFORMED) {
            return MALFORMED;
        }
        return H264Payload.isKeyframeStart(flags) ? SWITCH_POINT : ORDINARY;
    }

    @Override
    public int keyframeHeight(byte[] buf, int off, int len) {
        long found = H264Payload.findSps(buf, off, len);
        return found < 0 ? -1 : sps.height(buf, (int) (found >>> 32), (int) found);
    }

    @Override
    public PayloadRewriter newRewriter() {
        return PayloadRewriter.NONE;
    }

    @Override
    public String toString() {
        return "H264";
    }
}
