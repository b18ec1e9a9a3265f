package dev.switchboard.core.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtp.NetworkBytes;
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * H.264 layers through {@link StreamRewriter}, classified by {@link H264Format} as the bridge does: switches
 * happen only at a packet carrying the SPS (start of an IDR access unit), the output is one SSRC with sequence
 * numbers +1 and timestamps moving forward across 16- and 32-bit wrap-around, and payloads pass unchanged.
 */
class H264StreamRewriterTest {
    private static final long OUT_SSRC = 0xCAFEL;
    private static final long LOW = 0x100;
    private static final long HIGH = 0x300;
    private static final int PT = 102;

    private final ManualClock clock = new ManualClock();
    private final StreamRewriter rewriter = new StreamRewriter(OUT_SSRC, 90_000, clock);
    private final H264Format format = new H264Format();
    private final PayloadRewriter payload = format.newRewriter();
    /** Output packets, and for each the input it came from. */
    private final List<byte[]> out = new ArrayList<>();
    private final List<byte[]> in = new ArrayList<>();

    /** One layer: keyframes are STAP-A(SPS, PPS), FU-A start, FU-A end; delta frames one single NAL unit. */
    static final class Layer {
        final long ssrc;
        final String sps;
        int seq;
        long ts;

        Layer(long ssrc, String sps, int seq, long ts) {
            this.ssrc = ssrc;
            this.sps = sps;
            this.seq = seq;
            this.ts = ts;
        }

        List<byte[]> frame(boolean key) {
            List<String> payloads = key
                    ? List.of(H264PayloadTest.stapA(sps, H264PayloadTest.PPS), "7c 85 88 84 00 33", "7c 45 ff 10")
                    : List.of("41 9a 02 04 " + String.format("%02x", seq & 0xFF));
            List<byte[]> frame = new ArrayList<>();
            for (int i = 0; i < payloads.size(); i++) {
                byte[] body = HexFormat.of().parseHex(payloads.get(i).replace(" ", ""));
                byte[] p = new byte[12 + body.length];
                p[0] = (byte) 0x80;
                p[1] = (byte) ((i == payloads.size() - 1 ? 0x80 : 0) | PT);
                NetworkBytes.putUint16(p, 2, seq);
                NetworkBytes.putUint32(p, 4, ts);
                NetworkBytes.putUint32(p, 8, ssrc);
                System.arraycopy(body, 0, p, 12, body.length);
                frame.add(p);
                seq = (seq + 1) & 0xFFFF;
            }
            ts = (ts + 3000) & 0xFFFF_FFFFL;
            return frame;
        }
    }

    private int offer(List<byte[]> packets) {
        int n = 0;
        for (byte[] p : packets) {
            byte[] original = p.clone();
            boolean switchPoint = format.inspect(p, 12, p.length - 12) == VideoPayloadFormat.SWITCH_POINT;
            if (rewriter.rewrite(p, 0, p.length, switchPoint, payload)) {
                out.add(p);
                in.add(original);
                n++;
            }
        }
        return n;
    }

