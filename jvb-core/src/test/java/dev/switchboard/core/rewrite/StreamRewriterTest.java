package dev.switchboard.core.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtp.NetworkBytes;
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamRewriterTest {
    private static final long OUT_SSRC = 0xBEEFL;
    private static final long LOW = 0x100;
    private static final long MID = 0x200;
    private static final long HIGH = 0x300;

    private final ManualClock clock = new ManualClock();
    private final StreamRewriter rewriter = new StreamRewriter(OUT_SSRC, 90_000, clock);
    private final Vp8PictureIdRewriter vp8 = new Vp8PictureIdRewriter();
    private final List<Out> out = new ArrayList<>();

    /** What the receiver got. */
    record Out(long ssrc, int seq, long ts, int pictureId, int tl0, boolean frameStart) {}

    /** One simulcast layer of a VP8 sender: 30 frames/s, 15-bit picture IDs, TL0PICIDX. */
    static final class Layer {
        final long ssrc;
        int seq;
        long ts;
        int pictureId;
        int tl0;

        Layer(long ssrc, int seq, long ts, int pictureId, int tl0) {
            this.ssrc = ssrc;
            this.seq = seq;
            this.ts = ts;
            this.pictureId = pictureId;
            this.tl0 = tl0;
        }

        List<byte[]> frame(int packets, boolean key) {
            List<byte[]> frame = new ArrayList<>();
            for (int i = 0; i < packets; i++) {
                byte[] p = new byte[12 + 6 + 3];
                p[0] = (byte) 0x80;
                p[1] = (byte) ((i == packets - 1 ? 0x80 : 0) | 96);
                NetworkBytes.putUint16(p, 2, seq);
                NetworkBytes.putUint32(p, 4, ts);
                NetworkBytes.putUint32(p, 8, ssrc);
                new Vp8Descriptor.Fields(false, i == 0, 0, pictureId, true, tl0, 0, false, -1).write(p, 12);
                p[18] = (byte) (i == 0 && key ? 0x10 : 0x11); // VP8 payload header P bit (or just data)
                frame.add(p);
                seq = (seq + 1) & 0xFFFF;
            }
            ts = (ts + 3000) & 0xFFFF_FFFFL;
            pictureId = (pictureId + 1) & 0x7FFF;
            tl0 = (tl0 + 1) & 0xFF;
            return frame;
        }
    }

    private boolean offer(byte[] p) {
        boolean keyframeStart = Vp8Descriptor.isKeyframeStart(p, 12, p.length - 12);
        if (!rewriter.rewrite(p, 0, p.length, keyframeStart, vp8)) {
            return false;
        }
        out.add(new Out(RtpHeader.ssrc(p, 0), RtpHeader.sequenceNumber(p, 0), RtpHeader.timestamp(p, 0),
                Vp8Descriptor.pictureId(p, 12, p.length - 12), Vp8Descriptor.tl0PicIdx(p, 12, p.length - 12),
                Vp8Descriptor.isStartOfPartition(p, 12)));
        return true;
    }

    private int offerAll(List<byte[]> packets) {
        int n = 0;
        for (byte[] p : packets) {
            n += offer(p) ? 1 : 0;
        }
        return n;
    }

    /** One SSRC; sequence numbers +1 each; timestamps equal within a frame and increasing between frames. */
    private void assertContinuous(boolean pictureIdsStepByOne) {
        for (int i = 0; i < out.size(); i++) {
            Out o = out.get(i);
            assertEquals(OUT_SSRC, o.ssrc());
            if (i == 0) {
                continue;
            }
            Out prev = out.get(i - 1);
            assertEquals((prev.seq() + 1) & 0xFFFF, o.seq(), "no gap at output " + i);
            int tsStep = (int) (o.ts() - prev.ts());
            int picStep = (o.pictureId() - prev.pictureId()) & 0x7FFF;
            if (o.frameStart()) {
                assertTrue(tsStep > 0, "timestamp moves forward at output " + i + ": " + tsStep);
                if (pictureIdsStepByOne) {
                    assertEquals(1, picStep, "picture ID +1 at output " + i);
                    assertEquals((prev.tl0() + 1) & 0xFF, o.tl0(), "TL0PICIDX +1 at output " + i);
                } else {
                    assertTrue(picStep > 0 && picStep < 0x4000, "picture ID forward at output " + i);
                }
            } else {
                assertEquals(0, tsStep, "same frame, same timestamp at output " + i);
                assertEquals(0, picStep);
            }
        }
    }

    @Test
    void startsOnAKeyframeAndSwitchesOnlyOnKeyframes() {
        Layer low = new Layer(LOW, 1000, 1_000_000, 100, 10);
        Layer high = new Layer(HIGH, 65530, 0xFFFF_F000L, 0x7FFC, 253); // everything about to wrap
        rewriter.setTargetSource(LOW);
        assertTrue(rewriter.isSwitchPending());

        assertEquals(0, offerAll(low.frame(2, false)), "no keyframe yet: nothing to decode from");
        assertEquals(0, offerAll(high.frame(3, true)), "not the target");
        clock.advanceMillis(33);
        assertEquals(2, offerAll(low.frame(2, true)));
        assertEquals(1002, out.get(0).seq(), "the first source passes through unshifted");
        assertEquals(LOW, rewriter.currentSource());
        assertFalse(rewriter.isSwitchPending());
        for (int i = 0; i < 3; i++) {
            clock.advanceMillis(33);
            assertEquals(2, offerAll(low.frame(2, false)));
            assertEquals(0, offerAll(high.frame(3, i == 1)), "a keyframe of a non-target layer changes nothing");
        }

        rewriter.setTargetSource(HIGH);
        clock.advanceMillis(33);
        assertEquals(2, offerAll(low.frame(2, false)), "current layer goes on until the target's keyframe");
        assertEquals(0, offerAll(high.frame(3, false)));
        clock.advanceMillis(33);
        assertEquals(2, offerAll(low.frame(2, false)));
        clock.advanceMillis(10);
        assertEquals(3, offerAll(high.frame(3, true)));
        assertEquals(HIGH, rewriter.currentSource());
        Out switched = out.get(out.size() - 3);
        Out beforeSwitch = out.get(out.size() - 4);
        assertEquals(10 * 90, switched.ts() - beforeSwitch.ts(), "10 ms of wall clock at 90 kHz");
        for (int i = 0; i < 4; i++) {
            clock.advanceMillis(33);
            assertEquals(0, offerAll(low.frame(2, i == 0)), "the old layer is dropped, keyframe or not");
            assertEquals(3, offerAll(high.frame(3, false)));
        }

        rewriter.setTargetSource(LOW);
        clock.advanceMillis(33);
        assertEquals(3, offerAll(high.frame(3, false)));
        clock.advanceMillis(33);
        assertEquals(2, offerAll(low.frame(2, true)));
        assertEquals(33 * 90, out.get(out.size() - 2).ts() - out.get(out.size() - 3).ts());
        assertEquals(out.size(), rewriter.forwardedCount());
        assertContinuous(true);
    }

    @Test
    void theHistoryRewritesARetransmissionExactlyAsTheOriginalAcrossASwitch() {
        Layer low = new Layer(LOW, 65530, 1000, 32760, 250);
        Layer high = new Layer(HIGH, 100, 7_000_000, 5, 9);
        rewriter.setTargetSource(LOW);
        List<byte[]> originals = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            clock.advanceMillis(33);
            List<byte[]> lowFrame = low.frame(2, f == 0);
            List<byte[]> highFrame = high.frame(2, f == 3);
            if (f == 2) {
                rewriter.setTargetSource(HIGH);
            }
            for (byte[] p : concat(lowFrame, highFrame)) {
                byte[] copy = p.clone();
                if (offer(p)) {
                    originals.add(copy);
                    sent.add(p);
                }
            }
        }
        assertEquals(14, sent.size()); // low: 2+2+2+2, high from its keyframe in frame 3: 2+2+2
        for (int i = 0; i < sent.size(); i++) {
            int slot = rewriter.historySlot(RtpHeader.sequenceNumber(sent.get(i), 0));
            byte[] again = originals.get(i).clone();
            assertEquals(RtpHeader.ssrc(again, 0), rewriter.historySource(slot));
            assertEquals(RtpHeader.sequenceNumber(again, 0), rewriter.historyInputSequenceNumber(slot));
            rewriter.rewriteAgain(slot, again, 0, again.length);
            assertArrayEquals(sent.get(i), again, "packet " + i);
        }
        assertEquals(-1, rewriter.historySlot((RtpHeader.sequenceNumber(sent.get(13), 0) + 1) & 0xFFFF),
                "never sent");
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        List<byte[]> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void outputWrapsAroundWithTheSource() {
        Layer high = new Layer(HIGH, 65500, 0xFFFF_0000L, 0x7FF0, 250);
        rewriter.setTargetSource(HIGH);
        offerAll(high.frame(4, true));
        for (int i = 0; i < 40; i++) {
            clock.advanceMillis(33);
            offerAll(high.frame(4, false));
        }
        assertEquals(41 * 4, out.size());
        assertTrue(out.get(out.size() - 1).seq() < 200, "wrapped");
        assertTrue(out.get(out.size() - 1).ts() < 0x10000L, "wrapped");
        assertContinuous(true);
    }

    @Test
    void packetsDroppedByChoiceLeaveNoGap() {
        Layer low = new Layer(LOW, 40000, 5000, 1, 1);
        rewriter.setTargetSource(LOW);
        offerAll(low.frame(2, true));
        for (int i = 0; i < 20; i++) {
            List<byte[]> frame = low.frame(3, false);
            if (i % 2 == 1) {
                frame.forEach(p -> rewriter.skip(p, 0, p.length)); // e.g. a temporal layer not forwarded
            } else {
                offerAll(frame);
            }
        }
        assertEquals(2 + 10 * 3, out.size());
        assertContinuous(false);
    }

    @Test
    void aPacketReorderedAcrossADropGetsItsInOrderNumber() {
        Layer low = new Layer(LOW, 100, 0, 1, 1);
        rewriter.setTargetSource(LOW);
        List<byte[]> frame = low.frame(4, true); // seqs 100..103
        List<byte[]> next = low.frame(2, false); // seqs 104, 105
        offer(frame.get(0)); //                        100 -> 100
        rewriter.skip(frame.get(2), 0, frame.get(2).length); // 102 dropped by choice (101 still in flight)
        offer(frame.get(3)); //                        103 -> 102
        offer(frame.get(1)); //                        101 arrives late -> 101
        offer(next.get(0)); //                         104 -> 103
        assertEquals(List.of(100, 102, 101, 103), out.stream().map(Out::seq).toList());
        rewriter.skip(frame.get(2), 0, frame.get(2).length); // a second copy of a dropped packet: ignored
        assertFalse(offer(frame.get(2)), "a copy of a packet dropped by choice is not forwarded");
        offer(next.get(1));
        assertEquals(104, out.get(out.size() - 1).seq());
    }

    @Test
    void latePacketsFromBeforeTheSwitchAreDropped() {
        Layer low = new Layer(LOW, 100, 0, 1, 1);
        Layer high = new Layer(HIGH, 500, 0, 1, 1);
        rewriter.setTargetSource(LOW);
        offerAll(low.frame(2, true));
        List<byte[]> highDelta = high.frame(2, false); // 500, 501: before the keyframe
        rewriter.setTargetSource(HIGH);
        offerAll(high.frame(2, true)); // 502, 503
        assertFalse(offer(highDelta.get(1)), "older than the switch point");
        assertFalse(offer(low.frame(1, false).get(0)));
        assertEquals(4, out.size());
        assertContinuous(true);
    }

    @Test
    void stoppingAndResumingContinuesTheNumbering() {
        Layer mid = new Layer(MID, 7000, 90_000, 50, 5);
        rewriter.setTargetSource(MID);
        offerAll(mid.frame(2, true));
        rewriter.setTargetSource(StreamRewriter.NONE);
        assertFalse(rewriter.isSwitchPending());
        for (int i = 0; i < 10; i++) {
            clock.advanceMillis(33);
            assertEquals(0, offerAll(mid.frame(2, i == 3)), "stopped (e.g. left last-N)");
        }
        rewriter.setTargetSource(MID);
        clock.advanceMillis(33);
        assertEquals(0, offerAll(mid.frame(2, false)), "resuming needs a keyframe");
        clock.advanceMillis(33);
        assertEquals(2, offerAll(mid.frame(2, true)));
        assertEquals(7002, out.get(2).seq(), "continues after the last packet sent, not at the source's number");
        assertEquals(90_000 + 12 * 33 * 90, out.get(2).ts(), "wall clock since the last frame sent");
        assertContinuous(true);
    }

    @Test
    void randomSwitchingAndDroppingNeverBreaksContinuity() {
        Random random = new Random(11);
        Layer[] layers = {new Layer(LOW, random.nextInt(65536), random.nextInt() & 0xFFFF_FFFFL, 0, 0),
            new Layer(MID, random.nextInt(65536), random.nextInt() & 0xFFFF_FFFFL, 3000, 100),
            new Layer(HIGH, random.nextInt(65536), random.nextInt() & 0xFFFF_FFFFL, 32000, 200)};
        rewriter.setTargetSource(MID);
        int switches = 0;
        for (int step = 0; step < 3000; step++) {
            clock.advanceMillis(random.nextInt(40));
            if (random.nextInt(30) == 0) {
                rewriter.setTargetSource(layers[random.nextInt(3)].ssrc);
            }
            long before = rewriter.currentSource();
            for (int k = 0; k < 3; k++) {
                Layer layer = layers[(step + k) % 3];
                List<byte[]> frame = layer.frame(1 + random.nextInt(4), random.nextInt(8) == 0);
                boolean dropFrame = layer.ssrc == rewriter.currentSource() && random.nextInt(6) == 0
                        && !Vp8Descriptor.isKeyframeStart(frame.get(0), 12, frame.get(0).length - 12);
                for (byte[] p : frame) {
                    if (dropFrame) {
                        rewriter.skip(p, 0, p.length);
                    } else {
                        offer(p);
                    }
                }
            }
            if (rewriter.currentSource() != before) {
                switches++;
            }
        }
        assertTrue(switches > 20, "exercised switching: " + switches);
        assertTrue(out.size() > 3000);
        assertContinuous(false);
    }
}
