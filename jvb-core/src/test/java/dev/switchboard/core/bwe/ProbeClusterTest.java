package dev.switchboard.core.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One probe cluster: its pacing, and its result from synthetic transport-cc arrival times. */
class ProbeClusterTest {
    private static final int SIZE = 250; // 2000 bits: 2 ms apart at 1 Mbit/s
    private static final long T0 = 7_000_000_000L;

    private final ProbeCluster cluster = new ProbeCluster();

    /** Sends the whole cluster as the pacer would, one packet as soon as it is due; returns the send times. */
    private long[] sendAll() {
        long[] sendTimes = new long[cluster.packets()];
        long now = T0;
        int i = 0;
        while (!cluster.allSent()) {
            if (cluster.due(now)) {
                sendTimes[i++] = now;
                cluster.onSent(now);
            } else {
                now += 100_000; // 0.1 ms pacing turns
            }
        }
        return sendTimes;
    }

    @Test
    void pacesItsPacketsAtTheTargetRateForThirtyMilliseconds() {
        cluster.start(7, 1_000_000, SIZE, T0);
        assertEquals(15, cluster.packets(), "1 Mbit/s for 30 ms = 3750 bytes = 15 packets of 250");
        assertTrue(cluster.due(T0));
        cluster.onSent(T0);
        assertFalse(cluster.due(T0 + 1_999_999), "the second goes 2 ms after the first");
        assertTrue(cluster.due(T0 + 2_000_000));
        assertEquals(15L * SIZE, ProbeCluster.bytes(1_000_000, SIZE));

        cluster.start(8, 100_000, SIZE, T0);
        assertEquals(ProbeCluster.MIN_PACKETS, cluster.packets(), "a slow cluster still has enough packets to measure");
        long[] sent = sendAll();
        assertEquals(T0 + 5 * 20_000_000L, sent[5], "at 100 kbit/s 20 ms apart");
        assertThrows(IllegalArgumentException.class, () -> cluster.start(0, 1_000_000, SIZE, T0), "id 0 is media");
    }

    @Test
    void receivedAtTheRateItWasSentProvesThatRate() {
        cluster.start(1, 1_000_000, SIZE, T0);
        long[] sent = sendAll();
        for (int i = 0; i < sent.length; i++) {
            cluster.onReport(true, 55_000_000 + (sent[i] - T0) / 1000 + 20_000, false); // 20 ms later each
        }
        assertTrue(cluster.allReported());
        assertEquals(1_000_000, cluster.sendBps(), 1);
        assertEquals(1_000_000, cluster.receiveBps(), 1);
        assertEquals(1_000_000, cluster.resultBps(), 1);
    }

    @Test
    void arrivalsSpreadByAGrowingQueueProveNothing() {
        cluster.start(1, 1_000_000, SIZE, T0);
        long[] sent = sendAll();
        // a 600 kbit/s bottleneck: each packet leaves it 3.33 ms after the one before
        for (int i = 0; i < sent.length; i++) {
            cluster.onReport(true, 55_000_000 + i * 3_333L, false);
        }
        assertEquals(600_000, cluster.receiveBps(), 1_000);
        assertEquals(-1, cluster.resultBps(), "received slower than sent: a queue grew");

        // a little jitter is not a queue: 1 Mbit/s sent, 0.95 received
        cluster.start(2, 1_000_000, SIZE, T0);
        sent = sendAll();
        for (int i = 0; i < sent.length; i++) {
            cluster.onReport(true, 55_000_000 + i * 2_105L, false);
        }
        assertEquals(950_000, cluster.resultBps(), 1_000, "the smaller of send and receive rate");
    }

    @Test
    void lossBeyondTenPercentFailsAndAPacketReportedLostThenReceivedCountsOnce() {
        cluster.start(1, 1_000_000, SIZE, T0);
        sendAll();
        for (int i = 0; i < 15; i++) {
            boolean received = i != 3 && i != 9;
            cluster.onReport(received, 55_000_000 + i * 2_000L, false);
        }
        assertTrue(cluster.allReported());
        assertEquals(-1, cluster.resultBps(), "2 of 15 lost");

        cluster.start(2, 1_000_000, SIZE, T0);
        sendAll();
        for (int i = 0; i < 15; i++) {
            cluster.onReport(i != 3 && i != 9, 55_000_000 + i * 2_000L, false);
        }
        cluster.onReport(true, 55_000_000 + 3 * 2_000L, true); // a later feedback: 3 arrived after all
        // 1 of 15 lost is within 10 %; the 13 packets after the first arrived over 28 ms (9's bytes never did)
        assertEquals(928_571, cluster.resultBps(), 1);

        cluster.start(3, 1_000_000, SIZE, T0);
        sendAll();
        for (int i = 0; i < 10; i++) {
            cluster.onReport(true, 55_000_000 + i * 2_000L, false);
        }
        assertFalse(cluster.allReported(), "5 not reported yet");
        assertEquals(-1, cluster.resultBps(), "unreported packets count as missing");
    }
}
