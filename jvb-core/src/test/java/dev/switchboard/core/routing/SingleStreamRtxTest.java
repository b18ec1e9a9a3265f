package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtcp.Nack;
import dev.switchboard.core.rtcp.RtcpPacket;
import dev.switchboard.core.rtcp.SenderReport;
import dev.switchboard.core.rtp.RtxPacket;
import dev.switchboard.core.testing.Hex;
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RTX (RFC 4588) for a single-stream video source, both ways, in a conference without transports: a sends video
 * (SSRC {@link #VIDEO}) with its own RTX stream ({@link #SENDER_RTX}, payload type 97 repairing 96); b receives
 * it with RTX negotiated (97 for 96), c without. What the bridge sends is captured before SRTP.
 */
class SingleStreamRtxTest {
    private static final long BRIDGE_SSRC = 0x0B0B0B0BL;
    private static final long VIDEO = 0x2222_0001L;
    private static final long SENDER_RTX = 0x2222_0002L;
    /** The bridge's RTX stream of a's video toward receivers (chosen by signaling). */
    private static final long OUTPUT_RTX = 0x2222_00F0L;
    private static final int VP8 = 96;
    private static final int RTX_PT = 97;

    private final ManualClock clock = new ManualClock();
    private final PacketPool pool = new PacketPool(64);
    private final BridgeCounters counters = new BridgeCounters();
    private final Map<String, List<BridgeRtcpTest.Sent>> sent = new HashMap<>();
    private MediaLoop loop;
    private RoutedConference conference;

    static MediaDescription sender(long outputRtx) {
        return new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(0x2222_0000L)),
                MediaSource.video(VIDEO, SENDER_RTX, outputRtx)), 0, 0, 0, 0, Map.of(), 0, Map.of(RTX_PT, VP8));
    }

    static MediaDescription receiver(String id, Map<Integer, Integer> rtx) {
        return new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(audio(id)))), 0, 0, 0, 0, rtx);
    }

    static long audio(String id) {
        return 0x1111_0000L + id.charAt(0);
    }

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop("test-media", 256, pool);
        conference = new RoutedConference("rtx", loop, pool, counters, clock, TestConferences.noTransports(),
                Runnable::run, BRIDGE_SSRC, () -> { });
        TestConferences.addEndpoint(conference, "a", sender(OUTPUT_RTX));
        TestConferences.addEndpoint(conference, "b", receiver("b", Map.of(VP8, RTX_PT)));
        TestConferences.addEndpoint(conference, "c", receiver("c", Map.of()));
        Map<String, TestConferences.Capture> captures = new HashMap<>();
        for (String id : List.of("a", "b", "c")) {
            List<BridgeRtcpTest.Sent> list = new ArrayList<>();
            sent.put(id, list);
            captures.put(id, (bytes, rtcp) -> list.add(new BridgeRtcpTest.Sent(bytes, rtcp)));
        }
        TestConferences.connectForTesting(conference, captures);
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    @Test
    void nacksAreAnsweredOnTheReceiversRtxStreamWithItsOwnNumbersAndPlainlyWithoutRtx() throws Exception {
        List<byte[]> packets = new ArrayList<>();
        for (int seq = 10; seq <= 14; seq++) {
            byte[] packet = BridgeRtcpTest.rtp(VIDEO, seq, seq * 3000L, -1);
            packets.add(packet);
            rtp("a", packet);
        }
        clear();

        rtcp("b", new Nack(audio("b"), VIDEO, List.of(new Nack.Fci(12, 0b10)))); // 12 and 14
        rtcp("b", new Nack(audio("b"), VIDEO, List.of(new Nack.Fci(12, 0))));
        List<BridgeRtcpTest.Sent> toB = sent.get("b");
        assertEquals(3, toB.size(), toB.toString());
        int[] osns = {12, 14, 12};
        for (int i = 0; i < 3; i++) {
            byte[] original = packets.get(osns[i] - 10);
            byte[] expected = new byte[original.length + RtxPacket.OSN_LENGTH];
            RtxPacket.toRtx(original, 0, original.length, expected, 0, OUTPUT_RTX, RTX_PT, i);
            assertArrayEquals(expected, toB.get(i).bytes(), "RTX " + i + ": b's RTX SSRC, PT 97, seq " + i
                    + ", OSN " + osns[i] + "; was " + Hex.of(toB.get(i).bytes()));
        }

        rtcp("c", new Nack(audio("c"), VIDEO, List.of(new Nack.Fci(13, 0))));
        assertEquals(List.of(new BridgeRtcpTest.Sent(packets.get(3), false)).toString(), sent.get("c").toString(),
                "c negotiated no RTX: the packet itself, byte for byte");
        assertEquals(List.of(), sent.get("a"));
        assertEquals(4, counters.retransmissionsSent());
        assertEquals(3, counters.rtxRetransmissionsSent());
    }

    @Test
    void withoutAnOutputRtxStreamEveryReceiverGetsPlainRetransmissions() throws Exception {
        conference.updateMedia("a", sender(-1));
        byte[] packet = BridgeRtcpTest.rtp(VIDEO, 5, 15_000L, -1);
        rtp("a", packet);
        clear();
        rtcp("b", new Nack(audio("b"), VIDEO, List.of(new Nack.Fci(5, 0))));
        assertEquals(List.of(new BridgeRtcpTest.Sent(packet, false)).toString(), sent.get("b").toString());
        assertEquals(0, counters.rtxRetransmissionsSent());
    }

    @Test
    void theSendersRtxPacketIsTurnedBackIntoTheLostOriginalForEveryReceiver() throws Exception {
        byte[] p10 = BridgeRtcpTest.rtp(VIDEO, 10, 30_000L, -1);
        byte[] lost = BridgeRtcpTest.rtp(VIDEO, 11, 33_000L, -1);
        byte[] p12 = BridgeRtcpTest.rtp(VIDEO, 12, 36_000L, -1);
        rtp("a", p10);
        rtp("a", p12);
        tick();
        assertEquals(1, sent.get("a").size(), "the bridge NACKs 11");
        clear();

        byte[] rtx = new byte[lost.length + RtxPacket.OSN_LENGTH];
        RtxPacket.toRtx(lost, 0, lost.length, rtx, 0, SENDER_RTX, RTX_PT, 500);
        rtp("a", rtx);
        for (String receiver : List.of("b", "c")) {
            assertEquals(List.of(new BridgeRtcpTest.Sent(lost, false)).toString(), sent.get(receiver).toString(),
                    receiver + " gets the original: a's SSRC, PT 96, seq 11");
        }
        assertEquals(1, counters.rtxPacketsReceived());
        assertEquals(1L, (long) onLoop(() -> endpoint("a").incomingStream(SENDER_RTX).statistics.received()));

        clear();
        clock.advanceMillis(200);
        tick();
        assertEquals(List.of(), sent.get("a"), "11 is no longer NACKed");

        // the same repair again (or Chrome's RTX padding made of recent packets): the bridge has it, not forwarded
        RtxPacket.toRtx(p12, 0, p12.length, rtx, 0, SENDER_RTX, RTX_PT, 501);
        rtp("a", rtx);
        assertEquals(List.of(), sent.get("b"));
        assertEquals(List.of(), sent.get("c"));

        // the cache keeps the repaired original: b's NACK for 11 is answered
        rtcp("b", new Nack(audio("b"), VIDEO, List.of(new Nack.Fci(11, 0))));
        byte[] expected = new byte[rtx.length];
        RtxPacket.toRtx(lost, 0, lost.length, expected, 0, OUTPUT_RTX, RTX_PT, 0);
        assertArrayEquals(expected, sent.get("b").get(0).bytes());
    }

    @Test
    void paddingOnlyRtxIsCountedAndDropped() throws Exception {
        byte[] probe = Hex.bytes(
                "a0 61 0007", //   V=2 P=1 | PT=97 | RTX seq 7
                "00002710", //     timestamp
                "22220002", //     a's RTX SSRC
                "00000000 00000000 0000000c"); // padding only: all 12 bytes, no OSN
        rtp("a", probe);
        rtp("a", probe.clone());
        assertEquals(List.of(), sent.get("b"));
        assertEquals(List.of(), sent.get("c"));
        assertEquals(2, counters.dropped(DropReason.RTX_PADDING));
        assertEquals(0, counters.rtxPacketsReceived());
    }

    @Test
    void senderReportsOfTheSendersRtxStreamStayAtTheBridge() throws Exception {
        rtcp("a", new SenderReport(SENDER_RTX, 0x0000_1234_5678_0000L, 90_000, 3, 300, List.of()));
        assertEquals(List.of(), sent.get("b"));
        rtcp("a", new SenderReport(VIDEO, 0x0000_1234_5678_0000L, 90_000, 30, 3000, List.of()));
        assertEquals(1, sent.get("b").size(), "the media SSRC's SR is forwarded as before");
    }

    @Test
    void renegotiationKeepsTheRtxStreamsStateAndASourceThatLeavesTakesItsRtxStreamAlong() throws Exception {
        rtp("a", BridgeRtcpTest.rtp(VIDEO, 1, 3000L, -1));
        rtcp("b", new Nack(audio("b"), VIDEO, List.of(new Nack.Fci(1, 0))));
        IncomingStream rtxBefore = onLoop(() -> endpoint("a").incomingStream(SENDER_RTX));
        assertNotNull(rtxBefore);
        assertNotNull(onLoop(() -> endpoint("b").rtxStreams().existing(OUTPUT_RTX)));

        conference.updateMedia("a", sender(OUTPUT_RTX));
        assertEquals(rtxBefore, onLoop(() -> endpoint("a").incomingStream(SENDER_RTX)), "same state object");

        conference.updateMedia("a", new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO,
                List.of(0x2222_0000L)))));
        onLoop(() -> null);
        assertNull(onLoop(() -> endpoint("a").incomingStream(SENDER_RTX)));
        assertNull(onLoop(() -> endpoint("b").rtxStreams().existing(OUTPUT_RTX)), "the source is gone");
    }

    private void clear() {
        sent.values().forEach(List::clear);
    }

    private void tick() throws Exception {
        TestConferences.onLoop(loop, () -> conference.rtcp().tick());
    }

    private void rtp(String from, byte[] packet) throws Exception {
        TestConferences.rtp(conference, pool, from, packet, clock.getAsLong());
    }

    private void rtcp(String from, RtcpPacket... packets) throws Exception {
        TestConferences.rtcp(conference, pool, from, TestConferences.compound(packets), clock.getAsLong());
    }

    private BridgeEndpoint endpoint(String id) {
        return TestConferences.endpoint(conference, id);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return TestConferences.onLoop(loop, task);
    }

    @Test
    void thePacketsOfTheFixtureAreWhatTheTestsSay() {
        byte[] p = BridgeRtcpTest.rtp(VIDEO, 11, 33_000L, -1);
        assertEquals(VP8, RtpHeader.payloadType(p, 0));
        assertEquals(VIDEO, RtpHeader.ssrc(p, 0));
    }
}
