package dev.switchboard.core.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The estimator against a simulated bottleneck: the bridge sends 1200-byte packets, a FIFO link of a given
 * capacity (20 ms base delay, drop-tail queue) delivers them, and the receiver reports arrivals every 50 ms as
 * transport-cc feedback would. All time is simulated (no clock, no sleeps).
 */
class BandwidthEstimatorTest {
    private static final int PACKET = 1200;
    private static final long FEEDBACK_US = 50_000;

    /** A FIFO bottleneck; returns arrival times (µs, receiver clock with an arbitrary origin) or -1 (dropped). */
    static final class Link {
        double capacityBps;
        final long baseDelayUs = 20_000;
        final long maxQueueUs;
        private double freeAtUs;

        Link(double capacityBps, long maxQueueUs) {
            this.capacityBps = capacityBps;
            this.maxQueueUs = maxQueueUs;
        }

        long deliver(long sendUs, int size) {
            double start = Math.max(sendUs + baseDelayUs, freeAtUs);
            if (start - (sendUs + baseDelayUs) > maxQueueUs) {
                return -1;
            }
            freeAtUs = start + size * 8e6 / capacityBps;
            return (long) freeAtUs + 987_654_321L;
        }
    }

    /** A packet in flight: {@code cluster} 0 for media, else the probe cluster it was sent in. */
    record Sent(long sendUs, long arrivalUs, int size, int cluster) {}

    /**
     * Drives the estimator: the sender sends at a given rate or at the estimate; with {@link #probing}, also the
     * probe clusters of a {@link ProbeScheduler} ({@link #PROBE}-byte packets), whose results raise the estimate
     * as {@code Downlink} wires them.
     */
    static final class Simulation {
        static final int PROBE = 275;
        final BandwidthEstimator estimator;
        final Link link;
        final List<Sent> inFlight = new ArrayList<>();
        long nowUs;
        double sendCredit;
        long nextFeedbackUs = FEEDBACK_US;
        final List<BandwidthEstimator.Signal> signals = new ArrayList<>();
        long lost;
        private ProbeScheduler probes;
        private long neededBps;
        int probeAttempts;
        int succeededClusters;
        long probeBytes;
        long mediaBytes;

        Simulation(Link link) {
            this(link, new BandwidthEstimator(1_000_000, 30_000, 20_000_000));
        }

        Simulation(Link link, BandwidthEstimator estimator) {
            this.link = link;
            this.estimator = estimator;
        }

        /** Probes while the estimate is below {@code needed} (what the wanted allocation needs). */
        Simulation probing(long needed) {
            probes = new ProbeScheduler();
            neededBps = needed;
            return this;
        }

        /** Runs for {@code us}, sending at {@code sendBps} (or at the estimate when negative), 1 ms steps. */
        void run(long us, long sendBps) {
            long end = nowUs + us;
            while (nowUs < end) {
                nowUs += 1000;
                long rate = sendBps >= 0 ? sendBps : estimator.estimateBps();
                sendCredit += rate / 1000.0 / 8;
                while (sendCredit >= PACKET) {
                    sendCredit -= PACKET;
                    inFlight.add(new Sent(nowUs, link.deliver(nowUs, PACKET), PACKET, 0));
                    mediaBytes += PACKET;
                }
                ProbeCluster cluster;
                while (probes != null && (cluster = probes.due(nowUs * 1000)) != null) {
                    inFlight.add(new Sent(nowUs, link.deliver(nowUs, PROBE), PROBE, cluster.id()));
                    cluster.onSent(nowUs * 1000);
                    probeBytes += PROBE;
                }
                if (nowUs >= nextFeedbackUs) {
                    nextFeedbackUs += FEEDBACK_US;
                    feedback();
                }
            }
        }

