package dev.switchboard.core.routing;

import dev.switchboard.core.api.VideoCodec;
import dev.switchboard.core.rewrite.H264Format;
import dev.switchboard.core.rewrite.VideoPayloadFormat;
import dev.switchboard.core.rewrite.Vp8Format;
import java.util.Arrays;
import java.util.Map;

/**
 * The video payload format of each payload type one endpoint negotiated ({@code MediaDescription
 * .videoPayloadTypes}), looked up per packet by number; and which payload types it may be sent. Holds one format
 * object per codec (H.264's has a bit reader): owned by one endpoint, on its conference's media loop.
 */
final class PayloadFormats {
    private final Vp8Format vp8 = new Vp8Format();
    private final H264Format h264 = new H264Format();
    private final VideoPayloadFormat[] byPayloadType = new VideoPayloadFormat[128];
    /** The codec negotiated for each payload type, null where none. */
    private final VideoCodec[] codecs = new VideoCodec[128];
    private boolean any;

    PayloadFormats() {
        Arrays.fill(byPayloadType, VideoPayloadFormat.UNKNOWN);
    }

    /** Loop thread: takes the endpoint's negotiated video payload types. */
    void set(Map<Integer, VideoCodec> payloadTypes) {
        Arrays.fill(byPayloadType, VideoPayloadFormat.UNKNOWN);
        Arrays.fill(codecs, null);
        payloadTypes.forEach((pt, codec) -> {
            codecs[pt] = codec;
            byPayloadType[pt] = switch (codec) {
                case VP8 -> vp8;
                case H264 -> h264;
                case VP9 -> VideoPayloadFormat.UNKNOWN; // single-stream only: nothing to read
            };
        });
        any = !payloadTypes.isEmpty();
    }

    /** The format of a payload type the endpoint sends ({@link VideoPayloadFormat#UNKNOWN} when not negotiated). */
    VideoPayloadFormat format(int payloadType) {
        return byPayloadType[payloadType & 0x7F];
    }

    /**
     * Whether the endpoint may be sent video of {@code payloadType} that its sender negotiated as {@code codec}:
     * it negotiated the same number for the same codec (payload types are forwarded unchanged). An endpoint whose
     * description names no video payload types takes everything, and a sender's unknown codec passes.
     */
    boolean accepts(int payloadType, VideoCodec codec) {
        return !any || codec == null || codecs[payloadType & 0x7F] == codec;
    }

    /** The codec the endpoint negotiated for {@code payloadType}, or null. */
    VideoCodec codec(int payloadType) {
        return codecs[payloadType & 0x7F];
    }
}
