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
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Allocation of a receiver's bandwidth estimate among its remote simulcast sources. "s" and "a" each send three
 * layers (q/h/f at 180/360/720 lines and about 100 kbit/s, 300 kbit/s and 1 Mbit/s), "r" receives with a limit of
 * 720 lines for a (its large tile) and 360 for s. The clock is manual; estimates are given to the allocator
 * directly, except in the last test, where they come from r's transport-cc feedback.
 */
class BandwidthAllocationTest {
    private static final int MID_ID = Vp8LayerPackets.MID_ID;
    private static final int RID_ID = Vp8LayerPackets.RID_ID;
    private static final int TCC_ID = Vp8LayerPackets.TCC_ID;
    private static final Map<String, Long> SSRC_BASE = Map.of("a", 0x1000_0000L, "s", 0x2000_0000L);

    private final ManualClock clock = new ManualClock();
    private final PacketPool pool = new PacketPool(64);
    private final List<byte[]> toR = new ArrayList<>();
    private RoutedConference conference;
    private int seq;

    @BeforeEach
    void setUp() throws Exception {
        conference = new RoutedConference("alloc", new MediaLoop("test-media", 256, pool), pool, new BridgeCounters(),
                clock, TestConferences.noTransports(), Runnable::run, 0x0B0B0B0BL, () -> { });
        for (String id : List.of("s", "a")) {
            add(id, new MediaDescription(List.of(MediaSource.simulcast(new Simulcast("1", Vp8LayerPackets.RIDS,
                    SSRC_BASE.get(id) + 0xFF, -1))), 0, TCC_ID, MID_ID, RID_ID)
                    .withVideoPayloadTypes(Map.of(96, VideoCodec.VP8)));
        }
        add("r", new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(0xC0L))), 0, TCC_ID));
        conference.setVideoConstraints("r", new VideoConstraints(360, Map.of("a", 720)));
        TestConferences.connectForTesting(conference, Map.of("r", (bytes, rtcp) -> {
            if (!rtcp) {
                toR.add(bytes);
            }
        }, "s", (bytes, rtcp) -> { }, "a", (bytes, rtcp) -> { }));
    }

    private void add(String id, MediaDescription media) throws Exception {
        TestConferences.addEndpoint(conference, id, media);
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    /** A VP8 packet of a layer with mid, rid and a transport-wide number, padded to the layer's size. */
    private byte[] layerPacket(String sender, int layer, boolean keyframe) {
        byte[] p = Vp8LayerPackets.layer(seq++, SSRC_BASE.get(sender) + layer, layer, keyframe);
        p[p.length - 1] = (byte) layer;
        return p;
    }

    /** {@code millis} of media from both senders, one packet per layer each 10 ms; keyframes on the first. */
    private void media(long millis, boolean keyframeFirst) throws Exception {
        for (long t = 0; t < millis; t += 10) {
            clock.advanceMillis(10);
            for (String sender : List.of("s", "a")) {
                for (int layer = 0; layer < 3; layer++) {
                    TestConferences.rtp(conference, pool, sender, layerPacket(sender, layer, keyframeFirst && t == 0),
                            clock.getAsLong());
                }
            }
        }
    }

    private void allocate(long estimateBps) throws Exception {
        TestConferences.onLoop(conference.loop(), () -> TestConferences.endpoint(conference, "r").downlink()
                .allocator().allocate(estimateBps, 0, clock.getAsLong()));
    }

    /** The bandwidth cap r's forwarder of {@code sender} has now. */
    private int cap(String sender) throws Exception {
        return TestConferences.onLoop(conference.loop(), () -> {
            BridgeEndpoint r = TestConferences.endpoint(conference, "r");
            for (SimulcastForwarder f : r.forwarders()) {
                if (f != null && f.source.sender.id().equals(sender)) {
                    return f.layerCap();
                }
            }
            throw new AssertionError("no forwarder of " + sender);
        });
    }

    /** The layers r was sent of {@code sender}'s stream over the last {@code packets} packets of it. */
    private List<Integer> layersSent(String sender, int packets) {
        long output = SSRC_BASE.get(sender) + 0xFF;
        List<Integer> layers = toR.stream().filter(p -> RtpHeader.ssrc(p, 0) == output).map(p -> (int) p[p.length - 1])
                .toList();
        return layers.subList(Math.max(0, layers.size() - packets), layers.size());
    }

    @Test
    void constraintsFirstThenTheMainSourceThenTheRestNeverBelowTheLowestLayer() throws Exception {
        media(1_000, true); // rates measured; the constraints alone give a f, s h
        assertEquals(List.of(2, 2, 2), layersSent("a", 3));
        assertEquals(List.of(1, 1, 1), layersSent("s", 3));

        allocate(5_000_000);
        assertEquals(2, cap("a"));
        assertEquals(1, cap("s"), "never above the constraint");

        // 400 kbit/s: both lowest layers (200), then a (the larger tile, though s's forwarder came first) to h;
        // s's h would need 600, more than even a short dip is allowed (400 / 0.75)
        allocate(400_000);
        assertEquals(1, cap("a"));
        assertEquals(0, cap("s"));
        media(200, true);
        assertEquals(List.of(1, 1, 1), layersSent("a", 3));
        assertEquals(List.of(0, 0, 0), layersSent("s", 3));

        // far below the lowest layers: degraded, never stopped
        allocate(50_000);
        assertEquals(0, cap("a"));
        assertEquals(0, cap("s"));
        int before = toR.size();
        media(200, true);
        assertEquals(List.of(0, 0, 0), layersSent("a", 3));
        assertEquals(List.of(0, 0, 0), layersSent("s", 3));
        assertEquals(40, toR.size() - before, "both streams keep flowing, one packet each per 10 ms");
    }

    @Test
    void upgradesWaitForTheHoldTimeWhichDoublesWhenTheyFailAgainAndNeedHeadroom() throws Exception {
        media(1_000, true);
        allocate(5_000_000);
        allocate(150_000); // a downgrade: 3 s hold
        assertEquals(0, cap("a"));
        media(1_000, false);
        allocate(5_000_000);
        assertEquals(0, cap("a"), "1 s after the downgrade: held");
        assertEquals(0, cap("s"));
        media(2_000, false);
        allocate(5_000_000);
        assertEquals(2, cap("a"), "3 s after: up");
        assertEquals(1, cap("s"));

        allocate(150_000); // failed again within 30 s: 6 s hold
        media(5_000, false);
        allocate(5_000_000);
        assertEquals(0, cap("a"), "5 s after the second downgrade: still held");
        media(1_000, false);
        // 420 kbit/s would fit q+q plus a's h (400) exactly, but an upgrade needs 25 % headroom
        allocate(420_000);
        assertEquals(0, cap("a"));
        allocate(520_000);
        assertEquals(1, cap("a"), "400 <= 520 / 1.25");
        allocate(520_000);
        assertEquals(1, cap("a"), "stable at the same estimate: no oscillation");
        allocate(340_000);
        assertEquals(1, cap("a"), "a short dip: 400 kbit/s allowed so far stays within 340 / 0.75");
        media(2_000, false);
        allocate(340_000);
        assertEquals(1, cap("a"), "2 s short");
        media(1_000, false);
        allocate(340_000);
        assertEquals(0, cap("a"), "3 s short: down");
        // a deep shortfall goes down at once
        media(12_000, false);
        allocate(5_000_000);
        assertEquals(2, cap("a"));
        allocate(600_000);
        assertEquals(1, cap("a"), "1100 kbit/s does not fit 600 / 0.75, 400 does");
    }

    @Test
    void theReceiversTransportCcFeedbackDrivesItsEstimateAndAllocation() throws Exception {
        media(1_000, true);
        BridgeEndpoint r = TestConferences.endpoint(conference, "r");
        assertEquals(-1L, (long) TestConferences.onLoop(conference.loop(), () -> r.downlink().estimateBps()));
        // r reports every packet the bridge numbered for it as lost, feedback after feedback
        int next = 0;
        for (int round = 0; round < 80; round++) { // 4 s: four 1-s loss runs
            media(50, false);
            int sent = (int) (long) TestConferences.onLoop(conference.loop(), () -> countNumbered());
            List<TransportCc.PacketResult> results = new ArrayList<>();
            for (int s = next; s < sent; s++) {
                results.add(s == next ? TransportCc.PacketResult.received(s & 0xFFFF, round * 50_000L)
                        : TransportCc.PacketResult.notReceived(s & 0xFFFF));
            }
            next = sent;
            TestConferences.rtcp(conference, pool, "r", TestConferences.compound(
                    TransportCc.build(0xC0L, 0x1FFL, round, results)), clock.getAsLong());
        }
        long estimate = TestConferences.onLoop(conference.loop(), () -> r.downlink().estimateBps());
        assertTrue(estimate > 0 && estimate < 400_000, "heavy loss cut the estimate: " + estimate);
        assertEquals(0, cap("a"));
        assertEquals(0, cap("s"));
        media(100, true);
        assertEquals(List.of(0, 0, 0), layersSent("a", 3), "still sent, on the lowest layer");
    }

    /** Transport-wide numbers the bridge gave packets to r so far (r's packets carry them from 0 on). */
    private long countNumbered() {
        HeaderExtensions ext = new HeaderExtensions();
        long count = 0;
        for (byte[] p : toR) {
            if (ext.find(p, 0, p.length, TCC_ID)) {
                count++;
            }
        }
        return count;
    }
}
