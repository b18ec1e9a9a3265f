package dev.switchboard.core.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When probe attempts start, how fast their clusters go, and what their synthetic feedback yields: exponential
 * probing while they succeed, back-off while they fail, the overhead cap. Time is a plain number (no clock).
 */
class ProbeSchedulerTest {
    private static final int SIZE = 275;
    private static final long SECOND = 1_000_000_000L;

    private final ProbeScheduler probes = new ProbeScheduler();
    private long now = 100 * SECOND;

    /** One sent packet: cluster id and send time. */
    private record Sent(int cluster, long nanos) {}

    /** Paces the attempt out on 1 ms turns; returns the packets in send order and the target of each cluster. */
    private List<Sent> sendAttempt(List<Long> targets) {
        List<Sent> sent = new ArrayList<>();
        while (probes.sending()) {
            ProbeCluster c;
            while ((c = probes.due(now)) != null) {
                if (c.sent() == 0) {
                    targets.add(c.targetBps());
                }
                sent.add(new Sent(c.id(), now));
                c.onSent(now);
            }
            now += 1_000_000;
        }
        return sent;
    }

    /** Feedback 50 ms later: each packet arrives {@code stretch} times as far apart as it was sent. */
    private long feedback(List<Sent> sent, double stretch, boolean overuse) {
        now += 50_000_000;
        long first = sent.get(0).nanos();
        for (Sent s : sent) {
            probes.onReport(s.cluster(), true, 10_000_000 + (long) ((s.nanos() - first) / 1000 * stretch), false);
        }
        return probes.onFeedbackEnd(now, overuse);
    }

    @Test
    void noProbesWhileTheAllocationGetsWhatItWantsOrTheReceiverCannotBeProbed() {
        assertFalse(probes.plan(1_000_000, 800_000, false, true, SIZE, now), "not limited");
        assertFalse(probes.plan(1_000_000, 3_000_000, true, false, SIZE, now), "no RTX stream to probe on");
        assertFalse(probes.plan(1_000_000, 900_000, true, true, SIZE, now), "limited by the hold, not the estimate");
        assertNull(probes.due(now));
    }

