package dev.switchboard.signaling.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.core.api.VideoCodec;
import dev.switchboard.signaling.Fixtures;
import dev.switchboard.signaling.sdp.Offer;
import dev.switchboard.signaling.sdp.VideoCodecPreference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The payload type to codec map signaling gives the core: what the answer accepts on video sections. */
class VideoPayloadTypesTest {
    @Test
    void aSimulcastSectionNamesItsOneCodecAndReceivingSectionsEveryAcceptedOne() throws Exception {
        Map<Integer, VideoCodec> vp8Simulcast =
                RoomService.videoPayloadTypes(Offer.parse(Fixtures.sdp(Fixtures.SIMULCAST)));
        assertEquals(Map.of(96, VideoCodec.VP8), vp8Simulcast, "the simulcast section is answered with VP8 only");

        Map<Integer, VideoCodec> h264Simulcast = RoomService.videoPayloadTypes(
                Offer.parse(Fixtures.sdp(Fixtures.SIMULCAST), VideoCodecPreference.parse("h264,vp8")));
        assertEquals(Map.of(108, VideoCodec.H264), h264Simulcast);

        Map<Integer, VideoCodec> receiving = RoomService.videoPayloadTypes(
                Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY)));
        assertEquals(VideoCodec.VP8, receiving.get(96));
        assertEquals(VideoCodec.VP9, receiving.get(98));
        assertEquals(VideoCodec.H264, receiving.get(102));
        assertNull(receiving.get(97), "RTX is no codec of its own");
        assertNull(receiving.get(111), "audio");

        Map<Integer, VideoCodec> noVp9 = RoomService.videoPayloadTypes(
                Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY), VideoCodecPreference.parse("vp8,h264")));
        assertNull(noVp9.get(98), "a codec the server does not accept is not negotiated");
    }
}
