package dev.switchboard.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitWindowTest {
    private final TransitRecorder loop0 = new TransitRecorder();
    private final TransitRecorder loop1 = new TransitRecorder();
    private final TransitWindow window = new TransitWindow(List.of(loop0, loop1), 3);

    @Test
    void mergesEveryLoopOverTheLastSecondsOnly() {
        assertEquals(BridgeStatistics.Transit.NONE, window.snapshot(), "nothing recorded yet");
        for (int i = 1; i <= 98; i++) {
            loop0.record(100_000); // 100 µs
        }
        loop1.record(5_000_000); // 5 ms
        loop1.record(40_000_000); // 40 ms
        assertEquals(BridgeStatistics.Transit.NONE, window.snapshot(), "only completed seconds count");
        window.roll();
        BridgeStatistics.Transit t = window.snapshot();
        assertEquals(100, t.packets());
        assertEquals(100, t.p50Micros(), 1);
        assertEquals(5_000, t.p99Micros(), 50);
        assertEquals(40_000, t.maxMicros(), 400);
        window.roll();
        window.roll();
        assertEquals(100, window.snapshot().packets(), "still within three seconds");
        window.roll();
        assertEquals(BridgeStatistics.Transit.NONE, window.snapshot(), "that second has left the window");
    }

    @Test
    void clampsTimesOutsideTheRange() {
        loop0.record(-5);
        loop0.record(Long.MAX_VALUE);
        window.roll();
        BridgeStatistics.Transit t = window.snapshot();
        assertEquals(2, t.packets());
        assertTrue(t.maxMicros() >= TransitRecorder.MAX_MICROS && t.maxMicros() <= TransitRecorder.MAX_MICROS * 1.01);
    }
}
