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
        int old = (70_000 - SendHistory.CAPACITY) & 0xFFFF;
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
        int slot = history.find(0xCCCC_CCCCL, 7, SendHistory.CAPACITY);
        assertEquals(first, history.sequenceNumber(slot));
        history.setReported(slot, SendHistory.LOST);
        history.resent(slot, 99);
        assertEquals(99, history.sendNanos(slot));
        assertEquals(SendHistory.UNREPORTED, history.reported(slot));
        assertEquals(-1, history.find(0xCCCC_CCCCL, 8, SendHistory.CAPACITY));
        assertEquals(-1, history.find(0xBBL, 7, 1), "beyond the scan limit");
    }
}
