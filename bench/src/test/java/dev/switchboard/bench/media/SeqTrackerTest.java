package dev.switchboard.bench.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class SeqTrackerTest {
    @Test
    void inOrderStreamHasNoLoss() {
        SeqTracker t = new SeqTracker();
        assertFalse(t.started());
        for (int s = 100; s < 200; s++) {
            assertEquals(SeqTracker.IN_ORDER, t.record(s));
            assertEquals(0, t.gapLength());
        }
        assertEquals(100, t.expected());
        assertEquals(100, t.unique());
        assertEquals(0, t.lost());
    }

    @Test
    void gapsCountAsLostAndAreReported() {
        SeqTracker t = new SeqTracker();
        t.record(10);
        t.record(11);
        assertEquals(SeqTracker.IN_ORDER, t.record(15)); // 12, 13, 14 missing
        assertEquals(3, t.gapLength());
        assertEquals(12, t.gapStart());
        t.record(16);
        assertEquals(0, t.gapLength());
        assertEquals(7, t.expected());
        assertEquals(3, t.lost());
    }

    @Test
    void lateArrivalFillsTheGapAndCountsAsOutOfOrder() {
        SeqTracker t = new SeqTracker();
        t.record(1);
        t.record(3);
        assertEquals(SeqTracker.OUT_OF_ORDER, t.record(2));
        assertEquals(0, t.lost());
        assertEquals(1, t.outOfOrder());
    }

    @Test
    void duplicatesAreCountedOnce() {
        SeqTracker t = new SeqTracker();
        t.record(5);
        t.record(6);
        assertEquals(SeqTracker.DUPLICATE, t.record(6));
        assertEquals(SeqTracker.DUPLICATE, t.record(5));
        assertEquals(2, t.duplicates());
        assertEquals(2, t.unique());
        assertEquals(0, t.lost());
    }

    @Test
    void wrapAroundExtendsTheSequenceNumbers() {
        SeqTracker t = new SeqTracker();
        for (int i = 0; i < 10; i++) {
            t.record((65530 + i) & 0xFFFF); // 65530..65535, 0..3
        }
        assertEquals(65530 + 9, t.extendedMax());
        assertEquals(10, t.expected());
        assertEquals(0, t.lost());
        // a reordered packet from before the wrap
        SeqTracker u = new SeqTracker();
        u.record(65534);
        u.record(0);
        assertEquals(SeqTracker.OUT_OF_ORDER, u.record(65535));
        assertEquals(0, u.lost());
    }

    @Test
    void packetsOlderThanTheWindowAreTooOld() {
        SeqTracker t = new SeqTracker();
        t.record(0);
        t.record(SeqTracker.WINDOW + 10);
        assertEquals(SeqTracker.TOO_OLD, t.record(5));
        assertEquals(1, t.tooOld());
    }

    @Test
    void aBigJumpClearsTheDuplicateWindow() {
        SeqTracker t = new SeqTracker();
        t.record(1);
        t.record(1 + 3 * SeqTracker.WINDOW);
        // same slot in the bitmap as 1, but a different packet: must not look like a duplicate
        assertEquals(SeqTracker.OUT_OF_ORDER, t.record(1 + 2 * SeqTracker.WINDOW + 5));
        assertEquals(0, t.duplicates());
    }
}
