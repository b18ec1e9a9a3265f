package dev.switchboard.core.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.bwe.BandwidthEstimatorTest.Link;
import dev.switchboard.core.bwe.BandwidthEstimatorTest.Simulation;
import org.junit.jupiter.api.Test;

/**
 * Probing end to end against the simulated FIFO bottleneck of {@link BandwidthEstimatorTest}: the bridge sends a
 * receiver its low layer (300 kbit/s of 1200-byte packets, what the estimate allows) while the receiver's
 * constraints want layers that need 1.5 Mbit/s; the {@link ProbeScheduler} adds probe clusters, the receiver
 * reports every arrival every 50 ms, and successful clusters raise the estimate. All time simulated.
 */
class ProbingSimulationTest {
    private static final long NEEDED_BPS = 1_500_000;
    private static final long MEDIA_BPS = 300_000;

    @Test
    void probesFailOnANarrowLinkAndFindItsRecoveryWithinSeconds() {
        Link link = new Link(500_000, 300_000);
        Simulation sim = new Simulation(link, new BandwidthEstimator(400_000, 30_000, 20_000_000))
                .probing(NEEDED_BPS);
        sim.run(4_000_000, MEDIA_BPS);
        long probeBytesBefore = sim.probeBytes;
        long mediaBytesBefore = sim.mediaBytes;
        sim.run(6_000_000, MEDIA_BPS);
        long narrowEstimate = sim.estimate();
        assertTrue(narrowEstimate < 700_000, "probes over a 500 kbit/s queue did not raise the estimate: "
                + narrowEstimate);
        assertTrue(sim.succeededClusters <= 2, "at most a cluster near the link's rate: " + sim.succeededClusters);
        int attemptsOnNarrowLink = sim.probeAttempts;
        assertTrue(attemptsOnNarrowLink >= 3 && attemptsOnNarrowLink <= 9,
                "periodic attempts, backing off to one per 4 s: " + attemptsOnNarrowLink);
        assertTrue(sim.probeBytes < 0.1 * (sim.mediaBytes + sim.probeBytes), "overhead " + sim.probeBytes
                + " of " + (sim.mediaBytes + sim.probeBytes) + " bytes in 10 s");
        long lateProbes = sim.probeBytes - probeBytesBefore;
        long lateMedia = sim.mediaBytes - mediaBytesBefore;
        assertTrue(lateProbes > 0 && lateProbes < 0.05 * (lateMedia + lateProbes), "backed off: " + lateProbes
                + " of " + (lateMedia + lateProbes) + " bytes in the last 6 s");

        link.capacityBps = 10_000_000; // the downlink recovers
        long start = sim.nowUs;
        int succeededBefore = sim.succeededClusters;
        while (sim.estimate() < NEEDED_BPS && sim.nowUs - start < 30_000_000) {
            sim.run(10_000, MEDIA_BPS);
        }
        long tookMs = (sim.nowUs - start) / 1000;
        assertTrue(sim.estimate() >= NEEDED_BPS, "recovered: " + sim.estimate());
        assertTrue(tookMs < 5_000, "within the 4 s back-off and one attempt or two, took " + tookMs + " ms");
        assertTrue(sim.succeededClusters > succeededBefore);
        System.out.printf("narrow link: estimate %d bit/s after %d attempts; recovered to %d bit/s in %d ms%n",
                narrowEstimate, attemptsOnNarrowLink, sim.estimate(), tookMs);
    }

    @Test
    void onALinkTheMediaNearlyFillsFailedProbesKeepTheEstimateNearItsCapacity() {
        // 450 kbit/s of media on a 500 kbit/s link never congests it: unprobed, the estimate drifts up to
        // 2 x acked + 1 Mbit/s and an upgrade would find the limit the hard way; probes find it without one
        Simulation unprobed = new Simulation(new Link(500_000, 300_000), new BandwidthEstimator(400_000, 30_000,
                20_000_000));
        Simulation probed = new Simulation(new Link(500_000, 300_000), new BandwidthEstimator(400_000, 30_000,
                20_000_000)).probing(NEEDED_BPS);
        for (Simulation sim : java.util.List.of(unprobed, probed)) {
            sim.run(5_000_000, 450_000);
        }
        long min = Long.MAX_VALUE;
        double sum = 0;
        for (int i = 0; i < 200; i++) {
            unprobed.run(100_000, 450_000);
            probed.run(100_000, 450_000);
            min = Math.min(min, probed.estimate());
            sum += probed.estimate();
        }
        double mean = sum / 200;
        assertTrue(unprobed.estimate() > 1_200_000, "unprobed: " + unprobed.estimate());
        assertTrue(mean > 380_000 && mean < 600_000, "probed, mean over 20 s: " + mean);
        assertTrue(min > 0.75 * 450_000, "a failed probe's overuse costs one decrease, no more: " + min);
        assertTrue(probed.probeAttempts >= 5, "attempts every 4 s: " + probed.probeAttempts);
        assertTrue(probed.lost == 0, "probes on top of the media did not overflow the queue: " + probed.lost);
    }
}
