package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * H.264 simulcast through a conference: the sender negotiated payload type 102 as H.264, so its layers are read
 * as RFC 6184 payloads. Layers of 90, 180 and 360 lines (a 360-line camera), heights read from each layer's SPS;
 * receivers {@code b} (H.264 and VP8), {@code c} (VP8 only: gets none of it) and {@code d} (no payload types
 * signaled: takes everything, as before codecs were known).
 */
class H264SimulcastForwardingTest {
    private static final long OUTPUT_SSRC = 0x5EED0101L;
    private static final int MID_ID = 3;
    private static final int RID_ID = 4;
    private static final int H264_PT = 102;
    private static final String[] RIDS = {"q", "h", "f"};
    private static final long[] LAYER_SSRCS = {0x2000_0001L, 0x2000_0002L, 0x2000_0003L};
    private static final int[] FIRST_SEQ = {65500, 200, 30000};
    private static final long[] FIRST_TS = {0xFFFF_0000L, 9_000, 77_000};
    /** SPS of 160x90, 320x180 and 640x360 (constrained baseline 42e01f), see H264SpsReaderTest. */
    private static final String[] SPS = {"6742e01fed051bf220", "6742e01fda05067e74", "6742e01fed01405ff2a0"};
    private static final String PPS = "68ce3c80";
    /** Endpoint e sends single-stream H.264 under this SSRC. */
    private static final long E_VIDEO = 0xE0E0L;

