package dev.switchboard.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.rtcp.ReportBlock;
import org.junit.jupiter.api.Test;

class ReceiveStreamStatisticsTest {
    private static final long SSRC = 0x11223344L;
    /** An arbitrary, non-zero clock origin: only differences may matter. */
    private static final long T0 = 987_654_321_000L;
    private static final long MS = 1_000_000L;

    @Test
    void lossCumulativeAndFractionPerInterval() {
        ReceiveStreamStatistics stats = new ReceiveStreamStatistics(SSRC, 48_000);
        assertFalse(stats.hasReceived());
        for (int seq = 1; seq <= 10; seq++) {
            if (seq != 4 && seq != 5) {
                stats.onPacket(seq, seq * 960L, T0 + seq * 20 * MS);
            }
        }
        assertTrue(stats.hasReceived());
        assertEquals(10, stats.expected());
        assertEquals(8, stats.received());
        assertEquals(2, stats.cumulativeLost());
        ReportBlock first = stats.report(T0 + 300 * MS);
        assertEquals(new ReportBlock(SSRC, 2 * 256 / 10, 2, 10, 0, 0, 0), first, "51/256 = 2 of 10 lost");

        for (int seq = 11; seq <= 20; seq++) {
            stats.onPacket(seq, seq * 960L, T0 + seq * 20 * MS);
        }
        ReportBlock second = stats.report(T0 + 500 * MS);
        assertEquals(0, second.fractionLost(), "nothing lost in the second interval");
        assertEquals(2, second.cumulativeLost());
        assertEquals(20, second.extendedHighestSequenceNumber());

        // a late packet (4) fills a gap: counted, and the interval shows "negative" loss as 0
        stats.onPacket(4, 4 * 960L, T0 + 600 * MS);
        ReportBlock third = stats.report(T0 + 700 * MS);
        assertEquals(0, third.fractionLost());
        assertEquals(1, third.cumulativeLost());
        assertEquals(20, third.extendedHighestSequenceNumber(), "a reordered packet does not move the highest");
    }

    @Test
    void sequenceNumbersWrapIntoTheCycleCount() {
        ReceiveStreamStatistics stats = new ReceiveStreamStatistics(SSRC, 90_000);
        int[] seqs = {65533, 65534, 65535, 0, 2};
        for (int i = 0; i < seqs.length; i++) {
            stats.onPacket(seqs[i], i * 3000L, T0 + i * 33 * MS);
        }
        assertEquals(0x0001_0002L, stats.extendedHighestSequenceNumber(), "1 cycle, highest 2");
        assertEquals(6, stats.expected(), "65533 .. 65538");
        assertEquals(1, stats.cumulativeLost(), "1 (65537) lost");
        assertEquals(1 * 256 / 6, stats.report(T0).fractionLost());

        stats.onPacket(1, 3 * 3000L, T0 + 200 * MS); // the missing one, late, right after the wrap
        assertEquals(0x0001_0002L, stats.extendedHighestSequenceNumber());
        assertEquals(0, stats.cumulativeLost());
    }

    @Test
    void duplicatesMakeLossNegativeAndFractionZero() {
        ReceiveStreamStatistics stats = new ReceiveStreamStatistics(SSRC, 48_000);
        stats.onPacket(7, 0, T0);
        stats.onPacket(8, 960, T0 + 20 * MS);
        stats.onPacket(8, 960, T0 + 21 * MS);
        assertEquals(-1, stats.cumulativeLost());
        ReportBlock block = stats.report(T0 + 40 * MS);
        assertEquals(0, block.fractionLost());
        assertEquals(-1, block.cumulativeLost());
    }