        /** Reports, in send order, every packet up to the first one still in flight (lost ones inline). */
        private void feedback() {
            int reported = 0;
            long receiverNowUs = nowUs + 987_654_321L;
            for (Sent s : inFlight) {
                if (s.arrivalUs() > receiverNowUs) {
                    break;
                }
                boolean received = s.arrivalUs() >= 0;
                lost += received ? 0 : 1;
                estimator.packet(s.sendUs() * 1000, s.size(), received, s.arrivalUs(), true);
                if (s.cluster() != 0) {
                    probes.onReport(s.cluster(), received, s.arrivalUs(), false);
                }
                reported++;
            }
            if (reported > 0) {
                inFlight.subList(0, reported).clear();
                estimator.update(nowUs * 1000);
                signals.add(estimator.signal());
            }
            if (probes != null) {
                probe(nowUs * 1000);
            }
        }

        private void probe(long now) {
            long proved = probes.onFeedbackEnd(now, estimator.signal() == BandwidthEstimator.Signal.OVERUSE);
            if (proved > 0) {
                succeededClusters += probes.succeededInLastAttempt();
                estimator.onProbeResult(proved);
            }
            long estimate = estimator.estimateBps();
            boolean wasSending = probes.sending();
            probes.plan(estimate, neededBps, estimate < neededBps, true, PROBE, now);
            if (!wasSending && probes.sending()) {
                probeAttempts++;
            }
        }

        long estimate() {
            return estimator.estimateBps();
        }
    }

    @Test
    void aSteadyLinkWithRoomToSpareIsNeverSeenAsCongested() {
        Simulation sim = new Simulation(new Link(5_000_000, 500_000));
        sim.run(20_000_000, 1_000_000);
        assertEquals(Long.MIN_VALUE, sim.estimator.decreasedAtNanos(), "never cut");
        assertTrue(sim.signals.size() > 300, "feedback every 50 ms");
        assertTrue(sim.signals.stream().noneMatch(s -> s == BandwidthEstimator.Signal.OVERUSE), "no overuse");
        assertEquals(0, sim.lost);
        assertEquals(0.0, sim.estimator.lossFraction());
        // it grows from the initial 1 Mbit/s, but without probes no further than 2 x delivered + 1 Mbit/s
        assertTrue(sim.estimate() > 2_500_000 && sim.estimate() <= 3_100_000, "estimate " + sim.estimate());
        double acked = sim.estimator.ackedBps(sim.nowUs * 1000);
        assertTrue(acked > 900_000 && acked < 1_100_000, "acknowledged rate " + acked);
    }

    @Test
    void congestionOnsetWithAGrowingQueueDropsTheEstimateBelowTheBottleneck() {
        Simulation sim = new Simulation(new Link(1_000_000, 5_000_000)); // deep buffer: delay grows, no loss
        sim.run(5_000_000, 500_000);
        assertTrue(sim.signals.stream().noneMatch(s -> s == BandwidthEstimator.Signal.OVERUSE));
        long before = sim.estimate();
        sim.run(2_000_000, 2_000_000); // twice what the link carries
        assertTrue(sim.signals.contains(BandwidthEstimator.Signal.OVERUSE), "the delay trend shows overuse");
        assertEquals(0, sim.lost, "found by delay alone");
        assertTrue(sim.estimate() < 1_000_000 && sim.estimate() > 500_000,
                "0.85 x what got through: " + sim.estimate() + " (before: " + before + ")");
        long cut = sim.estimator.decreasedAtNanos();
        assertTrue(cut != Long.MIN_VALUE && cut <= sim.nowUs * 1000 && cut > sim.nowUs * 1000 - 2_000_000_000L,
                "the cut is dated within the congested period: " + cut);
    }

