package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.api.Simulcast;
import dev.switchboard.core.api.VideoCodec;
import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtcp.TransportCc;
import dev.switchboard.core.rtp.HeaderExtensions;
import dev.switchboard.core.rtp.NetworkBytes;
import dev.switchboard.core.rtp.RtpFields;
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bandwidth probing toward receivers, through the conference: "a" sends three simulcast layers (about 100 kbit/s,
 * 300 kbit/s and 1 Mbit/s) with an RTX stream; "r" wants them at 720 lines and negotiated RTX (96 -> 97), "n"
 * too but without RTX. Both report transport-cc feedback the test makes up from what the bridge sent them, on a
 * manual clock, with pacing turns every millisecond (the timer's ticks in production).
 */
class DownlinkProbingTest {
    private static final int MID_ID = Vp8LayerPackets.MID_ID;
    private static final int RID_ID = Vp8LayerPackets.RID_ID;
    private static final int TCC_ID = Vp8LayerPackets.TCC_ID;
    private static final long SSRC_BASE = 0x1000_0000L;
    private static final long OUTPUT_SSRC = 0x1000_00FFL;
    private static final long RTX_OUTPUT_SSRC = 0x1000_00FEL;

    /** A packet the bridge sent a receiver, when, and its transport-wide number. */
    private record Sent(byte[] bytes, long nanos, int transportSeq) {}

    private final ManualClock clock = new ManualClock();
    private final PacketPool pool = new PacketPool(64);
    private final BridgeCounters counters = new BridgeCounters();
    private final Map<String, List<Sent>> sent = Map.of("r", new ArrayList<>(), "n", new ArrayList<>());
    private final Map<String, Integer> reportedUpTo = new java.util.HashMap<>(Map.of("r", 0, "n", 0));
    private RoutedConference conference;
    private int seq;
    private int feedbackCount;

    /** Every endpoint negotiated VP8 as payload type 96 (receivers only get video of types they negotiated). */
    private static final Map<Integer, VideoCodec> VP8 = Map.of(96, VideoCodec.VP8);

    @BeforeEach
    void setUp() throws Exception {
        conference = new RoutedConference("probe", new MediaLoop("test-media", 256, pool), pool, counters, clock,
                TestConferences.noTransports(), Runnable::run, 0x0B0B0B0BL, () -> { });
        TestConferences.addEndpoint(conference, "a", new MediaDescription(List.of(MediaSource.simulcast(
                new Simulcast("1", Vp8LayerPackets.RIDS, OUTPUT_SSRC, RTX_OUTPUT_SSRC))), 0, TCC_ID, MID_ID, RID_ID)
                .withVideoPayloadTypes(VP8));
        TestConferences.addEndpoint(conference, "r", new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO,
                List.of(0xC0L))), 0, TCC_ID, 0, 0, Map.of(96, 97)).withVideoPayloadTypes(VP8));
        TestConferences.addEndpoint(conference, "n", new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO,
                List.of(0xD0L))), 0, TCC_ID, 0, 0, Map.of()).withVideoPayloadTypes(VP8));
        conference.setVideoConstraints("r", new VideoConstraints(720, Map.of()));
        conference.setVideoConstraints("n", new VideoConstraints(720, Map.of()));
        HeaderExtensions ext = new HeaderExtensions();
        TestConferences.Capture capture = (bytes, rtcp) -> { };
        TestConferences.connectForTesting(conference, Map.of("a", capture,
                "r", (bytes, rtcp) -> record("r", bytes, rtcp, ext), "n", (bytes, rtcp) -> record("n", bytes, rtcp,
                        ext)));
    }

    private void record(String receiver, byte[] bytes, boolean rtcp, HeaderExtensions ext) {
        if (!rtcp && ext.find(bytes, 0, bytes.length, TCC_ID)) {
            sent.get(receiver).add(new Sent(bytes, clock.getAsLong(), NetworkBytes.uint16(bytes, ext.dataOffset())));
        }
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    private byte[] layerPacket(int layer, boolean keyframe) {
        return Vp8LayerPackets.layer(seq++, SSRC_BASE + layer, layer, keyframe);
    }

    /** How a made-up downlink delivers what the bridge sent: arrival time in µs for each packet, -1 if lost. */
    private interface Downlink {
        long arrivalUs(Sent packet, long previousArrivalUs);
    }

    /**
     * {@code millis} of media (a packet per layer every 10 ms, keyframes every second), a pacing turn every
     * millisecond and, every 50 ms, feedback from r and n about what they were sent, as {@code link} delivers it.
     */
    private void run(long millis, Downlink link) throws Exception {
        for (long t = 0; t < millis; t++) {
            clock.advanceMillis(1);
            long now = clock.getAsLong();
            if (now / 1_000_000 % 10 == 0) {
                boolean keyframe = now / 1_000_000 % 1000 == 0;
                for (int layer = 0; layer < 3; layer++) {
                    TestConferences.rtp(conference, pool, "a", layerPacket(layer, keyframe), now);
                }
            }
            TestConferences.onLoop(conference.loop(), conference::pace);
            if (now / 1_000_000 % 50 == 0) {
                feedback("r", link);
                feedback("n", link);
            }
        }
    }

    private final Map<String, Long> previousArrival = new java.util.HashMap<>(Map.of("r", Long.MIN_VALUE,
            "n", Long.MIN_VALUE));

    private void feedback(String receiver, Downlink link) throws Exception {
        List<Sent> packets = sent.get(receiver);
        int from = reportedUpTo.get(receiver);
        if (from == packets.size()) {
            return;
        }
        List<TransportCc.PacketResult> results = new ArrayList<>();
        long last = previousArrival.get(receiver);
        for (Sent s : packets.subList(from, packets.size())) {
            long arrival = link.arrivalUs(s, last);
            if (arrival < 0) {
                results.add(TransportCc.PacketResult.notReceived(s.transportSeq()));
            } else {
                results.add(TransportCc.PacketResult.received(s.transportSeq(), arrival));
                last = arrival;
            }
        }
        previousArrival.put(receiver, last);
        reportedUpTo.put(receiver, packets.size());
        long mediaSsrc = receiver.equals("r") ? 0xC0L : 0xD0L;
        TestConferences.rtcp(conference, pool, receiver, TestConferences.compound(
                TransportCc.build(mediaSsrc, OUTPUT_SSRC, feedbackCount++ & 0xFF, results)), clock.getAsLong());
    }

    /** Every packet 20 ms after it was sent: a fast, free downlink. */
    private static long onTime(Sent s, long previous) {
        return s.nanos() / 1000 + 20_000;
    }

    private long estimate(String receiver) throws Exception {
        return TestConferences.onLoop(conference.loop(),
                () -> TestConferences.endpoint(conference, receiver).downlink().estimateBps());
    }

    private List<Sent> probesTo(String receiver) {
        return sent.get(receiver).stream().filter(s -> RtpHeader.ssrc(s.bytes(), 0) == RTX_OUTPUT_SSRC
                && RtpFields.payloadLength(s.bytes(), 0, s.bytes().length) == 0).toList();
    }

    /** Cuts both receivers' estimates: 3 s of feedback that reports all but one packet per feedback lost. */
    private void congest() throws Exception {
        int[] count = {0};
        run(3_000, (s, previous) -> count[0]++ % 8 == 0 ? s.nanos() / 1000 + 20_000 : -1);
    }

    @Test
    void aLimitedReceiverWithRtxIsProbedWithPaddingAndItsEstimateRaisedWhenTheProbesArriveOnTime() throws Exception {
        run(1_000, DownlinkProbingTest::onTime);
        congest();
        long low = estimate("r");
        assertTrue(low < 400_000, "loss cut the estimate: " + low);
        assertEquals(0, counters.probeClustersSucceeded(), "probes lost with the rest prove nothing");

        int probesBefore = probesTo("r").size();
        long start = clock.getAsLong();
        while (estimate("r") < 1_600_000 && clock.getAsLong() - start < 6_000_000_000L) {
            run(50, DownlinkProbingTest::onTime);
        }
        long tookMs = (clock.getAsLong() - start) / 1_000_000;
        assertTrue(estimate("r") >= 1_600_000, "probes found the free downlink: " + estimate("r"));
        assertTrue(tookMs < 5_000, "after at most the 4 s back-off and a few attempts: " + tookMs + " ms");
        System.out.printf("estimate %d -> %d bit/s in %d ms of probing%n", low, estimate("r"), tookMs);
        assertTrue(counters.probeClustersSucceeded() > 0);
        List<Sent> probes = probesTo("r");
        assertTrue(probes.size() - probesBefore >= 2 * 6, "at least one attempt of two clusters");
        assertEquals(counters.probePackets(), probes.size() + probesTo("n").size());
        assertEquals(counters.probeBytes(), (long) probes.size() * ProbePackets.SIZE);

        // RFC 4588 padding on r's RTX stream: V=2 P=1 X=1, PT 97, RTX sequence numbers, 255 bytes of padding
        byte[] p = probes.get(probes.size() - 1).bytes();
        assertEquals(ProbePackets.SIZE, p.length);
        assertEquals(0xB0, p[0] & 0xFF);
        assertEquals(97, p[1] & 0xFF);
        assertEquals(RTX_OUTPUT_SSRC, RtpHeader.ssrc(p, 0));
        assertEquals(0xBEDE, NetworkBytes.uint16(p, 12));
        assertEquals((TCC_ID << 4) | 1, p[16] & 0xFF);
        assertEquals(255, p[p.length - 1] & 0xFF);
        for (int i = 20; i < p.length - 1; i++) {
            assertEquals(0, p[i], "zeroed padding");
        }
        int previousSeq = RtpHeader.sequenceNumber(probes.get(probes.size() - 2).bytes(), 0);
        assertEquals((previousSeq + 1) & 0xFFFF, RtpHeader.sequenceNumber(p, 0));

        assertTrue(probesTo("n").isEmpty(), "n negotiated no RTX: never probed");
        assertTrue(estimate("n") < 600_000, "so its estimate climbs only as the media allows: " + estimate("n"));
    }

    @Test
    void probesThatQueueBehindANarrowLinkDoNotRaiseTheEstimate() throws Exception {
        run(1_000, DownlinkProbingTest::onTime);
        congest();
        long low = estimate("r");
        // a 300 kbit/s bottleneck: each packet leaves it size * 8 / 300 kbit/s after the one before at the earliest
        Downlink narrow = (s, previous) -> Math.max(s.nanos() / 1000 + 20_000,
                previous == Long.MIN_VALUE ? 0 : previous + s.bytes().length * 8_000_000L / 300_000);
        int probesBefore = probesTo("r").size();
        run(6_000, narrow);
        assertTrue(probesTo("r").size() - probesBefore >= 2 * 6, "probed: " + (probesTo("r").size() - probesBefore));
        assertEquals(0, counters.probeClustersSucceeded(), "every cluster arrived slower than it was sent");
        assertTrue(estimate("r") < Math.max(low, 300_000) * 1.5, "not raised toward the probe rates: "
                + estimate("r") + " from " + low);
    }
}
