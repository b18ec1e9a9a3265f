package dev.switchboard.core.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SendHistoryTest {
    @Test
    void numbersPacketsFromZeroAcrossTheSixteenBitWrapAndLooksThemUp() {
        SendHistory history = new SendHistory();
        assertEquals(-1, history.slot(0), "nothing sent yet");
        for (int i = 0; i < 70_000; i++) {
            assertEquals(i & 0xFFFF, history.next(0xAAAA_0000L + (i & 1), i & 0xFFFF, 100 + (i % 50), i * 1000L));
        }
        int newest = (70_000 - 1) & 0xFFFF;
        int slot = history.slot(newest);
        assertEquals(newest, history.sequenceNumber(slot));
        assertEquals(69_999_000L, history.sendNanos(slot));
        assertEquals(100 + 69_999 % 50, history.size(slot));
        int old = (70_000 - SendHistory.MAX_CAPACITY) & 0xFFFF; // 70,000 packets in 70 ms: the ring grew to its cap
        assertEquals(old, history.sequenceNumber(history.slot(old)), "the oldest kept");
        assertEquals(-1, history.slot((old - 1) & 0xFFFF), "overwritten");
        assertEquals(-1, history.slot((newest + 1) & 0xFFFF), "not sent yet");
    }

    @Test
    void findsTheNumberAPacketWasSentWithAndRecordsTheResend() {
        SendHistory history = new SendHistory();
        history.next(0xBBL, 7, 1000, 10);
        int first = history.next(0xCCCC_CCCCL, 7, 1000, 20);
        history.next(0xBBL, 8, 1000, 30);
        int slot = history.find(0xCCCC_CCCCL, 7, SendHistory.MAX_CAPACITY);
        assertEquals(first, history.sequenceNumber(slot));
        history.setReported(slot, SendHistory.LOST);
        history.resent(slot, 99);
        assertEquals(99, history.sendNanos(slot));
        assertEquals(SendHistory.UNREPORTED, history.reported(slot));
        assertEquals(-1, history.find(0xCCCC_CCCCL, 8, SendHistory.MAX_CAPACITY));
        assertEquals(-1, history.find(0xBBL, 7, 1), "beyond the scan limit");
    }

    @Test
    void growsOnlyWhileItWouldOverwriteThePastSecond() {
        SendHistory slow = new SendHistory();
        for (int i = 0; i < 5_000; i++) {
            slow.next(1, i, 100, i * 10_000_000L); // 100 packets/s: 256 entries hold 2.56 s
        }
        assertEquals(SendHistory.INITIAL_CAPACITY, slow.capacity());

        SendHistory fast = new SendHistory();
        for (int i = 0; i < 5_000; i++) {
            fast.next(1, i, 100, i * 1_000_000L); // 1,000 packets/s: the last second needs 1,024 entries
        }
        assertEquals(1024, fast.capacity());
        int keptFrom = 5_000 - 1024;
        assertEquals(keptFrom, fast.sequenceNumber(fast.slot(keptFrom)), "entries moved to their new slots");
        assertEquals(keptFrom * 1_000_000L, fast.sendNanos(fast.slot(keptFrom)));
        assertEquals(-1, fast.slot(keptFrom - 1));
    }

    @Test
    void keepsWhatFeedbackReportedAndTheProbeClusterAcrossAGrowth() {
        SendHistory history = new SendHistory();
        int first = history.nextInCluster(1, 0, 100, 0, 7);
        history.setReported(history.slot(first), SendHistory.RECEIVED);
        for (int i = 1; i < SendHistory.INITIAL_CAPACITY + 1; i++) {
            history.next(1, i, 100, i); // all within a microsecond: must grow, not overwrite
        }
        assertEquals(2 * SendHistory.INITIAL_CAPACITY, history.capacity());
        int slot = history.slot(first);
        assertEquals(7, history.cluster(slot));
        assertEquals(SendHistory.RECEIVED, history.reported(slot));
    }
}
