package dev.switchboard.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.signaling.FakeMediaBridge;
import dev.switchboard.signaling.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Codec choice and H.264 simulcast on the real Chromium simulcast offer (rids q/h/f; VP8 96/rtx 97, H264 102/103
 * pm=1 42001f, 104/107 pm=0 42001f, 108/109 pm=1 42e01f, 114/115 pm=0 42e01f, 116/117 pm=1 4d001f, 39/40 pm=0
 * 4d001f, AV1 45/46, VP9 98/99 and 100/101).
 */
class H264SimulcastSdpTest {
    private static final String OFFER = Fixtures.sdp(Fixtures.SIMULCAST);
    private static final String VIDEO_LINE =
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 107 108 109 114 115 116 117 39 40 45 46 98 99 100 101 118 119 120";
    /** What setCodecPreferences with H.264 first (42e01f pm=1 leading) makes Chromium offer. */
    private static final String H264_FIRST = OFFER.replace(VIDEO_LINE,
            "m=video 9 UDP/TLS/RTP/SAVPF 108 109 102 103 116 117 104 107 114 115 39 40 96 97 45 46 98 99 100 101 118 119 120");

    private static MediaSection answerVideo(Offer offer) {
        TransportDescription bridge = FakeMediaBridge.bridgeTransport("brdg", offer.remoteDtlsRole());
        SessionDescription answer = AnswerBuilder.build(offer, Map.of(), bridge, 42, 1);
        return answer.mediaSections().get(1);
    }

    @Test
    void byDefaultChromiumsOfferStaysVp8Simulcast() throws Exception {
        MediaSection video = answerVideo(Offer.parse(OFFER));
        assertEquals(List.of("96", "97"), video.mediaLine().formats());
        assertEquals(List.of("recv q;h;f"), video.attributes("simulcast"));
    }

    @Test
    void anOfferWithH264FirstIsAnsweredAsH264SimulcastWithItsRtx() throws Exception {
        Offer offer = Offer.parse(H264_FIRST);
        assertTrue(offer.media().get(1).simulcast());
        MediaSection video = answerVideo(offer);
        assertEquals(List.of("108", "109"), video.mediaLine().formats(),
                "one H264 payload type (packetization-mode 1, 42e01f) and its RTX");
        assertEquals(List.of("108 H264/90000", "109 rtx/90000"), video.attributes("rtpmap"));
        assertEquals(List.of("108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "109 apt=108"), video.attributes("fmtp"), "the offer's profile-level-id, answered as offered");
        assertEquals(List.of("q recv", "h recv", "f recv"), video.attributes("rid"));
        assertEquals(List.of("recv q;h;f"), video.attributes("simulcast"));
        assertTrue(video.attributes("extmap").stream().anyMatch(e -> e.endsWith("sdes:rtp-stream-id")));
        assertTrue(video.attributes("extmap").stream().anyMatch(e -> e.endsWith("sdes:repaired-rtp-stream-id")));
        assertTrue(video.attributes("rtcp-fb").containsAll(List.of("108 nack", "108 nack pli", "108 transport-cc")),
                video.attributes("rtcp-fb").toString());
    }

    @Test
    void aServerPreferenceForH264OverridesTheOffersOrder() throws Exception {
        VideoCodecPreference h264First = VideoCodecPreference.parse("h264,vp8");
        Offer offer = Offer.parse(OFFER, h264First);
        assertEquals(List.of("108", "109"), answerVideo(offer).mediaLine().formats());
        assertEquals(List.of("108", "102", "116", "114", "104", "39", "96"),
                CodecPolicy.acceptedPayloadTypes(Offer.parse(OFFER).sdp().mediaSections().get(1), h264First),
                "H264 (best first), then VP8; VP9 is not listed, so not accepted");
        assertEquals(List.of("96", "97"), answerVideo(Offer.parse(OFFER, VideoCodecPreference.parse("vp8,h264")))
                .mediaLine().formats());
    }

    @Test
    void h264WithoutPacketizationMode1IsNoSimulcastCodec() throws Exception {
        String modeZeroOnly = OFFER.replace(VIDEO_LINE, "m=video 9 UDP/TLS/RTP/SAVPF 104 107 114 115 98 99");
        Offer h264 = Offer.parse(modeZeroOnly, VideoCodecPreference.parse("h264"));
        assertFalse(h264.media().get(1).simulcast(), "mode 0 cannot fragment a keyframe: one stream");
        MediaSection video = answerVideo(h264);
        assertEquals(List.of("114", "104"), video.mediaLine().formats(), "42e01f first; VP9 not accepted");
        assertTrue(video.attributes("simulcast").isEmpty());
        assertTrue(Offer.parse(modeZeroOnly, VideoCodecPreference.parse("h264,vp9")).media().get(1).rids().isEmpty(),
                "VP9 stays single-stream");

        String noAcceptedCodec = OFFER.replace(VIDEO_LINE, "m=video 9 UDP/TLS/RTP/SAVPF 98 99");
        OfferedMedia rejected = Offer.parse(noAcceptedCodec, VideoCodecPreference.parse("h264,vp8")).media().get(1);
        assertTrue(rejected.rejected());
        assertTrue(rejected.rejectReason().contains("h264,vp8"), rejected.rejectReason());
    }

    @Test
    void preferencesAreReadAndChecked() {
        assertEquals(List.of("h264", "vp8"), VideoCodecPreference.parse(" H264 , VP8 ").codecs());
        assertEquals(List.of("h264"), VideoCodecPreference.parse("H.264").codecs());
        assertTrue(VideoCodecPreference.parse("").offerOrder());
        assertThrows(IllegalArgumentException.class, () -> VideoCodecPreference.parse("h265"));
        assertThrows(IllegalArgumentException.class, () -> VideoCodecPreference.parse("vp8,VP8"));
    }
}