    private final ManualClock clock = new ManualClock();
    private final PacketPool pool = new PacketPool(64);
    private final BridgeCounters counters = new BridgeCounters();
    private final Map<String, List<byte[]>> sent = new HashMap<>();
    private MediaLoop loop;
    private RoutedConference conference;

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop("test-media", 256, pool);
        conference = new RoutedConference("h264", loop, pool, counters, clock, TestConferences.noTransports(),
                Runnable::run, 0x0B0B0B0BL, () -> { });
        Map<String, Map<Integer, VideoCodec>> codecs = Map.of("a", Map.of(H264_PT, VideoCodec.H264),
                "b", Map.of(96, VideoCodec.VP8, H264_PT, VideoCodec.H264), "c", Map.of(96, VideoCodec.VP8),
                "d", Map.of(), "e", Map.of(H264_PT, VideoCodec.H264));
        for (String id : List.of("a", "b", "c", "d", "e")) {
            sent.put(id, new ArrayList<>());
            MediaDescription media = (id.equals("a")
                    ? new MediaDescription(List.of(MediaSource.simulcast(new Simulcast("1", List.of(RIDS),
                            OUTPUT_SSRC))), 0, 0, MID_ID, RID_ID)
                    : id.equals("e") ? new MediaDescription(List.of(new MediaSource(MediaKind.VIDEO, List.of(E_VIDEO))))
                    : new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(0xB0L + id.charAt(0))))))
                    .withVideoPayloadTypes(codecs.get(id));
            TestConferences.addEndpoint(conference, id, media); // no transports: it also applies the description
        }
        Map<String, TestConferences.Capture> captures = new HashMap<>();
        sent.forEach((id, list) -> captures.put(id, (bytes, rtcp) -> {
            if (!rtcp) {
                list.add(bytes);
            }
        }));
        TestConferences.connectForTesting(conference, captures);
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    @Test
    void layersAreChosenByTheirSpsHeightAndSwitchedAtSpsPacketsWithContinuousNumbering() throws Exception {
        for (int frame = 0; frame < 4; frame++) {
            frame(frame, frame == 0 ? ALL : -1);
        }
        // b's default limit is 360 lines: with heights read from the SPS that is f (360), not h (nominal 360).
        // Keyframes of all three come in frame 0 in layer order; b starts on q, then takes f at its SPS packet.
        List<Integer> layers = layersOf("b");
        assertEquals(2, layers.get(layers.size() - 1), "b ends on f: " + layers);
        assertEquals(layersOf("b"), layersOf("d"), "d, with no payload types signaled, is sent the same");
        assertEquals(List.of(), sent.get("c"), "c negotiated VP8 only: no H.264");
        assertTrue(counters.dropped(DropReason.CODEC_NOT_NEGOTIATED) > 0);

        sent.values().forEach(List::clear);
        conference.setVideoConstraints("b", new VideoConstraints(360, Map.of("a", 180)));
        frame(4, -1);
        frame(5, -1, true); // h's IDR without its parameter sets in the packet: no switch point
        assertEquals(List.of(2, 2), layersOf("b"), "b stays on f until h sends its SPS");
        frame(6, 1); // h's keyframe: STAP-A(SPS, PPS), then the IDR in FU-A
        frame(7, -1);
        assertEquals(List.of(2, 2, 1, 1, 1, 1), layersOf("b"), "h from its SPS packet on, f no more");
        assertContinuous(sent.get("b"));
        for (byte[] p : sent.get("b")) {
            assertEquals(OUTPUT_SSRC, RtpHeader.ssrc(p, 0));
            assertEquals(H264_PT, RtpHeader.payloadType(p, 0));
        }
    }

    @Test
    void malformedPayloadsAreDroppedAndCountedAndTheStreamGoesOn() throws Exception {
        frame(0, 0);
        frame(1, -1);
        sent.values().forEach(List::clear);
        long before = counters.dropped(DropReason.MALFORMED_PAYLOAD);
        rtp("a", packet(0, FIRST_SEQ[0] + 4, FIRST_TS[0] + 6000, "78 00 0a 67 42")); // STAP-A cut short
        rtp("a", packet(0, FIRST_SEQ[0] + 5, FIRST_TS[0] + 6000, "e1 00 00")); // forbidden bit
        rtp("a", packet(0, FIRST_SEQ[0] + 6, FIRST_TS[0] + 6000, "7c c5 00")); // FU-A start and end
        assertEquals(before + 3, counters.dropped(DropReason.MALFORMED_PAYLOAD));
        assertEquals(List.of(), sent.get("b"));
        rtp("a", packet(0, FIRST_SEQ[0] + 7, FIRST_TS[0] + 9000, "41 9a 00 07"));
        assertEquals(1, sent.get("b").size(), "the next good packet is forwarded");
        assertArrayEquals(HexFormat.of().parseHex("419a0007"),
                Arrays.copyOfRange(sent.get("b").get(0), 20, sent.get("b").get(0).length));
    }

    @Test
    void singleStreamVideoGoesOnlyToReceiversThatNegotiatedItsPayloadTypeForItsCodec() throws Exception {
        byte[] p = new byte[12 + 4];
        p[0] = (byte) 0x80;
        p[1] = (byte) H264_PT;
        p[3] = 1;
        p[10] = (byte) (E_VIDEO >>> 8);
        p[11] = (byte) E_VIDEO;
        System.arraycopy(HexFormat.of().parseHex("419a0203"), 0, p, 12, 4);
        long before = counters.dropped(DropReason.CODEC_NOT_NEGOTIATED);
        rtp("e", p);
        assertEquals(1, sent.get("a").size(), "a negotiated 102 as H.264");
        assertEquals(1, sent.get("b").size(), "so did b");
        assertEquals(1, sent.get("d").size(), "d signaled no payload types: everything");
        assertEquals(List.of(), sent.get("c"), "c has VP8 only");
        assertEquals(before + 1, counters.dropped(DropReason.CODEC_NOT_NEGOTIATED));
        assertArrayEquals(p, sent.get("b").get(0), "single-stream video passes unchanged");
    }

    /** {@link #frame}: keyframes on every layer. */
    private static final int ALL = 99;

    /** One frame on each layer 33 ms after the previous: a keyframe (3 packets) on one layer, all, or none. */
    private void frame(int frame, int keyframeLayer) throws Exception {
        frame(frame, keyframeLayer, false);
    }

    /**
     * Delta frames are one single NAL unit; a keyframe is STAP-A(SPS, PPS, SEI), FU-A start and FU-A end of the
     * IDR. Every payload ends with a byte whose low digit is the layer.
     * With {@code bareIdrOnH}, layer h sends the IDR's FU-A packets without the parameter-set packet.
     */
    private void frame(int frame, int keyframeLayer, boolean bareIdrOnH) throws Exception {
        clock.advanceMillis(33);
        for (int layer = 0; layer < 3; layer++) {
            List<String> payloads = layer == keyframeLayer || keyframeLayer == ALL
                    ? List.of(stapA(SPS[layer], PPS, "06050" + layer), "7c 85 88 84 0" + layer, "7c 45 ff 1" + layer)
                    : layer == 1 && bareIdrOnH ? List.of("7c 85 88 84 0" + layer, "7c 45 ff 1" + layer)
                    : List.of("41 9a 02 0" + layer);
            for (String payload : payloads) {
                rtp("a", packet(layer, seq[layer], FIRST_TS[layer] + 3000L * frame, payload));
                seq[layer] = (seq[layer] + 1) & 0xFFFF;
            }
        }
    }

    private final int[] seq = FIRST_SEQ.clone();

    private static String stapA(String... units) {
        StringBuilder s = new StringBuilder("78");
        for (String u : units) {
            s.append(String.format("%04x", u.length() / 2)).append(u);
        }
        return s.toString();
    }

    /** An H.264 packet with mid and rid extensions (4-byte extension header + 4 bytes). */
    private static byte[] packet(int layer, int seq, long ts, String payload) {
        byte[] body = HexFormat.of().parseHex(payload.replace(" ", ""));
        byte[] p = new byte[20 + body.length];
        p[0] = (byte) 0x90;
        p[1] = (byte) H264_PT;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) ((ts & 0xFFFF_FFFFL) >>> (24 - 8 * i));
            p[8 + i] = (byte) (LAYER_SSRCS[layer] >>> (24 - 8 * i));
        }
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1;
        p[16] = (byte) (MID_ID << 4);
        p[17] = '1';
        p[18] = (byte) (RID_ID << 4);
        p[19] = (byte) RIDS[layer].charAt(0);
        System.arraycopy(body, 0, p, 20, body.length);
        return p;
    }

    /** The layer of each packet sent: the last payload byte's low digit names it (see {@link #frame}). */
    private List<Integer> layersOf(String receiver) {
        return sent.get(receiver).stream().map(p -> p[p.length - 1] & 0x0F).toList();
    }

    private static void assertContinuous(List<byte[]> rtp) {
        for (int i = 1; i < rtp.size(); i++) {
            byte[] prev = rtp.get(i - 1);
            byte[] p = rtp.get(i);
            assertEquals((RtpHeader.sequenceNumber(prev, 0) + 1) & 0xFFFF, RtpHeader.sequenceNumber(p, 0),
                    "sequence number of packet " + i);
            long tsStep = (RtpHeader.timestamp(p, 0) - RtpHeader.timestamp(prev, 0)) & 0xFFFF_FFFFL;
            assertTrue(tsStep < 90_000, "timestamp of packet " + i + " moved by " + tsStep);
        }
    }

    private void rtp(String from, byte[] bytes) throws Exception {
        TestConferences.rtp(conference, pool, from, bytes, clock.getAsLong());
    }
}
