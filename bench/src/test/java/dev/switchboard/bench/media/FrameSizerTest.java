package dev.switchboard.bench.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameSizerTest {
    @Test
    void averageBitrateMatchesTheTargetWithPeriodicKeyFrames() {
        FrameSizer sizer = new FrameSizer(1_000_000, 30, 1200, 64, 4.0);
        long bytes = 0;
        long packets = 0;
        int frames = 30 * 20;
        for (int f = 0; f < frames; f++) {
            boolean key = f % 60 == 0;
            int n = sizer.nextFrame(key);
            assertTrue(n >= 1);
            assertEquals(1200, sizer.lastPacketSize(), "full-size packets at 1 Mbit/s");
            packets += n;
            bytes += (long) n * 1200;
        }
        double bitrate = bytes * 8 / 20.0;
        assertEquals(1_000_000, bitrate, 1_000_000 * 0.02);
        assertEquals(104.2, packets / 20.0, 2.0);
    }

    @Test
    void keyFramesAreBiggerAndFollowingFramesPayBack() {
        FrameSizer sizer = new FrameSizer(1_000_000, 30, 1200, 64, 4.0);
        for (int i = 0; i < 30; i++) {
            sizer.nextFrame(false);
        }
        int key = sizer.nextFrame(true);
        assertTrue(key >= 13 && key <= 15, "key frame packets " + key);
        int next = sizer.nextFrame(false);
        assertEquals(1, next, "the frame after a key frame is small");
    }

    @Test
    void smallLayersSendOneShorterPacketPerFrame() {
        FrameSizer sizer = new FrameSizer(100_000, 30, 1200, 64, 4.0);
        long bytes = 0;
        for (int f = 0; f < 300; f++) {
            int n = sizer.nextFrame(f == 0);
            if (f > 10) {
                assertEquals(1, n);
            }
            bytes += (long) (n - 1) * 1200 + sizer.lastPacketSize();
        }
        assertEquals(100_000, bytes * 8 / 10.0, 100_000 * 0.03);
    }
}
