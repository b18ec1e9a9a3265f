package dev.switchboard.bench.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void emptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.count());
        assertEquals(0, h.percentile(0.99));
        assertEquals(0, h.max());
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 50; v++) {
            h.record(v);
        }
        assertEquals(25, h.percentile(0.5));
        assertEquals(50, h.percentile(0.99));
        assertEquals(50, h.max());
        assertEquals(1, h.min());
        assertEquals(25.5, h.mean(), 1e-9);
    }

    @Test
    void bucketsAreContiguousAndCoverLongs() {
        for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
            assertEquals(LatencyHistogram.lowerBound(i - 1) + LatencyHistogram.width(i - 1),
                    LatencyHistogram.lowerBound(i), "bucket " + i);
        }
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.index(Long.MAX_VALUE));
        for (long v : new long[] {63, 64, 65, 127, 128, 1000, 123_456_789L, 1L << 40}) {
            int i = LatencyHistogram.index(v);
            assertTrue(v >= LatencyHistogram.lowerBound(i) && v < LatencyHistogram.lowerBound(i) + LatencyHistogram.width(i),
                    "value " + v);
        }
    }

    @Test
    void percentilesOfUniformValuesAreWithinTwoPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 1_000_000; v++) {
            h.record(v * 10L); // 10 ns .. 10 ms
        }
        assertEquals(5_000_000, h.percentile(0.5), 5_000_000 * 0.02);
        assertEquals(9_900_000, h.percentile(0.99), 9_900_000 * 0.02);
        assertEquals(9_990_000, h.percentile(0.999), 9_990_000 * 0.02);
        assertEquals(10_000_000, h.max());
        assertTrue(h.percentile(1.0) <= h.max());
    }

    @Test
    void tailPercentileSeesRareOutliers() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 9_980; i++) {
            h.record(100_000); // 100 us
        }
        for (int i = 0; i < 20; i++) {
            h.record(5_000_000); // 5 ms, 0.2 %
        }
        assertEquals(100_000, h.percentile(0.99), 2_000);
        assertEquals(5_000_000, h.percentile(0.999), 100_000);
    }

    @Test
    void mergeAddsCountsAndKeepsExtremes() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            a.record(r.nextInt(1000));
            b.record(1000 + r.nextInt(1000));
        }
        b.record(99_999);
        a.merge(b);
        assertEquals(2001, a.count());
        assertEquals(99_999, a.max());
        assertEquals(1000, a.percentile(0.5), 40);
        a.reset();
        assertEquals(0, a.count());
    }

    @Test
    void negativeValuesCountAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        assertEquals(0, h.max());
        assertEquals(1, h.count());
    }
}
