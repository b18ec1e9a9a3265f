package dev.switchboard.core.keyframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testing.ManualClock;
import org.junit.jupiter.api.Test;

class KeyframeRequestLimiterTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();
    private final KeyframeRequestLimiter limiter = new KeyframeRequestLimiter(clock, 300 * MS);

    @Test
    void manyReceiversOneRequestPerInterval() {
        assertTrue(limiter.tryRequest(0xAAAAL), "first PLI goes out");
        assertTrue(limiter.isPending(0xAAAAL));
        for (int receiver = 0; receiver < 10; receiver++) {
            clock.advanceMillis(20);
            assertFalse(limiter.tryRequest(0xAAAAL), "receiver " + receiver + " within 300 ms");
        }
        assertEquals(10, limiter.suppressedCount());
        clock.advanceMillis(100); // 300 ms after the first request
        assertTrue(limiter.tryRequest(0xAAAAL), "still pending after the interval: retried");
    }

    @Test
    void sourcesAreIndependent() {
        assertTrue(limiter.tryRequest(1));
        assertTrue(limiter.tryRequest(2));
        assertFalse(limiter.tryRequest(1));
        assertFalse(limiter.isPending(3));
    }

    @Test
    void aKeyframeEndsThePendingState() {
        assertTrue(limiter.tryRequest(7));
        clock.advanceMillis(120);
        limiter.onKeyframe(7);
        assertFalse(limiter.isPending(7));
        assertEquals(0, limiter.sinceLastKeyframe(7));
        clock.advanceMillis(50);
        assertEquals(50 * MS, limiter.sinceLastKeyframe(7));
        assertFalse(limiter.tryRequest(7), "the interval still applies after a keyframe");
        clock.advanceMillis(130);
        assertTrue(limiter.tryRequest(7));
        assertTrue(limiter.isPending(7));
    }

    @Test
    void keyframesWithoutRequestsAreTracked() {
        assertEquals(-1, limiter.sinceLastKeyframe(9));
        limiter.onKeyframe(9);
        assertFalse(limiter.isPending(9));
        assertTrue(limiter.tryRequest(9));
    }

    @Test
    void removeForgetsTheSource() {
        assertTrue(limiter.tryRequest(5));
        limiter.remove(5);
        assertFalse(limiter.isPending(5));
        assertTrue(limiter.tryRequest(5), "a new sender with a reused SSRC is not held back");
    }

    @Test
    void zeroIntervalNeverLimits() {
        KeyframeRequestLimiter unlimited = new KeyframeRequestLimiter(clock, 0);
        assertTrue(unlimited.tryRequest(1));
        assertTrue(unlimited.tryRequest(1));
        assertThrows(IllegalArgumentException.class, () -> new KeyframeRequestLimiter(clock, -1));
    }
}
