package dev.switchboard.bench.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000L;

    @Test
    void spacesPacketsAtThePacingRate() {
        Pacer pacer = new Pacer(2.5e6, 0); // 2.5 Mbit/s: a 1200-byte packet every 3.84 ms
        long now = 0;
        assertTrue(pacer.canSend(now));
        pacer.onSent(now, 1200);
        assertFalse(pacer.canSend(now + 3 * MS));
        assertEquals(3_840_000, pacer.nextSendTime(now), 1);
        assertTrue(pacer.canSend(3_840_000));
    }

    /** Simulates a send loop that wakes at each due time: a 14-packet key frame leaves over ~50 ms, not at once. */
    @Test
    void keyFrameIsSpreadOverTime() {
        Pacer pacer = new Pacer(2.5e6, 2 * MS);
        List<Long> sends = new ArrayList<>();
        long now = 0;
        int queued = 14;
        while (queued > 0) {
            if (pacer.canSend(now)) {
                sends.add(now);
                pacer.onSent(now, 1200);
                queued--;
            } else {
                now = pacer.nextSendTime(now);
            }
        }
        assertEquals(14, sends.size());
        assertEquals(13 * 3.84, (sends.get(13) - sends.get(0)) / 1e6, 0.01);
        for (int i = 1; i < sends.size(); i++) {
            assertTrue(sends.get(i) - sends.get(i - 1) >= 3_839_000);
        }
    }

    @Test
    void lateLoopCatchesUpOnlyWithinTheCredit() {
        Pacer pacer = new Pacer(2.5e6, 2 * MS);
        pacer.onSent(0, 1200);
        long now = 100 * MS; // woke up very late
        int burst = 0;
        while (pacer.canSend(now)) {
            pacer.onSent(now, 1200);
            burst++;
        }
        // credit of 2 ms at 3.84 ms per packet: the first packet goes, no long burst
        assertTrue(burst <= 2, "burst " + burst);
    }

    @Test
    void longRunRateMatchesThePacingRate() {
        Pacer pacer = new Pacer(1e6, 2 * MS);
        long now = 0;
        long bytes = 0;
        long step = 100_000; // loop wakes every 100 us
        while (now < 10_000 * MS) {
            while (pacer.canSend(now)) {
                pacer.onSent(now, 1000);
                bytes += 1000;
            }
            now += step;
        }
        assertEquals(1e6, bytes * 8 / 10.0, 1e6 * 0.01);
    }
}
