package dev.switchboard.core.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testing.ManualClock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock();
    private NackGenerator generator = new NackGenerator(clock,
            new NackGenerator.Config(100, 3, 1000 * MS, 20 * MS, 100 * MS));

    private int[] due() {
        int[] out = new int[200];
        return Arrays.copyOf(out, generator.collectDue(out));
    }

    private void receive(int... seqs) {
        for (int seq : seqs) {
            generator.onReceived(seq);
        }
    }

    @Test
    void inOrderStreamNeedsNothing() {
        for (int seq = 65000; seq < 65000 + 1000; seq++) {
            generator.onReceived(seq & 0xFFFF);
        }
        assertArrayEquals(new int[0], due());
        assertEquals(0, generator.missingCount());
        assertFalse(generator.takeKeyframeRequest());
    }

    @Test
    void gapIsNackedAtOnceThenEveryRtt() {
        receive(1, 2, 5);
        assertArrayEquals(new int[] {3, 4}, due());
        assertArrayEquals(new int[0], due(), "just sent");
        clock.advanceMillis(99);
        assertArrayEquals(new int[0], due());
        clock.advanceMillis(1);
        assertArrayEquals(new int[] {3, 4}, due(), "one RTT later");
        assertTrue(generator.onReceived(3), "the retransmission of 3 arrived");
        clock.advanceMillis(100);
        assertArrayEquals(new int[] {4}, due());
    }

    @Test
    void table() {
        // mediasoup-style table: received sequence number -> NACK list due right after it, no time passing
        Object[][] rows = {
            {100, new int[] {}},
            {101, new int[] {}},
            {104, new int[] {102, 103}},
            {103, new int[] {}}, // reordered: no longer missing, 102 was already NACKed
            {110, new int[] {105, 106, 107, 108, 109}},
            {102, new int[] {}},
            {109, new int[] {}},
            {111, new int[] {}},
        };
        for (Object[] row : rows) {
            generator.onReceived((Integer) row[0]);
            assertArrayEquals((int[]) row[1], due(), "after " + row[0]);
        }
        assertEquals(4, generator.missingCount(), "105..108");
    }

    @Test
    void reorderedPacketsBeforeCollectionAreNeverNacked() {
        receive(10, 12, 11, 13);
        assertArrayEquals(new int[0], due());
    }

    @Test
    void sequenceNumbersWrapAround() {
        receive(65533, 65534, 1);
        assertArrayEquals(new int[] {65535, 0}, due());
        receive(0);
        clock.advanceMillis(100);
        assertArrayEquals(new int[] {65535}, due());
        receive(65535, 2, 3);
        assertEquals(0, generator.missingCount());
    }

    @Test
    void oldAndDuplicatePacketsChangeNothing() {
        receive(1000, 1001, 1001, 900, 1000);
        assertEquals(0, generator.missingCount());
        assertArrayEquals(new int[0], due());
    }

    @Test
    void givesUpAfterMaxRetriesAndAsksForAKeyframe() {
        receive(1, 3);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new int[] {2}, due(), "try " + (i + 1));
            clock.advanceMillis(100);
        }
        assertFalse(generator.takeKeyframeRequest());
        assertArrayEquals(new int[0], due());
        assertEquals(0, generator.missingCount());
        assertTrue(generator.takeKeyframeRequest());
        assertFalse(generator.takeKeyframeRequest(), "the flag is taken once");
    }

    @Test
    void givesUpAfterMaxAge() {
        generator = new NackGenerator(clock, new NackGenerator.Config(100, 100, 250 * MS, 20 * MS, 100 * MS));
        receive(1, 3);
        assertArrayEquals(new int[] {2}, due());
        clock.advanceMillis(250);
        receive(5);
        assertArrayEquals(new int[] {2, 4}, due(), "2 is 250 ms old: still asked for");
        clock.advanceMillis(1);
        assertArrayEquals(new int[0], due(), "2 expired; 4 was just NACKed");
        assertEquals(1, generator.missingCount());
        assertTrue(generator.takeKeyframeRequest());
    }

    @Test
    void retryIntervalFollowsTheRttWithAFloor() {
        receive(1, 3);
        due();
        generator.setRtt(40 * MS);
        clock.advanceMillis(40);
        assertArrayEquals(new int[] {2}, due());
        generator.setRtt(1 * MS);
        clock.advanceMillis(10);
        assertArrayEquals(new int[0], due(), "never faster than the 20 ms minimum");
        clock.advanceMillis(10);
        assertArrayEquals(new int[] {2}, due());
    }

    @Test
    void aGapLargerThanTheListMeansKeyframe() {
        receive(1, 500);
        assertEquals(0, generator.missingCount());
        assertTrue(generator.takeKeyframeRequest());
        assertArrayEquals(new int[0], due());
        receive(502);
        assertArrayEquals(new int[] {501}, due(), "tracking continues from the new position");
    }

    @Test
    void aFullListDropsTheOldestAndAsksForAKeyframe() {
        receive(0, 61, 100); // 60 missing, then 38 more: room for 100
        assertEquals(98, generator.missingCount());
        assertFalse(generator.takeKeyframeRequest());
        receive(105);
        assertEquals(100, generator.missingCount());
        assertTrue(generator.takeKeyframeRequest());
        int[] due = due();
        assertEquals(100, due.length);
        assertEquals(3, due[0], "1 and 2 were dropped");
        assertEquals(104, due[99]);
    }

    @Test
    void aKeyframeMakesOlderLossesIrrelevant() {
        receive(1, 5, 10, 13);
        generator.onKeyframe(10); // a keyframe starts at 10: 2..9 are not needed any more
        assertArrayEquals(new int[] {11, 12}, due());
        assertFalse(generator.takeKeyframeRequest());
    }

    @Test
    void collectsNoMoreThanTheOutputHoldsAndKeepsTheRestDue() {
        receive(0, 10);
        int[] out = new int[4];
        assertEquals(4, generator.collectDue(out));
        assertArrayEquals(new int[] {1, 2, 3, 4}, out);
        assertEquals(4, generator.collectDue(out));
        assertArrayEquals(new int[] {5, 6, 7, 8}, out);
        assertEquals(1, generator.collectDue(out));
        assertEquals(9, out[0]);
    }

    @Test
    void resetForgetsTheStream() {
        receive(1, 5);
        generator.reset();
        receive(40000, 40001);
        assertArrayEquals(new int[0], due());
    }

    @Test
    void rejectsBadConfig() {
        assertThrows(IllegalArgumentException.class, () -> new NackGenerator.Config(0, 1, 1, 1, 1));
        assertEquals(1000, NackGenerator.Config.defaults().maxMissing());
    }
}
