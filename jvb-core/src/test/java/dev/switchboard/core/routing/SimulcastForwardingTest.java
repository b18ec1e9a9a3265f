package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.api.Simulcast;
import dev.switchboard.core.api.VideoCodec;
import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rewrite.Vp8Descriptor;
import dev.switchboard.core.rtcp.Nack;
import dev.switchboard.core.rtcp.Pli;
import dev.switchboard.core.rtcp.ReceiverReport;
import dev.switchboard.core.rtcp.RtcpPacket;
import dev.switchboard.core.rtcp.SenderReport;
import dev.switchboard.core.rtp.HeaderExtensions;
import dev.switchboard.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simulcast forwarding in a conference of three endpoints without transports: "a" sends three layers (rids q, h,
 * f, SSRCs learned from the rid extension), "b" and "c" receive. Decrypted packets are fed on the media loop and
 * what the bridge sends is captured before SRTP; the clock is manual.
 */
class SimulcastForwardingTest {
    private static final long BRIDGE_SSRC = 0x0B0B0B0BL;
    private static final long OUTPUT_SSRC = 0x5EED0001L;
    private static final long RTX_SSRC = 0x5EED0002L;
    private static final int MID_ID = 3;
    private static final int RID_ID = 4;
    private static final int REPAIRED_RID_ID = 5;
    private static final int SENDER_RTX_PT = 97;
    private static final String[] RIDS = {"q", "h", "f"};
    private static final long[] LAYER_SSRCS = {0x1000_0001L, 0x1000_0002L, 0x1000_0003L};
    /** Input sequence numbers of the layers at frame 0: h wraps around after three frames. */
    private static final int[] FIRST_SEQ = {100, 65533, 40000};
    private static final long[] FIRST_TS = {1_000, 500_000, 4_000_000_000L};
    private static final int[] FIRST_PICTURE_ID = {10, 30000, 5000};
    private static final int[] FIRST_TL0 = {1, 250, 100};
    private static final int[] HEIGHTS = {180, 360, 720};

    /** One packet the bridge sent: bytes before SRTP. */
    record Sent(byte[] bytes, boolean rtcp) {}

