package dev.switchboard.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.signaling.FakeMediaBridge;
import dev.switchboard.signaling.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerBuilderTest {
    private static final SendTrack AUDIO_TRACK = new SendTrack(1111L, "cnameA", "EndpointA1", "EndpointA1-a-0");
    private static final SendTrack VIDEO_TRACK = new SendTrack(2222L, "cnameA", "EndpointA1", "EndpointA1-v-1");

    @Test
    void aPassiveTcpCandidateFollowsTheUdpOneWhichStaysTheDefault() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY));
        TransportDescription udpOnly = FakeMediaBridge.bridgeTransport("brdg", offer.remoteDtlsRole());
        TransportDescription bridge = new TransportDescription(udpOnly.ice(), List.of(udpOnly.candidates().get(0),
                new dev.switchboard.core.api.IceCandidate("2", 1, "tcp", 1518280447L, "127.0.0.1", 4443, "host", null,
                        0, "passive")), udpOnly.fingerprints(), udpOnly.dtlsRole());
        SessionDescription answer = AnswerBuilder.build(offer, Map.of("2", AUDIO_TRACK, "3", VIDEO_TRACK), bridge,
                42, 3);
        assertEquals(answer, SdpParser.parse(answer.toString()));
        MediaSection first = answer.mediaSections().get(0);
        assertEquals(List.of("1 1 udp 2130706431 127.0.0.1 10000 typ host",
                "2 1 tcp 1518280447 127.0.0.1 4443 typ host tcptype passive"), first.attributes("candidate"));
        assertEquals(10000, first.port(), "the m= line names the UDP candidate");
    }

    @Test
    void answersEverySectionOfAnOfferWithSendingAndReceivingSections() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY));
        TransportDescription bridge = FakeMediaBridge.bridgeTransport("brdg", offer.remoteDtlsRole());
        SessionDescription answer = AnswerBuilder.build(offer, Map.of("2", AUDIO_TRACK, "3", VIDEO_TRACK), bridge,
                42, 3);
        // the answer is valid SDP and round-trips
        assertEquals(answer, SdpParser.parse(answer.toString()));
        assertTrue(answer.toString().startsWith("v=0\r\no=- 42 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"));
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), answer.bundleMids());

        List<MediaSection> m = answer.mediaSections();
        assertEquals(6, m.size());
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY,
                Direction.INACTIVE, Direction.INACTIVE), m.stream().map(MediaSection::direction).toList());
        for (int i = 0; i < m.size(); i++) {
            MediaSection s = m.get(i);
            assertEquals(String.valueOf(i), s.mid().orElseThrow());
            assertEquals(10000, s.port());
            assertEquals("brdg", s.attribute("ice-ufrag").orElseThrow());
            assertEquals("bridgepassword0123456789", s.attribute("ice-pwd").orElseThrow());
            assertEquals("sha-256 " + FakeMediaBridge.FINGERPRINT, s.attribute("fingerprint").orElseThrow());
            assertEquals("passive", s.attribute("setup").orElseThrow());
            assertTrue(s.hasAttribute("rtcp-mux"));
            assertTrue(s.hasAttribute("rtcp-rsize"));
            assertEquals(List.of("1 1 udp 2130706431 127.0.0.1 10000 typ host"), s.attributes("candidate"));
            assertTrue(s.hasAttribute("end-of-candidates"));
            assertEquals("IN IP4 127.0.0.1", s.lines().get(0).value());
            for (String extmap : s.attributes("extmap")) {
                assertTrue(extmap.equals("1 " + CodecPolicy.AUDIO_LEVEL_URI)
                        || extmap.equals("3 " + CodecPolicy.TRANSPORT_CC_URI)
                        || extmap.equals("2 " + CodecPolicy.ABS_SEND_TIME_URI)
                        || extmap.equals("13 " + CodecPolicy.VIDEO_ORIENTATION_URI),
                        "only audio level, transport-wide sequence numbers, abs-send-time and video orientation may "
                                + "be negotiated: " + extmap);
            }
            for (String fb : s.attributes("rtcp-fb")) {
                assertFalse(fb.contains("goog-remb"), fb);
            }
        }
        assertFalse(answer.toString().contains("sdes:mid"));
        assertFalse(answer.toString().contains("rtp-stream-id"));

        // sending sections carry the source's msid and ssrc lines, stream id = sending endpoint id
        MediaSection audioOut = m.get(2);
        assertEquals("EndpointA1 EndpointA1-a-0", audioOut.attribute("msid").orElseThrow());
        assertEquals(List.of("1111 cname:cnameA", "1111 msid:EndpointA1 EndpointA1-a-0"), audioOut.attributes("ssrc"));
        assertEquals(List.of("2222 cname:cnameA", "2222 msid:EndpointA1 EndpointA1-v-1"), m.get(3).attributes("ssrc"));
        // nobody else's sections carry ssrc lines
        for (int i : new int[] {0, 1, 4, 5}) {
            assertTrue(m.get(i).attributes("ssrc").isEmpty());
            assertTrue(m.get(i).attribute("msid").isEmpty());
        }
    }

    @Test
    void keepsOnlyOpusAndVp8Vp9H264() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_AV));
        SessionDescription answer = AnswerBuilder.build(offer, Map.of(),
                FakeMediaBridge.bridgeTransport("brdg", DtlsRole.CLIENT), 1, 1);
        MediaSection audio = answer.mediaSections().get(0);
        assertEquals(List.of("111"), audio.mediaLine().formats());
        assertEquals(List.of("111 opus/48000/2"), audio.attributes("rtpmap"));
        assertEquals(List.of("111 minptime=10;useinbandfec=1"), audio.attributes("fmtp"));
        assertEquals(List.of("111 transport-cc"), audio.attributes("rtcp-fb"));
        assertEquals(List.of("1 " + CodecPolicy.AUDIO_LEVEL_URI, "3 " + CodecPolicy.TRANSPORT_CC_URI),
                audio.attributes("extmap"));

        MediaSection video = answer.mediaSections().get(1);
        // offer order: VP8 96, H264 (102 104 108 114 116 39 offered; AV1 45 dropped), VP9 98 100; H264's own
        // payload types best first: packetization-mode 1 before 0, and 42e01f first within each; then the RTX
        // payload types of those in the offer's order (the section's SSRC has an RTX stream: a=ssrc-group:FID),
        // not AV1's 46 nor RED's 119
        assertEquals(List.of("96", "108", "102", "116", "114", "104", "39", "98", "100",
                "97", "103", "107", "109", "115", "117", "40", "99", "101"), video.mediaLine().formats());
        for (String rtpmap : video.attributes("rtpmap")) {
            String codec = rtpmap.split(" ")[1];
            assertTrue(codec.equals("VP8/90000") || codec.equals("VP9/90000") || codec.equals("H264/90000")
                    || codec.equals("rtx/90000"), codec);
        }
        assertEquals(18, video.attributes("rtpmap").size());
        assertEquals(List.of("97 apt=96", "103 apt=102", "107 apt=104", "109 apt=108", "115 apt=114", "117 apt=116",
                "40 apt=39", "99 apt=98", "101 apt=100"), video.attributes("fmtp").stream()
                        .filter(f -> f.contains("apt=")).toList());
        assertEquals(List.of("96 ccm fir", "96 nack", "96 nack pli", "96 transport-cc"),
                video.attributes("rtcp-fb").stream().filter(f -> f.startsWith("96 ")).sorted().toList());
        assertEquals(List.of("2 " + CodecPolicy.ABS_SEND_TIME_URI, "13 " + CodecPolicy.VIDEO_ORIENTATION_URI,
                "3 " + CodecPolicy.TRANSPORT_CC_URI), video.attributes("extmap"), "the offer's order, its ids");
        assertTrue(video.attributes("ssrc-group").isEmpty());
    }

    /** Chromium's single-stream video with its FID group repairs with RTX; without the group there is no RTX. */
    @Test
    void aPublishedVideoSectionKeepsRtxOnlyWhenItsSsrcHasAnRtxStream() throws Exception {
        String sdp = Fixtures.sdp(Fixtures.SENDONLY_AV);
        Offer offer = Offer.parse(sdp);
        assertEquals(2306251897L, offer.media().get(1).rtxSsrc(), "a=ssrc-group:FID 2310282495 2306251897");
        assertTrue(offer.media().get(1).singleStreamRtx());
        assertEquals(-1, offer.media().get(0).rtxSsrc(), "audio");

        Offer withoutGroup = Offer.parse(sdp.replace("a=ssrc-group:FID 2310282495 2306251897\r\n", ""));
        assertEquals(-1, withoutGroup.media().get(1).rtxSsrc());
        assertFalse(withoutGroup.media().get(1).singleStreamRtx());
        MediaSection video = AnswerBuilder.build(withoutGroup, Map.of(),
                FakeMediaBridge.bridgeTransport("brdg", DtlsRole.CLIENT), 1, 1).mediaSections().get(1);
        assertEquals(List.of("96", "108", "102", "116", "114", "104", "39", "98", "100"),
                video.mediaLine().formats());
        assertTrue(video.attributes("fmtp").stream().noneMatch(f -> f.contains("apt=")), video.toString());
    }

    @Test
    void aReceivedSingleStreamSourceWithAnRtxSsrcGetsTheOfferedRtxAndAnFidGroup() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY));
        SendTrack withRtx = new SendTrack(2222L, "cnameA", "EndpointA1", "EndpointA1-v-1", 3333L);
        SessionDescription answer = AnswerBuilder.build(offer, Map.of("2", AUDIO_TRACK, "3", withRtx),
                FakeMediaBridge.bridgeTransport("brdg", offer.remoteDtlsRole()), 42, 3);
        assertEquals(answer, SdpParser.parse(answer.toString()));
        MediaSection video = answer.mediaSections().get(3);
        assertEquals(Direction.SENDONLY, video.direction());
        assertTrue(video.attributes("rtpmap").contains("97 rtx/90000"), video.toString());
        assertTrue(video.attributes("fmtp").contains("97 apt=96"), video.toString());
        assertEquals(List.of("FID 2222 3333"), video.attributes("ssrc-group"));
        assertEquals(List.of("2222 cname:cnameA", "2222 msid:EndpointA1 EndpointA1-v-1", "3333 cname:cnameA",
                "3333 msid:EndpointA1 EndpointA1-v-1"), video.attributes("ssrc"));
        MediaSection audio = answer.mediaSections().get(2);
        assertTrue(audio.attributes("ssrc-group").isEmpty());
    }

    @Test
    void passiveOfferGetsAnActiveAnswer() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_AV).replace("a=setup:actpass", "a=setup:passive"));
        TransportDescription bridge = FakeMediaBridge.bridgeTransport("brdg", offer.remoteDtlsRole());
        assertEquals(DtlsRole.CLIENT, bridge.dtlsRole());
        SessionDescription answer = AnswerBuilder.build(offer, Map.of(), bridge, 1, 1);
        for (MediaSection s : answer.mediaSections()) {
            assertEquals("active", s.attribute("setup").orElseThrow());
        }
    }

    @Test
    void dataChannelsAreRejected() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.DATACHANNEL));
        SessionDescription answer = AnswerBuilder.build(offer, Map.of(),
                FakeMediaBridge.bridgeTransport("brdg", DtlsRole.CLIENT), 1, 1);
        assertEquals(List.of("0", "1"), answer.bundleMids());
        MediaSection application = answer.mediaSections().get(2);
        assertEquals("m=application 0 UDP/DTLS/SCTP webrtc-datachannel", application.toString());
        assertEquals("2", application.mid().orElseThrow());
        assertFalse(application.hasAttribute("ice-ufrag"));
    }

    @Test
    void stoppedSectionsAreAnsweredWithPortZero() throws Exception {
        String sdp = Fixtures.sdp(Fixtures.SENDONLY_RECVONLY);
        // stop the last transceiver (mid 5): Chromium then offers port 0 for it
        int last = sdp.lastIndexOf("m=video 9 ");
        String stopped = sdp.substring(0, last) + "m=video 0 " + sdp.substring(last + "m=video 9 ".length());
        Offer offer = Offer.parse(stopped);
        assertTrue(offer.media().get(5).rejected());
        SessionDescription answer = AnswerBuilder.build(offer, Map.of(),
                FakeMediaBridge.bridgeTransport("brdg", DtlsRole.CLIENT), 1, 1);
        assertEquals(0, answer.mediaSections().get(5).port());
        assertEquals(List.of("0", "1", "2", "3", "4"), answer.bundleMids());
    }

    @Test
    void candidatesInTheOfferDoNotChangeTheAnswerShape() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.WITH_CANDIDATES));
        SessionDescription answer = AnswerBuilder.build(offer, Map.of(),
                FakeMediaBridge.bridgeTransport("brdg", DtlsRole.CLIENT), 1, 1);
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY, Direction.INACTIVE),
                answer.mediaSections().stream().map(MediaSection::direction).toList());
        assertFalse(answer.toString().contains("35001"), "the participant's candidates are not echoed");
    }
}