    @Test
    void aLargeJumpIsARestartOnlyWhenTheNextPacketConfirmsIt() {
        ReceiveStreamStatistics stats = new ReceiveStreamStatistics(SSRC, 90_000);
        stats.onPacket(100, 0, T0);
        stats.onPacket(101, 3000, T0 + 33 * MS);
        stats.onPacket(20_000, 6000, T0 + 66 * MS); // a stray packet: ignored
        stats.onPacket(102, 6000, T0 + 99 * MS);
        assertEquals(102, stats.extendedHighestSequenceNumber());
        assertEquals(3, stats.received());
        assertEquals(0, stats.cumulativeLost());

        stats.onPacket(40_000, 9000, T0 + 132 * MS); // the sender restarted: two sequential packets say so
        stats.onPacket(40_001, 12_000, T0 + 165 * MS);
        assertEquals(40_001, stats.extendedHighestSequenceNumber());
        assertEquals(1, stats.expected(), "A.1: counting starts again at the confirming packet");
        assertEquals(1, stats.received());
        stats.onPacket(40_003, 18_000, T0 + 231 * MS);
        assertEquals(1, stats.cumulativeLost());
    }

    /**
     * RFC 3550 A.8 by hand, 90 kHz (90 timestamp units per ms), arrival times relative to the first packet:
     *
     * <pre>
     * packet  RTP ts  arrival  arrival  transit  |D|   J (floating point, J += (|D| - J) / 16)
     *                 (ms)     (units)
     * 1           0       0        0        0
     * 2        3000      40     3600      600    600  37.5
     * 3        6000      70     6300      300    300  37.5 + 262.5/16 = 53.90625
     * 4        9000     100     9000        0    300  53.90625 + 246.09375/16 = 69.287...
     * 5       12000     140    12600      600    600  69.287 + 530.713/16 = 102.457...
     * </pre>
     * The integer form of A.8 (J scaled by 16, {@code J += |D| - ((J + 8) >> 4)}) gives 600, 862, 1108, 1639,
     * reported as J >> 4: 37, 53, 69, 102.
     */
    @Test
    void jitterFollowsRfc3550AppendixA8() {
        ReceiveStreamStatistics stats = new ReceiveStreamStatistics(SSRC, 90_000);
        long[] timestamps = {0, 3000, 6000, 9000, 12_000};
        long[] arrivalsMs = {0, 40, 70, 100, 140};
        long[] expected = {0, 37, 53, 69, 102};
        for (int i = 0; i < timestamps.length; i++) {
            stats.onPacket(500 + i, timestamps[i], T0 + arrivalsMs[i] * MS);
            assertEquals(expected[i], stats.jitter(), "after packet " + (i + 1));
        }
        // a reordered packet does not feed the jitter
        stats.onPacket(499, 0, T0 + 900 * MS);
        assertEquals(102, stats.jitter());
        assertEquals(102, stats.report(T0 + 1000 * MS).jitter());
    }

    @Test
    void jitterHandlesTimestampWrapAround() {
        ReceiveStreamStatistics stats = new ReceiveStreamStatistics(SSRC, 48_000);
        long ts = 0xFFFF_FFFFL - 959; // the third packet's timestamp wraps to 960
        for (int i = 0; i < 4; i++) {
            stats.onPacket(i, (ts + i * 960L) & 0xFFFF_FFFFL, T0 + i * 20 * MS);
        }
        assertEquals(0, stats.jitter(), "constant transit across the wrap");
    }

    @Test
    void lastSenderReportAndTheDelaySinceIt() {
        ReceiveStreamStatistics stats = new ReceiveStreamStatistics(SSRC, 90_000);
        stats.onPacket(1, 0, T0);
        ReportBlock none = stats.report(T0 + 10 * MS);
        assertEquals(0, none.lastSr());
        assertEquals(0, none.delaySinceLastSr());

        stats.onSenderReport(0x12345678L, T0 + 100 * MS);
        ReportBlock block = stats.report(T0 + 1_600 * MS);
        assertEquals(0x12345678L, block.lastSr());
        assertEquals(3 * 65536 / 2, block.delaySinceLastSr(), "1.5 s in 1/65536 s");
        assertEquals(1, stats.report(T0 + 100 * MS + 15_259).delaySinceLastSr(), "rounded down: 15.26 µs is 1 unit");
    }
}
