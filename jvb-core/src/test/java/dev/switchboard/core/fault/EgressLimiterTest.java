package dev.switchboard.core.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EgressLimiterTest {
    @Test
    void passesTheBurstThenTheRateAndDropsTheRest() {
        EgressLimiter limiter = new EgressLimiter(800_000, 10_000); // 100 bytes per ms
        long t = 1_000_000_000L;
        int passed = 0;
        for (int i = 0; i < 20; i++) {
            passed += limiter.allow(1000, t) ? 1 : 0;
        }
        assertEquals(10, passed, "the burst");
        assertFalse(limiter.allow(1000, t + 5_000_000L), "5 ms refill 500 bytes");
        assertTrue(limiter.allow(1000, t + 10_000_000L), "10 ms after: 1000 bytes again");
        // 2 s offered at 2 Mbit/s: 0.8 Mbit/s gets through
        passed = 0;
        for (int ms = 0; ms < 2000; ms++) {
            long now = t + 20_000_000L + ms * 1_000_000L;
            for (int k = 0; k < 2; k++) {
                passed += limiter.allow(125, now) ? 125 : 0;
            }
        }
        assertEquals(200_000, passed, 10_500, "bytes through in 2 s at 100 per ms, plus at most the burst");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new EgressLimiter(0, 10_000));
        assertThrows(IllegalArgumentException.class, () -> new EgressLimiter(1000, 100));
    }
}