    @Test
    void switchesOnlyAtTheSpsPacketAndStaysContinuousAcrossWrapAround() {
        Layer low = new Layer(LOW, "6742e01fda05067e74", 65530, 0xFFFF_E000L); // 180 lines, about to wrap
        Layer high = new Layer(HIGH, "6742e01fed01405ff2a0", 40000, 123_456_789L); // 360 lines
        rewriter.setTargetSource(LOW);
        assertEquals(0, offer(low.frame(false)), "no IDR yet");
        clock.advanceMillis(33);
        assertEquals(3, offer(low.frame(true)));
        for (int i = 0; i < 5; i++) {
            clock.advanceMillis(33);
            assertEquals(1, offer(low.frame(false)));
            assertEquals(0, offer(high.frame(i == 2)), "not the target, keyframe or not");
        }
        rewriter.setTargetSource(HIGH);
        clock.advanceMillis(33);
        List<byte[]> highKey = high.frame(true);
        // The IDR's FU-A start alone (its SPS/PPS packet lost or gone by) is no switch point.
        assertEquals(0, offer(highKey.subList(1, 3)));
        assertEquals(1, offer(low.frame(false)), "the current layer goes on meanwhile");
        clock.advanceMillis(20);
        assertEquals(3, offer(high.frame(true)));
        assertEquals(HIGH, rewriter.currentSource());
        byte[] last = out.get(out.size() - 4);
        byte[] first = out.get(out.size() - 3);
        assertEquals(20 * 90, (RtpHeader.timestamp(first, 0) - RtpHeader.timestamp(last, 0)) & 0xFFFF_FFFFL,
                "the wall-clock time since the last packet sent, at 90 kHz");
        for (int i = 0; i < 4; i++) {
            clock.advanceMillis(33);
            assertEquals(0, offer(low.frame(i == 1)), "the old layer is dropped");
            assertEquals(1, offer(high.frame(false)));
        }
        rewriter.setTargetSource(LOW);
        clock.advanceMillis(33);
        assertEquals(1, offer(high.frame(false)));
        assertEquals(3, offer(low.frame(true)));
        assertEquals(LOW, rewriter.currentSource());

        boolean seqWrapped = false;
        boolean tsWrapped = false;
        for (int i = 0; i < out.size(); i++) {
            byte[] p = out.get(i);
            assertEquals(OUT_SSRC, RtpHeader.ssrc(p, 0));
            assertArrayEquals(Arrays.copyOfRange(in.get(i), 12, in.get(i).length), Arrays.copyOfRange(p, 12, p.length),
                    "payload untouched at output " + i);
            if (i > 0) {
                byte[] prev = out.get(i - 1);
                int seq = RtpHeader.sequenceNumber(p, 0);
                assertEquals((RtpHeader.sequenceNumber(prev, 0) + 1) & 0xFFFF, seq, "no gap at output " + i);
                int tsStep = (int) (RtpHeader.timestamp(p, 0) - RtpHeader.timestamp(prev, 0));
                assertTrue(tsStep >= 0 && tsStep < 90_000, "timestamp moves forward at output " + i + ": " + tsStep);
                seqWrapped |= seq == 0;
                tsWrapped |= RtpHeader.timestamp(p, 0) < RtpHeader.timestamp(prev, 0);
            }
        }
        assertTrue(seqWrapped && tsWrapped, "the run crossed both wrap-arounds");
    }

    @Test
    void aRetransmissionIsRewrittenByteForByteAsTheOriginal() {
        Layer low = new Layer(LOW, "6742e01fda05067e74", 65534, 0xFFFF_FF00L);
        Layer high = new Layer(HIGH, "6742e01fed01405ff2a0", 7, 42);
        rewriter.setTargetSource(LOW);
        offer(low.frame(true));
        offer(low.frame(false));
        rewriter.setTargetSource(HIGH);
        clock.advanceMillis(33);
        offer(high.frame(true));
        offer(high.frame(false));
        assertEquals(8, out.size());
        for (int i = 0; i < out.size(); i++) {
            int slot = rewriter.historySlot(RtpHeader.sequenceNumber(out.get(i), 0));
            byte[] again = in.get(i).clone();
            rewriter.rewriteAgain(slot, again, 0, again.length);
            assertArrayEquals(out.get(i), again, "packet " + i);
        }
    }

    @Test
    void theFormatReadsEachLayersHeightFromItsSps() {
        byte[] lowKey = new Layer(LOW, "6742e01fda05067e74", 0, 0).frame(true).get(0);
        byte[] highKey = new Layer(HIGH, "6742e01fed01405ff2a0", 0, 0).frame(true).get(0);
        assertEquals(180, format.keyframeHeight(lowKey, 12, lowKey.length - 12));
        assertEquals(360, format.keyframeHeight(highKey, 12, highKey.length - 12));
    }
}