    @Test
    void noAttemptWithinASecondOfACutInTheEstimate() {
        probes.estimateDecreasedAt(now - 200_000_000);
        assertFalse(probes.plan(400_000, 5_000_000, true, true, SIZE, now), "the bottleneck's queue is still full");
        assertNull(probes.due(now));
        now += ProbeScheduler.HOLD_AFTER_DECREASE_NANOS - 200_000_000 - 1;
        assertFalse(probes.plan(400_000, 5_000_000, true, true, SIZE, now));
        now += 1;
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now), "a second after the cut");
    }

    @Test
    void twoClustersAtTwiceAndThreeTimesTheEstimateBoundedByWhatTheAllocationNeeds() {
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now));
        List<Long> targets = new ArrayList<>();
        List<Sent> sent = sendAttempt(targets);
        assertEquals(List.of(800_000L, 1_200_000L), targets);
        long firstClusterEnd = sent.stream().filter(s -> s.cluster() == sent.get(0).cluster())
                .mapToLong(Sent::nanos).max().orElseThrow();
        long span = firstClusterEnd - sent.get(0).nanos();
        assertTrue(span >= 25_000_000 && span <= 31_000_000, "a cluster lasts about 30 ms: " + span);

        feedback(sent, 1.0, false);
        targets.clear();
        assertTrue(probes.plan(1_000_000, 2_000_000, true, true, SIZE, now));
        sendAttempt(targets);
        assertEquals(List.of(2_000_000L, 2_200_000L), targets, "the second bounded by 1.1 x what is needed");
    }

    @Test
    void clustersReceivedAtTheirRateRaiseAndProbingContinuesAtOnceExponentially() {
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now));
        List<Sent> sent = sendAttempt(new ArrayList<>());
        long proved = feedback(sent, 1.0, false);
        assertEquals(1_200_000, proved, 60_000, "the faster cluster's rate");
        assertEquals(2, probes.succeededInLastAttempt());
        assertEquals(now, probes.nextAttemptNanos(), "the fast cluster succeeded: the next attempt at once");
        List<Long> targets = new ArrayList<>();
        assertTrue(probes.plan(proved, 5_000_000, true, true, SIZE, now));
        sendAttempt(targets);
        assertEquals(2 * proved, targets.get(0), 1);
    }

    @Test
    void delayedArrivalsProveNothingAndFailedAttemptsBackOffUpToFourSeconds() {
        long[] expectedBackoffs = {1, 2, 4, 4};
        for (long backoff : expectedBackoffs) {
            assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now), "due after " + backoff);
            List<Sent> sent = sendAttempt(new ArrayList<>());
            assertEquals(-1, feedback(sent, 2.0, false), "received at half the rate: a queue, no result");
            assertEquals(0, probes.succeededInLastAttempt());
            assertEquals(now + backoff * SECOND, probes.nextAttemptNanos());
            now += backoff * SECOND - 1;
            assertFalse(probes.plan(400_000, 5_000_000, true, true, SIZE, now), "backing off");
            now += 1;
        }
        // the link recovers: the attempt after the back-off succeeds, and the back-off starts over
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now));
        assertTrue(feedback(sendAttempt(new ArrayList<>()), 1.0, false) > 400_000);
        assertEquals(now, probes.nextAttemptNanos());
    }

    @Test
    void onlyTheSlowerClusterSucceedingOrOveruseMeanwhile() {
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now));
        List<Sent> sent = sendAttempt(new ArrayList<>());
        now += 50_000_000;
        int firstId = sent.get(0).cluster();
        long first = sent.get(0).nanos();
        for (Sent s : sent) { // the 2x cluster on time, the 3x one (after it) spread: the link carries 2x only
            long late = s.cluster() == firstId ? 0 : (s.nanos() - first) / 1000;
            probes.onReport(s.cluster(), true, 10_000_000 + (s.nanos() - first) / 1000 + late, false);
        }
        assertEquals(800_000, probes.onFeedbackEnd(now, false), 40_000);
        assertEquals(1, probes.succeededInLastAttempt());
        assertEquals(now + SECOND, probes.nextAttemptNanos(), "near the link's rate: periodic probing, 1 s on");

        now += SECOND;
        assertTrue(probes.plan(800_000, 5_000_000, true, true, SIZE, now));
        assertEquals(-1, feedback(sendAttempt(new ArrayList<>()), 1.0, true), "the delay detector saw overuse");
    }

    @Test
    void packetsNeverReportedCountAsLostAfterASecond() {
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now));
        List<Sent> sent = sendAttempt(new ArrayList<>());
        long lastSent = sent.get(sent.size() - 1).nanos();
        assertEquals(-1, probes.onFeedbackEnd(lastSent + SECOND - 1, false), "still waiting");
        assertFalse(probes.plan(400_000, 5_000_000, true, true, SIZE, lastSent + SECOND - 1), "one at a time");
        assertEquals(-1, probes.onFeedbackEnd(lastSent + SECOND, false), "timed out: failed");
        assertEquals(lastSent + 2 * SECOND, probes.nextAttemptNanos());
    }

    @Test
    void probeBytesStayWithinTheOverheadCredit() {
        // attempts that all succeed at the same estimate (the caller does not raise it): each costs 0.15 s of the
        // estimate's bytes, the credit holds 0.5 s of it, and refills at 5 % of it per second
        int attempts = 0;
        while (probes.plan(400_000, 5_000_000, true, true, SIZE, now)) {
            attempts++;
            assertTrue(feedback(sendAttempt(new ArrayList<>()), 1.0, false) > 0);
        }
        assertEquals(3, attempts, "three attempts at once, then no credit");
        now += SECOND;
        assertFalse(probes.plan(400_000, 5_000_000, true, true, SIZE, now), "0.05 s of the estimate refilled");
        now += 2 * SECOND;
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now), "enough after 3 s");
        assertNotNull(probes.due(now));
    }

    @Test
    void aCancelledAttemptLeavesNoResultAndNoBackoff() {
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now));
        probes.cancel();
        assertFalse(probes.sending());
        assertEquals(-1, probes.onFeedbackEnd(now + 2 * SECOND, false));
        assertTrue(probes.plan(400_000, 5_000_000, true, true, SIZE, now + 10));
    }
}