    private final ManualClock clock = new ManualClock();
    private final PacketPool pool = new PacketPool(64);
    private final Map<String, List<Sent>> sent = new HashMap<>();
    private MediaLoop loop;
    private RoutedConference conference;

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop("test-media", 256, pool);
        conference = new RoutedConference("simulcast", loop, pool, new BridgeCounters(), clock, TestConferences.noTransports(),
                Runnable::run, BRIDGE_SSRC, () -> { });
        for (String id : List.of("a", "b", "c")) {
            sent.put(id, new ArrayList<>());
            MediaDescription media = id.equals("a")
                    ? new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(0xA0L)),
                            MediaSource.simulcast(new Simulcast("1", List.of(RIDS), OUTPUT_SSRC, RTX_SSRC))), 0, 0,
                            MID_ID, RID_ID, Map.of(), REPAIRED_RID_ID, Map.of(SENDER_RTX_PT, 96))
                            .withVideoPayloadTypes(Map.of(96, VideoCodec.VP8))
                    : new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(0xB0L + id.charAt(0)))),
                            0, 0, 0, 0, id.equals("b") ? Map.of(96, 97) : Map.of()); // b takes RTX (apt 96)
            TestConferences.addEndpoint(conference, id, media); // no transports: it also applies the description
        }
        Map<String, TestConferences.Capture> captures = new HashMap<>();
        sent.forEach((id, list) -> captures.put(id, (bytes, rtcp) -> list.add(new Sent(bytes, rtcp))));
        TestConferences.connectForTesting(conference, captures);
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    @Test
    void eachReceiverGetsOneLayerAsOneStreamUnderTheSignaledSsrcWithoutMidAndRid() throws Exception {
        for (int frame = 0; frame < 6; frame++) {
            frame(frame, frame == 0);
        }
        for (String receiver : List.of("b", "c")) {
            List<byte[]> rtp = rtp(receiver);
            // q's keyframe arrives first (the only layer then), then h's: the default limit of 360 wants h
            assertEquals(7, rtp.size(), receiver);
            assertEquals(0, layerOf(rtp.get(0)));
            for (int i = 1; i < rtp.size(); i++) {
                assertEquals(1, layerOf(rtp.get(i)), receiver + " packet " + i);
            }
            assertContinuous(rtp);
            for (byte[] p : rtp) {
                assertEquals(OUTPUT_SSRC, RtpHeader.ssrc(p, 0));
                HeaderExtensions ext = new HeaderExtensions();
                assertFalse(ext.find(p, 0, p.length, MID_ID), "the sender's mid must not reach receivers");
                assertFalse(ext.find(p, 0, p.length, RID_ID), "nor its rid");
            }
        }
        assertEquals(List.of(), rtp("a"));

        sent.values().forEach(List::clear);
        byte[] unknown = layerPacket(1, 1, 1, 1, 1, false);
        unknown[8] = 0x33; // another SSRC, rid "x": no layer
        unknown[19] = 'x';
        rtp("a", unknown);
        byte[] unnamed = BridgeRtcpTest.rtp(0x3333_0000L, 1, 1, -1); // no rid at all
        rtp("a", unnamed);
        assertEquals(List.of(), rtp("b"), "an SSRC that names no layer is never forwarded under its own SSRC");
    }

    @Test
    void raisingAndLoweringTheConstraintSwitchesAtKeyframesOnlyWithContinuousNumbering() throws Exception {
        for (int frame = 0; frame < 3; frame++) {
            frame(frame, frame == 0);
        }
        sent.values().forEach(List::clear);
        conference.setVideoConstraints("b", new VideoConstraints(360, Map.of("a", 720)));
        frame(3, false);
        frame(4, false);
        assertEquals(List.of(1, 1), rtp("b").stream().map(SimulcastForwardingTest::layerOf).toList(),
                "no keyframe of f yet: b stays on h");
        assertEquals(List.of(pli(LAYER_SSRCS[2])), rtcpTo("a"), "one keyframe request for f (rate-limited)");
        clock.advanceMillis(300);
        frame(5, false);
        assertEquals(List.of(pli(LAYER_SSRCS[2]), pli(LAYER_SSRCS[2])), rtcpTo("a"), "asked again after 300 ms");
        frame(6, false, 2); // f's keyframe
        frame(7, false);
        assertEquals(List.of(1, 1, 1, 1, 2, 2), rtp("b").stream().map(SimulcastForwardingTest::layerOf).toList());
        assertEquals(List.of(1, 1, 1, 1, 1), rtp("c").stream().map(SimulcastForwardingTest::layerOf).toList(),
                "c keeps its own choice");

        conference.setVideoConstraints("b", new VideoConstraints(360, Map.of("a", 180)));
        frame(8, false);
        frame(9, false, 0); // q's keyframe
        frame(10, false);
        List<Integer> layers = rtp("b").stream().map(SimulcastForwardingTest::layerOf).toList();
        assertEquals(List.of(1, 1, 1, 1, 2, 2, 2, 0, 0), layers);
        assertContinuous(rtp("b"));
    }

    @Test
    void nacksNameTheRewrittenStreamAndAreAnsweredWithTheBytesFirstSent() throws Exception {
        for (int frame = 0; frame < 3; frame++) {
            frame(frame, frame == 0);
        }
        conference.setVideoConstraints("c", new VideoConstraints(720, Map.of()));
        frame(3, false, 2);
        frame(4, false);
        List<byte[]> forwarded = rtp("c"); // q, h, h, h, h, f, f
        assertEquals(List.of(0, 1, 1, 1, 1, 2, 2), forwarded.stream().map(SimulcastForwardingTest::layerOf).toList());
        int firstOut = RtpHeader.sequenceNumber(forwarded.get(0), 0);
        sent.values().forEach(List::clear);
        // c (no RTX negotiated): the second h packet, and both f packets; and one number never sent
        rtcp("c", new Nack(0xC1L, OUTPUT_SSRC, List.of(new Nack.Fci((firstOut + 2) & 0xFFFF, 0b1100),
                new Nack.Fci((firstOut + 100) & 0xFFFF, 0))));
        List<byte[]> resent = rtp("c");
        assertEquals(3, resent.size());
        assertArrayEquals(forwarded.get(2), resent.get(0));
        assertArrayEquals(forwarded.get(5), resent.get(1));
        assertArrayEquals(forwarded.get(6), resent.get(2));
        assertEquals(List.of(), rtcpTo("a"), "nothing passed on to the sender");
    }

    @Test
    void aReceiverThatNegotiatedRtxGetsRetransmissionsOnItsRtxStream() throws Exception {
        for (int frame = 0; frame < 3; frame++) {
            frame(frame, frame == 0);
        }
        List<byte[]> forwarded = rtp("b"); // q, h, h, h
        int firstOut = RtpHeader.sequenceNumber(forwarded.get(0), 0);
        sent.values().forEach(List::clear);
        rtcp("b", new Nack(0xB1L, OUTPUT_SSRC, List.of(new Nack.Fci((firstOut + 1) & 0xFFFF, 0b10))));
        rtcp("b", new Nack(0xB1L, OUTPUT_SSRC, List.of(new Nack.Fci((firstOut + 1) & 0xFFFF, 0))));
        List<byte[]> rtx = rtp("b");
        assertEquals(3, rtx.size());
        int[] originals = {1, 3, 1};
        for (int i = 0; i < rtx.size(); i++) {
            byte[] original = forwarded.get(originals[i]);
            byte[] expected = new byte[original.length + 2];
            int length = dev.switchboard.core.rtp.RtxPacket.toRtx(original, 0, original.length, expected, 0, RTX_SSRC,
                    97, i);
            assertEquals(expected.length, length);
            assertArrayEquals(expected, rtx.get(i), "RTX packet " + i + ": SSRC, PT 97, own sequence number, OSN");
        }
        assertEquals(List.of(), rtp("c"));
    }

    @Test
    void keyframeRequestsForTheRewrittenStreamGoToTheLayerForwarded() throws Exception {
        for (int frame = 0; frame < 3; frame++) {
            frame(frame, frame == 0);
        }
        sent.values().forEach(List::clear);
        rtcp("b", new Pli(0xB1L, OUTPUT_SSRC));
        assertEquals(List.of(pli(LAYER_SSRCS[1])), rtcpTo("a"));
    }

    @Test
    void senderReportsOfTheForwardedLayerReachEachReceiverInItsRewrittenTimeline() throws Exception {
        for (int frame = 0; frame < 6; frame++) {
            frame(frame, frame == 0);
        }
        List<byte[]> forwarded = rtp("b"); // q, then h from frame 0 on: 7 packets of 19 payload octets
        byte[] last = forwarded.get(forwarded.size() - 1);
        long delta = RtpHeader.timestamp(last, 0) - (FIRST_TS[1] + 3000L * 5);
        sent.values().forEach(List::clear);
        long ntp = 0xE1234567_89ABCDEFL;
        long rtpTime = FIRST_TS[1] + 3000L * 5 + 1500;
        rtcp("a", new SenderReport(LAYER_SSRCS[1], ntp, rtpTime, 6, 6 * 19, List.of()));
        rtcp("a", new SenderReport(LAYER_SSRCS[2], ntp, 123, 6, 6 * 19, List.of())); // nobody gets f
        String expected = Arrays.toString(TestConferences.compound(new ReceiverReport(BRIDGE_SSRC, List.of()),
                new SenderReport(OUTPUT_SSRC, ntp, (rtpTime + delta) & 0xFFFF_FFFFL, 7, 7 * 19, List.of())));
        assertEquals(List.of(expected), rtcpTo("b"));
        assertEquals(List.of(expected), rtcpTo("c"), "c got the same packets");
        assertEquals(List.of(), rtcpTo("a"));
    }

    @Test
    void aSendersRtxPacketIsTurnedBackIntoTheLostOriginalAndFillsTheGap() throws Exception {
        frame(0, true);
        clock.advanceMillis(33);
        byte[] lost = layerPacket(1, (FIRST_SEQ[1] + 1) & 0xFFFF, FIRST_TS[1] + 3000, FIRST_PICTURE_ID[1] + 1,
                FIRST_TL0[1] + 1, false);
        rtp("a", layerPacket(0, FIRST_SEQ[0] + 1, FIRST_TS[0] + 3000, FIRST_PICTURE_ID[0] + 1, FIRST_TL0[0] + 1,
                false)); // frame 1 of q and f; h's is lost
        rtp("a", layerPacket(2, FIRST_SEQ[2] + 1, FIRST_TS[2] + 3000, FIRST_PICTURE_ID[2] + 1, FIRST_TL0[2] + 1,
                false));
        frame(2, false);
        List<byte[]> forwarded = rtp("b"); // q(0), h(0), h(2)
        assertEquals(3, forwarded.size());
        sent.values().forEach(List::clear);

        long rtxSsrc = 0x2000_0002L;
        byte[] probe = layerPacket(1, 7, FIRST_TS[1], 0, 0, false);
        probe[18] = (byte) (REPAIRED_RID_ID << 4); // repaired-rid "h" instead of rid
        RtpFieldsForTest.paddingOnly(probe, rtxSsrc, SENDER_RTX_PT);
        rtp("a", probe);
        assertEquals(List.of(), rtp("b"), "a padding-only RTX probe is not forwarded");

        byte[] repair = lost.clone();
        repair[18] = (byte) (REPAIRED_RID_ID << 4);
        byte[] rtx = new byte[repair.length + 2];
        dev.switchboard.core.rtp.RtxPacket.toRtx(repair, 0, repair.length, rtx, 0, rtxSsrc, SENDER_RTX_PT, 8);
        rtp("a", rtx);
        List<byte[]> repaired = rtp("b");
        assertEquals(1, repaired.size());
        byte[] p = repaired.get(0);
        assertEquals((RtpHeader.sequenceNumber(forwarded.get(1), 0) + 1) & 0xFFFF, RtpHeader.sequenceNumber(p, 0),
                "the number the lost packet would have had");
        assertEquals(OUTPUT_SSRC, RtpHeader.ssrc(p, 0));
        assertEquals(96, RtpHeader.payloadType(p, 0));
        assertEquals((Vp8Descriptor.pictureId(forwarded.get(1), 20, 19) + 1) & 0x7FFF,
                Vp8Descriptor.pictureId(p, 20, p.length - 20));
        assertArrayEquals(Arrays.copyOfRange(lost, 25, lost.length), Arrays.copyOfRange(p, 25, p.length),
                "the original payload");
        HeaderExtensions ext = new HeaderExtensions();
        assertFalse(ext.find(p, 0, p.length, REPAIRED_RID_ID), "repaired-rid erased too");
        TestConferences.onLoop(loop, () -> conference.rtcp().tick());
        assertEquals(List.of(), rtcpTo("a"), "the bridge does not NACK what the RTX packet repaired");
    }

    @Test
    void copiesOfForwardedPacketsAndLateKeyframesNeitherReachReceiversNorSwitchLayers() throws Exception {
        for (int frame = 0; frame < 3; frame++) {
            frame(frame, frame == 0);
        }
        conference.setVideoConstraints("b", new VideoConstraints(720, Map.of()));
        sent.values().forEach(List::clear);
        // Chrome's RTX padding is made of recent packets: here f's keyframe of frame 0, again
        byte[] copy = layerPacket(2, FIRST_SEQ[2], FIRST_TS[2], FIRST_PICTURE_ID[2], FIRST_TL0[2], true);
        copy[18] = (byte) (REPAIRED_RID_ID << 4);
        byte[] rtx = new byte[copy.length + 2];
        dev.switchboard.core.rtp.RtxPacket.toRtx(copy, 0, copy.length, rtx, 0, 0x2000_0003L, SENDER_RTX_PT, 1);
        rtp("a", rtx);
        assertEquals(List.of(), rtp("b"), "an old keyframe does not switch b to f");
        assertEquals(List.of(), rtp("c"), "nor is it forwarded again to c");
        frame(3, false);
        assertEquals(List.of(1), rtp("b").stream().map(SimulcastForwardingTest::layerOf).toList(), "b still on h");
        sent.values().forEach(List::clear);
        frame(4, false, 2);
        assertEquals(List.of(1, 2), rtp("b").stream().map(SimulcastForwardingTest::layerOf).toList(),
                "the next fresh keyframe of f switches");
    }

    // ---- helpers ----

    /** Test-only packet surgery. */
    private static final class RtpFieldsForTest {
        /** Makes {@code p} a padding-only packet (payload all padding) of {@code ssrc} with payload type {@code pt}. */
        static void paddingOnly(byte[] p, long ssrc, int pt) {
            p[0] |= 0x20;
            p[1] = (byte) pt;
            for (int i = 0; i < 4; i++) {
                p[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
            }
            java.util.Arrays.fill(p, 20, p.length, (byte) 0);
            p[p.length - 1] = (byte) (p.length - 20);
        }
    }

    @Test
    void sourcesThatReplaceRetiredOnesReuseTheirIndexesAndReceiversGetThemUnderTheirOwnSsrcs() throws Exception {
        for (int frame = 0; frame < 3; frame++) {
            frame(frame, frame == 0);
        }
        assertTrue(rtp("b").stream().allMatch(p -> RtpHeader.ssrc(p, 0) == OUTPUT_SSRC));
        int frame = 3;
        // the replacement is created before the old source retires (index 1); the next one takes index 0 again
        int[] expectedIndex = {1, 0};
        for (int round = 0; round < 2; round++) {
            long output = 0x5EED0101L + 0x100L * round;
            MediaDescription renegotiated = new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO,
                    List.of(0xA0L)), MediaSource.simulcast(new Simulcast("1", List.of(RIDS), output, output + 1))),
                    0, 0, MID_ID, RID_ID, Map.of(), REPAIRED_RID_ID, Map.of(SENDER_RTX_PT, 96))
                    .withVideoPayloadTypes(Map.of(96, VideoCodec.VP8));
            conference.updateMedia("a", renegotiated);
            int expected = expectedIndex[round];
            onLoop(() -> assertEquals(expected, endpoint("a").simulcastSources()[0].index));
            sent.values().forEach(List::clear);
            for (int end = frame + 3; frame < end; frame++) {
                frame(frame, frame == end - 3);
            }
            for (String receiver : List.of("b", "c")) {
                List<byte[]> rtp = rtp(receiver);
                assertFalse(rtp.isEmpty(), receiver);
                for (byte[] p : rtp) {
                    assertEquals(output, RtpHeader.ssrc(p, 0), receiver + ": the new source's forwarder");
                }
            }
        }
    }

    private void frame(int frame, boolean keyframes) throws Exception {
        frame(frame, keyframes, -1);
    }

    /** One frame (one packet) on each layer, 33 ms after the previous; keyframes on all or on one layer. */
    private void frame(int frame, boolean keyframes, int keyframeLayer) throws Exception {
        clock.advanceMillis(33);
        for (int layer = 0; layer < 3; layer++) {
            boolean key = keyframes || layer == keyframeLayer;
            rtp("a", layerPacket(layer, (FIRST_SEQ[layer] + frame) & 0xFFFF,
                    (FIRST_TS[layer] + 3000L * frame) & 0xFFFF_FFFFL, (FIRST_PICTURE_ID[layer] + frame) & 0x7FFF,
                    (FIRST_TL0[layer] + frame) & 0xFF, key));
        }
    }

    /** A VP8 packet with mid and rid extensions, a long picture ID and TL0PICIDX; its last byte is the layer. */
    static byte[] layerPacket(int layer, int seq, long ts, int pictureId, int tl0, boolean keyframe) {
        byte[] rid = RIDS[layer].getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[12 + 8 + 5 + 10 + 4];
        p[0] = (byte) 0x90;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ts >>> (24 - 8 * i));
            p[8 + i] = (byte) (LAYER_SSRCS[layer] >>> (24 - 8 * i));
        }
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1;
        p[16] = (byte) (MID_ID << 4); // mid "1"
        p[17] = '1';
        p[18] = (byte) (RID_ID << 4); // one-byte rid
        p[19] = rid[0];
        int d = 20;
        p[d] = (byte) 0x90; // X, S, partition 0
        p[d + 1] = (byte) 0xC0; // I, L
        p[d + 2] = (byte) (0x80 | (pictureId >>> 8));
        p[d + 3] = (byte) pictureId;
        p[d + 4] = (byte) tl0;
        int v = d + 5;
        p[v] = (byte) (keyframe ? 0x00 : 0x01); // frame tag: P bit
        if (keyframe) {
            p[v + 3] = (byte) 0x9D;
            p[v + 4] = 0x01;
            p[v + 5] = 0x2A;
            p[v + 6] = (byte) (HEIGHTS[layer] * 16 / 9);
            p[v + 7] = (byte) ((HEIGHTS[layer] * 16 / 9) >>> 8);
            p[v + 8] = (byte) HEIGHTS[layer];
            p[v + 9] = (byte) (HEIGHTS[layer] >>> 8);
        }
        p[p.length - 1] = (byte) layer;
        return p;
    }

    private static int layerOf(byte[] packet) {
        return packet[packet.length - 1];
    }

    /** Sequence numbers +1 each, timestamps increasing, VP8 picture IDs +1 and TL0PICIDX +1 (one frame each). */
    private static void assertContinuous(List<byte[]> rtp) {
        for (int i = 1; i < rtp.size(); i++) {
            byte[] prev = rtp.get(i - 1);
            byte[] p = rtp.get(i);
            assertEquals((RtpHeader.sequenceNumber(prev, 0) + 1) & 0xFFFF, RtpHeader.sequenceNumber(p, 0),
                    "sequence number of packet " + i);
            long tsStep = (RtpHeader.timestamp(p, 0) - RtpHeader.timestamp(prev, 0)) & 0xFFFF_FFFFL;
            assertTrue(tsStep > 0 && tsStep < 90_000, "timestamp of packet " + i + " moved by " + tsStep);
            assertEquals((Vp8Descriptor.pictureId(prev, 20, p.length - 20) + 1) & 0x7FFF,
                    Vp8Descriptor.pictureId(p, 20, p.length - 20), "picture ID of packet " + i);
            assertEquals((Vp8Descriptor.tl0PicIdx(prev, 20, p.length - 20) + 1) & 0xFF,
                    Vp8Descriptor.tl0PicIdx(p, 20, p.length - 20), "TL0PICIDX of packet " + i);
        }
    }

    private List<byte[]> rtp(String to) {
        return sent.get(to).stream().filter(s -> !s.rtcp()).map(Sent::bytes).toList();
    }

    private List<String> rtcpTo(String to) {
        return sent.get(to).stream().filter(Sent::rtcp).map(s -> Arrays.toString(s.bytes())).toList();
    }

    private static String pli(long mediaSsrc) {
        return Arrays.toString(TestConferences.compound(new Pli(BRIDGE_SSRC, mediaSsrc)));
    }

    private void rtp(String from, byte[] bytes) throws Exception {
        TestConferences.rtp(conference, pool, from, bytes, clock.getAsLong());
    }

    private void rtcp(String from, RtcpPacket... packets) throws Exception {
        TestConferences.rtcp(conference, pool, from, TestConferences.compound(packets), clock.getAsLong());
    }

    private void onLoop(Runnable task) throws Exception {
        TestConferences.onLoop(loop, task);
    }

    private BridgeEndpoint endpoint(String id) {
        return TestConferences.endpoint(conference, id);
    }
}
