package dev.switchboard.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundTripTimeTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000_000_000L;

    @Test
    void rttIsArrivalMinusForwardingMinusTheHoldingDelay() {
        RoundTripTime rtt = new RoundTripTime();
        assertEquals(-1, rtt.nanos());
        rtt.onSenderReportSent(0xAAAAL, 0x12345678L, T0);
        rtt.onSenderReportSent(0xBBBBL, 0x12345678L, T0 + 10 * MS);
        // held 250 ms (16384 / 65536 s), arrived 300 ms after the SR of 0xAAAA went out: RTT 50 ms
        assertTrue(rtt.onReportBlock(0xAAAAL, 0x12345678L, 16_384, T0 + 300 * MS));
        assertEquals(50 * MS, rtt.nanos());
        // a second sample of 130 ms: smoothed 7/8 old + 1/8 new = 60 ms
        assertTrue(rtt.onReportBlock(0xBBBBL, 0x12345678L, 16_384, T0 + 390 * MS));
        assertEquals(130 * MS, rtt.latestNanos());
        assertEquals(60 * MS, rtt.nanos());
    }

    @Test
    void unknownOrEmptyOrInconsistentReportsAreIgnored() {
        RoundTripTime rtt = new RoundTripTime();
        rtt.onSenderReportSent(1, 100, T0);
        assertFalse(rtt.onReportBlock(1, 0, 0, T0 + 50 * MS), "LSR 0: no SR received yet");
        assertFalse(rtt.onReportBlock(1, 101, 0, T0 + 50 * MS), "an SR this side did not send");
        assertFalse(rtt.onReportBlock(2, 100, 0, T0 + 50 * MS), "another source");
        assertFalse(rtt.onReportBlock(1, 100, 65_536, T0 + 50 * MS), "held 1 s but back after 50 ms");
        assertEquals(-1, rtt.nanos());
        for (int i = 0; i < RoundTripTime.REMEMBERED; i++) {
            rtt.onSenderReportSent(3, 1000 + i, T0 + i * MS);
        }
        assertFalse(rtt.onReportBlock(1, 100, 0, T0 + 50 * MS), "forgotten after 16 newer SRs");
        assertTrue(rtt.onReportBlock(3, 1000, 0, T0 + 50 * MS));
        assertEquals(50 * MS, rtt.nanos());
    }
}
