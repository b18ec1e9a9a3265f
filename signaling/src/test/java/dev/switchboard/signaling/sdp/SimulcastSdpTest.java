package dev.switchboard.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.signaling.FakeMediaBridge;
import dev.switchboard.signaling.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a real Chromium simulcast offer (rids q/h/f) and answering it so that Chromium sends the layers. */
class SimulcastSdpTest {
    private static final String OFFER = Fixtures.sdp(Fixtures.SIMULCAST);

    @Test
    void theVideoSectionIsASimulcastSourceWithoutSsrcs() throws Exception {
        Offer offer = Offer.parse(OFFER);
        OfferedMedia audio = offer.media().get(0);
        OfferedMedia video = offer.media().get(1);
        assertEquals(List.of(), audio.rids());
        assertFalse(audio.simulcast());
        assertEquals(List.of("q", "h", "f"), video.rids());
        assertTrue(video.simulcast());
        assertTrue(video.hasSource(), "a simulcast section is a source although it has no a=ssrc");
        assertEquals(-1, video.ssrc());
        assertEquals(4, offer.extensionId(CodecPolicy.MID_URI));
        assertEquals(10, offer.extensionId(CodecPolicy.RID_URI));
    }

    @Test
    void theAnswerReceivesTheLayersWithMidAndRidOnThatSectionOnlyAndVp8Only() throws Exception {
        Offer offer = Offer.parse(OFFER);
        TransportDescription bridge = FakeMediaBridge.bridgeTransport("brdg", offer.remoteDtlsRole());
        SessionDescription answer = AnswerBuilder.build(offer, Map.of(), bridge, 42, 1);
        assertEquals(answer, SdpParser.parse(answer.toString()));
        MediaSection audio = answer.mediaSections().get(0);
        MediaSection video = answer.mediaSections().get(1);
        assertEquals(Direction.RECVONLY, video.direction());
        assertEquals(List.of("q recv", "h recv", "f recv"), video.attributes("rid"));
        assertEquals(List.of("recv q;h;f"), video.attributes("simulcast"));
        assertEquals(List.of("2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "13 urn:3gpp:video-orientation",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid", "10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
                "11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"), video.attributes("extmap"));
        assertEquals(List.of("96", "97"), video.mediaLine().formats(),
                "VP8 only (the codec the bridge switches layers of), with its RTX");
        assertEquals(List.of("96 VP8/90000", "97 rtx/90000"), video.attributes("rtpmap"));
        assertEquals(List.of("97 apt=96"), video.attributes("fmtp"));
        assertTrue(audio.attributes("extmap").stream().noneMatch(e -> e.contains("sdes:mid")),
                "mid is never negotiated where the bridge does not read and erase it: " + audio.attributes("extmap"));
        assertTrue(audio.attributes("rid").isEmpty());
    }

    @Test
    void aReceiverOfASimulcastSourceWithAnRtxStreamGetsTheOfferedRtxAndAnFidGroup() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY));
        TransportDescription bridge = FakeMediaBridge.bridgeTransport("brdg", offer.remoteDtlsRole());
        SendTrack withRtx = new SendTrack(5000L, "cnameA", "EndpointA1", "EndpointA1-v-1", 6000L);
        SessionDescription answer = AnswerBuilder.build(offer, Map.of("3", withRtx, "5",
                new SendTrack(7000L, "cnameB", "EndpointB1", "EndpointB1-v-1")), bridge, 42, 1);
        MediaSection video = answer.mediaSections().get(3);
        assertTrue(video.mediaLine().formats().containsAll(List.of("96", "97", "98", "99")), video.toString());
        assertTrue(video.attributes("rtpmap").contains("97 rtx/90000"));
        assertTrue(video.attributes("fmtp").contains("97 apt=96"));
        assertEquals(List.of("FID 5000 6000"), video.attributes("ssrc-group"));
        assertEquals(List.of("5000 cname:cnameA", "5000 msid:EndpointA1 EndpointA1-v-1", "6000 cname:cnameA",
                "6000 msid:EndpointA1 EndpointA1-v-1"), video.attributes("ssrc"));
        MediaSection plain = answer.mediaSections().get(5);
        assertTrue(plain.attributes("rtpmap").stream().noneMatch(r -> r.contains("rtx")), "no RTX stream, no RTX");
        assertEquals(List.of(), plain.attributes("ssrc-group"));
    }

    @Test
    void simulcastAttributesAreReadAsRfc8853SaysOrIgnoredWhenMalformed() throws Exception {
        assertEquals(List.of("q", "h", "f"), rids("a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\n"
                + "a=simulcast:send q;~h;f\r\n"), "a paused layer is still a layer");
        assertEquals(List.of("q", "h"), rids("a=rid:q send\r\na=rid:h send\r\na=rid:x send\r\n"
                + "a=simulcast:send q,x;h\r\n"), "the first alternative");
        assertEquals(List.of("f"), rids("a=rid:f send\r\na=simulcast:recv r1 send f\r\n"));
        assertEquals(List.of(), rids("a=rid:q send\r\na=rid:h recv\r\na=simulcast:send q;h\r\n"), "h is no send rid");
        assertEquals(List.of(), rids("a=rid:q send\r\na=simulcast:recv q\r\n"), "nothing sent");
        assertEquals(List.of(), rids("a=rid:a send\r\na=rid:b send\r\na=rid:c send\r\na=rid:d send\r\na=rid:e send\r\n"
                + "a=simulcast:send a;b;c;d;e\r\n"), "more layers than the bridge takes");
        assertEquals(List.of(), rids("a=rid:q send\r\na=rid:q send\r\na=simulcast:send q;q\r\n"), "duplicate");
        assertEquals(List.of(), rids("a=rid:q send\r\n"), "no a=simulcast");
    }

    /** The rids read from the fixture with its rid/simulcast lines replaced by {@code lines}. */
    private static List<String> rids(String lines) throws Exception {
        String sdp = OFFER.replace("a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n", lines);
        return Offer.parse(sdp).media().get(1).rids();
    }
}