    @Test
    void lossOnAShallowQueueCutsTheEstimate() {
        Simulation sim = new Simulation(new Link(600_000, 20_000)); // policer-like: drops, little delay
        sim.run(3_000_000, 1_500_000);
        assertTrue(sim.lost > 100);
        assertTrue(sim.estimator.lossFraction() > 0.3, "loss " + sim.estimator.lossFraction());
        assertTrue(sim.estimate() < 800_000, "estimate " + sim.estimate());
        assertTrue(sim.estimator.decreasedAtNanos() != Long.MIN_VALUE, "a loss cut is dated too");
    }

    @Test
    void aSenderFollowingTheEstimateTracksACapacityDropAndRecovers() {
        Link link = new Link(3_000_000, 300_000);
        Simulation sim = new Simulation(link);
        sim.run(10_000_000, -1);
        assertTrue(sim.estimate() > 2_000_000, "ramped up on a free link: " + sim.estimate());

        link.capacityBps = 500_000; // the receiver's downlink shrinks
        sim.run(3_000_000, -1);
        assertTrue(sim.estimate() < 600_000, "followed the drop within 3 s: " + sim.estimate());
        long low = Long.MAX_VALUE;
        long high = 0;
        int from = sim.signals.size();
        long lostBefore = sim.lost;
        sim.run(10_000_000, -1);
        for (int i = 0; i < 20; i++) { // sample the last second
            sim.run(50_000, -1);
            low = Math.min(low, sim.estimate());
            high = Math.max(high, sim.estimate());
        }
        assertTrue(low > 250_000 && high < 800_000, "stays near the capacity: " + low + ".." + high);
        assertTrue(sim.signals.subList(from, sim.signals.size()).contains(BandwidthEstimator.Signal.OVERUSE)
                || sim.lost > lostBefore, "kept in check by delay or loss");

        link.capacityBps = 3_000_000; // and grows back
        long start = sim.nowUs;
        while (sim.estimate() < 1_500_000 && sim.nowUs - start < 30_000_000) {
            sim.run(100_000, -1);
        }
        assertTrue(sim.estimate() >= 1_500_000, "recovered: " + sim.estimate());
        assertTrue(sim.nowUs - start < 25_000_000, "within 25 s, took " + (sim.nowUs - start) / 1000 + " ms");
    }

    @Test
    void aProbeResultLiftsTheEstimateAboveTheUnprobedCapUntilTheNextDecrease() {
        Link link = new Link(5_000_000, 500_000);
        Simulation sim = new Simulation(link);
        sim.run(5_000_000, 300_000);
        assertTrue(sim.estimate() <= 1_600_000, "unprobed: at most 2 x 300 kbit/s + 1 Mbit/s: " + sim.estimate());
        long before = sim.estimate();
        sim.estimator.onProbeResult(before / 2);
        assertEquals(before, sim.estimate(), "a probe below the estimate changes nothing");
        sim.estimator.onProbeResult(3_000_000);
        assertEquals(3_000_000, sim.estimate());
        sim.run(3_000_000, 300_000);
        assertTrue(sim.estimate() >= 3_000_000, "the probed rate holds while the media stays low: " + sim.estimate());

        link.capacityBps = 200_000;
        sim.run(3_000_000, 600_000);
        assertTrue(sim.estimate() < 600_000, "a decrease: " + sim.estimate());
        link.capacityBps = 5_000_000;
        sim.run(3_000_000, 300_000);
        assertTrue(sim.estimate() <= 1_600_000, "the probed rate is forgotten after the decrease: " + sim.estimate());
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new BandwidthEstimator(10, 20, 30));
        assertThrows(IllegalArgumentException.class, () -> new BandwidthEstimator(40, 20, 30));
        BandwidthEstimator e = new BandwidthEstimator(100_000, 50_000, 200_000);
        for (int i = 0; i < 100; i++) { // everything lost, for a long time
            for (int k = 0; k < 30; k++) {
                e.packet(i * 100_000_000L + k, PACKET, false, 0, true);
            }
            e.update(i * 100_000_000L);
        }
        assertEquals(50_000, e.estimateBps(), "never below the minimum");
    }
}
