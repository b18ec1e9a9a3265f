package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.rtcp.Bye;
import dev.switchboard.core.rtcp.CompoundRtcp;
import dev.switchboard.core.rtcp.Fir;
import dev.switchboard.core.rtcp.Nack;
import dev.switchboard.core.rtcp.Pli;
import dev.switchboard.core.rtcp.ReceiverReport;
import dev.switchboard.core.rtcp.Remb;
import dev.switchboard.core.rtcp.ReportBlock;
import dev.switchboard.core.rtcp.RtcpPacket;
import dev.switchboard.core.rtcp.Sdes;
import dev.switchboard.core.rtcp.SenderReport;
import dev.switchboard.core.rtcp.TransportCc;
import dev.switchboard.core.testing.Hex;
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's RTCP in a conference of three endpoints without transports: decrypted packets are fed on the
 * media loop as {@link BridgeEndpoint#handlePacket} would after SRTP, and what the bridge sends each endpoint
 * is captured before SRTP. The clock is manual; periodic work runs when the test calls the tick.
 */
class BridgeRtcpTest {
    private static final long BRIDGE_SSRC = 0x0B0B0B0BL;
    private static final int AUDIO_LEVEL_ID = 1;
    private static final int TRANSPORT_CC_ID = 5;
    private static final long MS = 1_000_000L;

    /** What the bridge sent one endpoint: the bytes before SRTP, and whether they were RTCP. */
    record Sent(byte[] bytes, boolean rtcp) {
        @Override
        public String toString() {
            return (rtcp ? "RTCP " : "RTP ") + Hex.of(bytes);
        }
    }

    private final ManualClock clock = new ManualClock();
    private final PacketPool pool = new PacketPool(64);
    private final BridgeCounters counters = new BridgeCounters();
    private final Map<String, List<Sent>> sent = new HashMap<>();
    private MediaLoop loop;
    private RoutedConference conference;

    static long audioSsrc(String id) {
        return 0x1111_0001L * (id.charAt(0) - 'a' + 1);
    }

    static long videoSsrc(String id) {
        return 0x1111_0001L * (id.charAt(0) - 'a' + 1) + 1;
    }

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop("test-media", 256, pool);
        conference = new RoutedConference("rtcp", loop, pool, counters, clock, TestConferences.noTransports(),
                Runnable::run, BRIDGE_SSRC, () -> { });
        for (String id : List.of("a", "b", "c")) {
            sent.put(id, new ArrayList<>());
            TransportDescription remote = new TransportDescription(new IceParameters("r" + id, "p"), List.of(),
                    List.of(new Fingerprint("sha-256", "00")), DtlsRole.CLIENT);
            MediaDescription media = new MediaDescription(List.of(
                    new MediaSource(MediaKind.AUDIO, List.of(audioSsrc(id))),
                    new MediaSource(MediaKind.VIDEO, List.of(videoSsrc(id)))), AUDIO_LEVEL_ID, TRANSPORT_CC_ID);
            conference.addEndpoint(new EndpointRequest(id, remote, media, event -> { }))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            conference.updateMedia(id, media);
        }
        Map<String, TestConferences.Capture> captures = new HashMap<>();
        sent.forEach((id, list) -> captures.put(id, (bytes, rtcp) -> list.add(new Sent(bytes, rtcp))));
        TestConferences.connectForTesting(conference, captures);
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    // ---- termination -----------------------------------------------------------------------------------

    @Test
    void receiverReportsAndOtherReceiverFeedbackAreConsumed() throws Exception {
        rtcp("b", new ReceiverReport(audioSsrc("b"), List.of(new ReportBlock(audioSsrc("a"), 0, 0, 100, 3, 0, 0))),
                Sdes.ofCname(audioSsrc("b"), "b-cname"),
                new Remb(audioSsrc("b"), 0, 1_500_000, List.of(videoSsrc("a"))),
                TransportCc.build(audioSsrc("b"), audioSsrc("a"), 0, List.of(TransportCc.PacketResult.received(1, 0))),
                new Bye(List.of(audioSsrc("b")), null));
        rtcp("c", Sdes.ofCname(audioSsrc("c"), "c-cname"));
        assertNothingSent("a", "b", "c");
    }

    @Test
    void senderReportsReachTheOthersWithoutReportBlocksTogetherWithTheirSdesBehindTheBridgesEmptyReport()
            throws Exception {
        SenderReport sr = new SenderReport(videoSsrc("a"), 0xE1234567_89ABCDEFL, 90_000, 10, 12_000,
                List.of(new ReportBlock(audioSsrc("b"), 5, 1, 200, 7, 0, 0)));
        Sdes sdes = Sdes.ofCname(videoSsrc("a"), "a-cname");
        rtcp("a", sr, sdes, new Remb(videoSsrc("a"), 0, 2_000_000, List.of()));
        // the bridge's empty RR first: one SRTCP context per receiver for every SR relayed to it
        byte[] expected = compound(new ReceiverReport(BRIDGE_SSRC, List.of()), new SenderReport(videoSsrc("a"),
                0xE1234567_89ABCDEFL, 90_000, 10, 12_000, List.of()), sdes);
        for (String receiver : List.of("b", "c")) {
            assertEquals(List.of(new Sent(expected, true)).toString(), sent.get(receiver).toString());
        }
        assertNothingSent("a");
    }

    // ---- keyframe requests --------------------------------------------------------------------------

    @Test
    void pliAndFirGoOnlyToTheSenderAsTheBridgesPliRateLimitedPerSource() throws Exception {
        rtcp("b", new Pli(audioSsrc("b"), videoSsrc("a")));
        assertEquals(List.of(pliFromBridge(videoSsrc("a"))).toString(), sent.get("a").toString());
        assertNothingSent("b", "c");

        clock.advanceMillis(100);
        rtcp("c", new Pli(audioSsrc("c"), videoSsrc("a")));
        rtcp("c", Fir.of(audioSsrc("c"), videoSsrc("a"), 1));
        assertEquals(1, sent.get("a").size(), "within 300 ms of the last request: suppressed");
        assertEquals(2L, onLoop(() -> conference.rtcp().suppressedKeyframeRequests()));

        rtcp("c", new Pli(audioSsrc("c"), videoSsrc("b"))); // another source is limited separately
        assertEquals(List.of(pliFromBridge(videoSsrc("b"))).toString(), sent.get("b").toString());

        clock.advanceMillis(200);
        rtcp("c", Fir.of(audioSsrc("c"), videoSsrc("a"), 2));
        assertEquals(List.of(pliFromBridge(videoSsrc("a")), pliFromBridge(videoSsrc("a"))).toString(),
                sent.get("a").toString(), "a FIR becomes the bridge's PLI once the interval has passed");

        clock.advanceMillis(300);
        rtcp("b", new Pli(audioSsrc("b"), 0xDEADL)); // nobody sends it
        rtcp("b", new Pli(audioSsrc("b"), audioSsrc("a"))); // not video
        assertEquals(2, sent.get("a").size());
        assertNothingSent("c");
    }

    // ---- NACKs ---------------------------------------------------------------------------------------

    @Test
    void receiversNacksForVideoAreAnsweredFromTheCacheToThemOnly() throws Exception {
        List<byte[]> packets = new ArrayList<>();
        for (int seq = 10; seq <= 14; seq++) {
            byte[] packet = rtp(videoSsrc("a"), seq, seq * 3000L, -1);
            packets.add(packet);
            rtp("a", packet);
        }
        assertEquals(5, sent.get("b").size(), "forwarded as before");
        sent.values().forEach(List::clear);

        // 12 and 14 (PID 12, BLP bit 1), and 20 which the bridge never had
        rtcp("b", new Nack(audioSsrc("b"), videoSsrc("a"), List.of(new Nack.Fci(12, 0b10), new Nack.Fci(20, 0))));
        assertEquals(List.of(new Sent(packets.get(2), false), new Sent(packets.get(4), false)).toString(),
                sent.get("b").toString());
        assertNothingSent("a", "c");

        // a receiver that does not get a's video (last-N 0) is not answered
        conference.setReceiverLastN("c", 0);
        rtcp("c", new Nack(audioSsrc("c"), videoSsrc("a"), List.of(new Nack.Fci(12, 0))));
        assertNothingSent("a", "c");

        // older than the cache keeps packets: nothing
        sent.values().forEach(List::clear);
        clock.advanceMillis(1_500);
        rtcp("b", new Nack(audioSsrc("b"), videoSsrc("a"), List.of(new Nack.Fci(12, 0))));
        assertNothingSent("a", "b", "c");
        assertEquals(4, counters.nackRequestsReceived(), "12, 14, 20, then 12 again (c's is not considered)");
        assertEquals(2, counters.retransmissionsSent(), "12 and 14 once");
        assertEquals(0, counters.nackRequestsSent());
    }

    /** Retransmissions skip SRTP's send replay check, so the cache stays silent when an SSRC is not unique. */
    @Test
    void theCacheDoesNotAnswerForAnSsrcAnnouncedByTwoEndpoints() throws Exception {
        for (int seq = 10; seq <= 12; seq++) {
            rtp("a", rtp(videoSsrc("a"), seq, seq * 3000L, -1));
        }
        conference.updateMedia("c", new MediaDescription(List.of(
                new MediaSource(MediaKind.AUDIO, List.of(audioSsrc("c"))),
                new MediaSource(MediaKind.VIDEO, List.of(videoSsrc("a")))), AUDIO_LEVEL_ID, TRANSPORT_CC_ID));
        onLoop(() -> { });
        sent.values().forEach(List::clear);
        rtcp("b", new Nack(audioSsrc("b"), videoSsrc("a"), List.of(new Nack.Fci(11, 0))));
        assertNothingSent("a", "b", "c");
        assertEquals(0, counters.retransmissionsSent());
    }

    @Test
    void nacksForSsrcsWithoutACacheGoToTheirSenderFromTheBridge() throws Exception {
        rtcp("b", new Nack(audioSsrc("b"), audioSsrc("a"), List.of(new Nack.Fci(700, 1))));
        byte[] expected = compound(new Nack(BRIDGE_SSRC, audioSsrc("a"), List.of(new Nack.Fci(700, 1))));
        assertEquals(List.of(new Sent(expected, true)).toString(), sent.get("a").toString());
        assertNothingSent("b", "c");
    }

    @Test
    void theBridgeNacksWhatItMissesPacedByTheRoundTripTime() throws Exception {
        for (int seq : new int[] {100, 101, 104}) {
            rtp("a", rtp(videoSsrc("a"), seq, seq * 3000L, -1));
        }
        sent.values().forEach(List::clear);
        tick();
        Sent nack = new Sent(compound(new Nack(BRIDGE_SSRC, videoSsrc("a"), List.of(new Nack.Fci(102, 0b1)))), true);
        assertEquals(List.of(nack).toString(), sent.get("a").toString());

        clock.advanceMillis(20);
        tick();
        assertEquals(1, sent.get("a").size(), "the retry waits for the RTT (100 ms until measured)");
        clock.advanceMillis(80);
        tick();
        assertEquals(List.of(nack, nack).toString(), sent.get("a").toString());

        rtp("a", rtp(videoSsrc("a"), 102, 102 * 3000L, -1)); // the retransmission, forwarded as usual
        assertEquals(1, sent.get("b").size());
        clock.advanceMillis(100);
        sent.values().forEach(List::clear);
        tick();
        Sent only103 = new Sent(compound(new Nack(BRIDGE_SSRC, videoSsrc("a"), List.of(new Nack.Fci(103, 0)))),
                true);
        assertEquals(List.of(only103).toString(), sent.get("a").toString());
        assertNothingSent("b", "c");
        assertEquals(5, counters.nackRequestsSent(), "102 and 103, again both, then 103");
        assertEquals(0, counters.retransmissionsSent());
    }

    @Test
    void renegotiationKeepsTheStateOfRemainingSsrcsAndReleasesTheRest() throws Exception {
        for (int seq = 1; seq <= 3; seq++) {
            rtp("a", rtp(videoSsrc("a"), seq, seq * 3000L, -1));
            rtp("a", rtp(audioSsrc("a"), seq, seq * 960L, -1));
        }
        IncomingStream audioBefore = onLoop(() -> endpoint("a").incomingStream(audioSsrc("a")));
        assertEquals(1 + 3, pool.outstanding(), "the loop's scratch buffer and 3 cached video packets");

        conference.updateMedia("a", new MediaDescription(List.of(
                new MediaSource(MediaKind.AUDIO, List.of(audioSsrc("a")))), AUDIO_LEVEL_ID, TRANSPORT_CC_ID));
        onLoop(() -> { });
        assertEquals(1, pool.outstanding(), "the video source's cache is released");
        assertEquals(audioBefore, onLoop(() -> endpoint("a").incomingStream(audioSsrc("a"))), "same state object");
        assertEquals(3L, (long) onLoop(() -> endpoint("a").incomingStream(audioSsrc("a")).statistics.received()));
        assertEquals(null, onLoop(() -> endpoint("a").incomingStream(videoSsrc("a"))));
        sent.values().forEach(List::clear);
        rtcp("b", new Nack(audioSsrc("b"), videoSsrc("a"), List.of(new Nack.Fci(2, 0))));
        assertNothingSent("a", "b", "c");
    }

    // ---- transport-cc ----------------------------------------------------------------------------------

    @Test
    void transportCcFeedbackGoesToTheSenderEveryFiftyMilliseconds() throws Exception {
        long start = clock.getAsLong();
        rtp("a", rtp(audioSsrc("a"), 1, 960, 1), start);
        rtp("a", rtp(videoSsrc("a"), 1, 3000, 2), start + 2 * MS);
        rtp("a", rtp(videoSsrc("a"), 2, 6000, 4), start + 7 * MS); // transport-wide 3 is lost
        sent.values().forEach(List::clear);
        clock.advanceMillis(50);
        tick();
        List<Sent> toA = sent.get("a");
        assertEquals(1, toA.size(), toA.toString());
        assertTrue(toA.get(0).rtcp());
        TransportCc feedback = TransportCc.parse(toA.get(0).bytes(), 0, toA.get(0).bytes().length);
        assertEquals(BRIDGE_SSRC, feedback.senderSsrc());
        assertEquals(audioSsrc("a"), feedback.mediaSsrc(), "the endpoint's first SSRC");
        assertEquals(0, feedback.feedbackPacketCount());
        long startUs = Math.floorDiv(start, 1000L);
        long referenceUs = Math.floorDiv(startUs, 64_000L) * 64_000L;
        List<TransportCc.PacketResult> expected = List.of(
                TransportCc.PacketResult.received(1, referenceUs + (startUs - referenceUs) / 250 * 250),
                TransportCc.PacketResult.received(2, referenceUs + (startUs + 2000 - referenceUs) / 250 * 250),
                TransportCc.PacketResult.notReceived(3),
                TransportCc.PacketResult.received(4, referenceUs + (startUs + 7000 - referenceUs) / 250 * 250));
        assertEquals(expected, feedback.packets());
        assertNothingSent("b", "c");

        clock.advanceMillis(50);
        tick();
        assertEquals(1, toA.size(), "nothing new, no feedback");
        rtp("a", rtp(audioSsrc("a"), 2, 1920, 5), clock.getAsLong());
        clock.advanceMillis(20);
        tick();
        assertEquals(2, toA.size());
        assertEquals(1, TransportCc.parse(toA.get(1).bytes(), 0, toA.get(1).bytes().length).feedbackPacketCount());
    }

    @Test
    void transportCcFeedbackIsSentAtOnceAfterManyPackets() throws Exception {
        for (int i = 0; i < BridgeRtcp.TRANSPORT_CC_FLUSH_PACKETS; i++) {
            rtp("a", rtp(videoSsrc("a"), i, i * 30L, i), clock.getAsLong() + i * 100_000L);
        }
        List<Sent> feedback = sent.get("a");
        assertEquals(1, feedback.size(), "no tick needed");
        RtcpPacket parsed = CompoundRtcp.parseAll(feedback.get(0).bytes(), 0, feedback.get(0).bytes().length).get(0);
        assertEquals(BridgeRtcp.TRANSPORT_CC_FLUSH_PACKETS, assertInstanceOf(TransportCc.class, parsed)
                .packetStatusCount());
    }

    // ---- receiver reports ------------------------------------------------------------------------------

    /**
     * a sends 10 audio packets (1000 .. 1009, 1003 lost) every 20 ms and 3 video packets across the sequence
     * number wrap every 30 ms, both with constant transit time (jitter 0), then an SR for its video at 200 ms.
     * The first receiver report is due half an interval after the first tick, 500 ms after the SR.
     */
    static final byte[] RECEIVER_REPORT = Hex.bytes(
            "82 c9 000d", //   V=2 P=0 RC=2 | PT=201 (RR) | length 13 (56 bytes)
            "0b0b0b0b", //     sender: the bridge
            "11110001", //     a's audio:
            "19 000001", //      fraction lost 25/256 (1 of 10) | cumulative lost 1
            "000003f1", //       extended highest 1009
            "00000000", //       jitter 0
            "00000000", //       LSR: no SR from it
            "00000000", //       DLSR
            "11110002", //     a's video:
            "00 000000", //      nothing lost
            "00010001", //       extended highest: 1 cycle, 1
            "00000000", //       jitter 0
            "12345678", //       LSR: middle 32 bits of the SR's NTP timestamp
            "00008000", //       DLSR: 0.5 s (32768 / 65536)
            "81 ca 0005", //   V=2 P=0 SC=1 | PT=202 (SDES) | length 5 (24 bytes)
            "0b0b0b0b", //     the bridge:
            "01 0b", //          CNAME, 11 bytes
            "73776974636862 6f617264", // "switchboard"
            "000000"); //        end of items, padding to 32 bits

    @Test
    void receiverReportCompoundToEachSenderEverySecond() throws Exception {
        long start = clock.getAsLong();
        for (int i = 0; i < 10; i++) {
            if (i != 3) {
                rtp("a", rtp(audioSsrc("a"), 1000 + i, i * 960L, -1), start + i * 20 * MS);
            }
        }
        int[] videoSeqs = {65535, 0, 1};
        for (int i = 0; i < 3; i++) {
            rtp("a", rtp(videoSsrc("a"), videoSeqs[i], i * 2700L, -1), start + i * 30 * MS);
        }
        clock.advanceMillis(200);
        rtcp("a", new SenderReport(videoSsrc("a"), 0x0000_1234_5678_0000L, 3 * 2700, 3, 300, List.of()));
        sent.values().forEach(List::clear);
        tick(); // schedules the first report at 700 ms
        clock.advanceMillis(499);
        tick();
        assertNothingSent("a", "b", "c");
        clock.advanceMillis(1);
        tick();
        assertEquals(List.of(new Sent(RECEIVER_REPORT, true)).toString(), sent.get("a").toString());
        assertNothingSent("b", "c");

        clock.advanceMillis(BridgeRtcp.RECEIVER_REPORT_INTERVAL_NANOS / MS);
        tick();
        assertEquals(2, sent.get("a").size(), "one a second");
        ReceiverReport second = assertInstanceOf(ReceiverReport.class,
                CompoundRtcp.parseAll(sent.get("a").get(1).bytes(), 0, sent.get("a").get(1).bytes().length).get(0));
        assertEquals(0, second.reportBlocks().get(0).fractionLost(), "nothing lost since the first report");
        assertEquals(1, second.reportBlocks().get(0).cumulativeLost());

        clock.advanceMillis(BridgeRtcp.REPORT_ACTIVE_NANOS / MS);
        tick();
        assertEquals(2, sent.get("a").size(), "no report about streams silent for 5 s");
    }

    @Test
    void roundTripTimeFromReportsOnForwardedSenderReportsPacesTheBridgesNacks() throws Exception {
        rtcp("a", new SenderReport(videoSsrc("a"), 0x0000_1234_5678_0000L, 0, 0, 0, List.of()));
        assertEquals(1, sent.get("b").size());
        clock.advanceMillis(300);
        // b held the SR 250 ms: the RTT between b and the bridge is 50 ms
        rtcp("b", new ReceiverReport(audioSsrc("b"),
                List.of(new ReportBlock(videoSsrc("a"), 0, 0, 0, 0, 0x12345678L, 16_384))));
        assertEquals(50 * MS, (long) onLoop(() -> endpoint("b").rtt().nanos()));
        assertEquals(-1L, (long) onLoop(() -> endpoint("c").rtt().nanos()));

        // b as a sender: its lost video is NACKed again after max(RTT, 20 ms) = 50 ms instead of 100 ms
        for (int seq : new int[] {1, 3}) {
            rtp("b", rtp(videoSsrc("b"), seq, seq * 3000L, -1));
        }
        sent.get("b").clear();
        tick();
        assertEquals(1, sent.get("b").size());
        clock.advanceMillis(50);
        tick();
        assertEquals(2, sent.get("b").size());
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private Sent pliFromBridge(long mediaSsrc) {
        return new Sent(compound(new Pli(BRIDGE_SSRC, mediaSsrc)), true);
    }

    private void assertNothingSent(String... ids) {
        for (String id : ids) {
            assertEquals(List.of(), sent.get(id), "sent to " + id);
        }
    }

    private void tick() throws Exception {
        onLoop(() -> conference.rtcp().tick());
    }

    private static byte[] compound(RtcpPacket... packets) {
        return TestConferences.compound(packets);
    }

    /** An RTP packet with a 20-byte payload and, unless {@code transportSeq} is negative, the transport-cc extension. */
    static byte[] rtp(long ssrc, int seq, long timestamp, int transportSeq) {
        boolean ext = transportSeq >= 0;
        byte[] p = new byte[12 + (ext ? 8 : 0) + 20];
        p[0] = (byte) (ext ? 0x90 : 0x80);
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        if (ext) {
            p[12] = (byte) 0xBE;
            p[13] = (byte) 0xDE;
            p[15] = 1; // one 32-bit word
            p[16] = (byte) ((TRANSPORT_CC_ID << 4) | 1); // id 5, 2 bytes
            p[17] = (byte) (transportSeq >>> 8);
            p[18] = (byte) transportSeq;
        }
        for (int i = p.length - 20; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private void rtp(String from, byte[] packet) throws Exception {
        rtp(from, packet, clock.getAsLong());
    }

    private void rtp(String from, byte[] bytes, long receivedAt) throws Exception {
        TestConferences.rtp(conference, pool, from, bytes, receivedAt);
    }

    private void rtcp(String from, RtcpPacket... packets) throws Exception {
        TestConferences.rtcp(conference, pool, from, compound(packets), clock.getAsLong());
    }

    private BridgeEndpoint endpoint(String id) {
        return TestConferences.endpoint(conference, id);
    }

    private void onLoop(Runnable task) throws Exception {
        TestConferences.onLoop(loop, task);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return TestConferences.onLoop(loop, task);
    }

    @Test
    void helpersBuildWhatTheyClaim() {
        byte[] p = rtp(0x01020304L, 0x0506, 0x0708090AL, 0x0B0C);
        assertEquals("90600506" + "0708090a" + "01020304" + "bede0001" + "510b0c00",
                Hex.of(p, 0, 20));
        assertEquals("80", Hex.of(rtp(1, 2, 3, -1), 0, 1));
    }
}
