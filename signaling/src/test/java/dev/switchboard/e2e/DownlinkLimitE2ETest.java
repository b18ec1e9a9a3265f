package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.core.api.FaultInjectionConfig;
import dev.switchboard.core.routing.RoutingBridge;
import dev.switchboard.e2e.Call.Participant;
import dev.switchboard.e2e.PageSnapshot.Inbound;
import dev.switchboard.signaling.ice.IceServersConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Bandwidth estimation and allocation toward a receiver, with real Chromium: Alice asks for Bob's 720p simulcast
 * video at full size; then the bridge's test-only egress limit ({@code FaultInjectionConfig.egressLimits})
 * puts a 350 kbit/s link with a 32 KB drop-tail queue in front of Alice, as if her downlink shrank. The bridge
 * learns it from Alice's transport-cc feedback (delay growth, then loss) and moves her to Bob's lowest layer
 * (180 lines, about 150 kbit/s): her video
 * keeps decoding, and the bridge's probes (RTX padding clusters at 2x and 3x the estimate) queue behind the narrow
 * link and raise nothing. When the limit is lifted, the next probe attempt (at most 4 s of back-off later) is
 * received at its rate, raises the estimate, and she gets at least 360 lines again within {@link #RECOVERY}; her
 * getStats counts the probes (padding-only RTX packets) as retransmitted packets received.
 * Without probes the estimate grew only with the low layer's additive increase: 0.6-23 s, median about 10 s,
 * over six runs of this test before probing (docs/architecture.md, "Probing").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DownlinkLimitE2ETest {
    private static final long LIMIT_BPS = 350_000;
    /** Back at >= 360 lines within this after the limit is lifted (probing: 2.5-4 s measured; margin for load). */
    private static final Duration RECOVERY = Duration.ofSeconds(8);

    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install Chromium
    void start() throws Exception {
        server = TestServer.start(IceServersConfig.none(), -1, new FaultInjectionConfig(0, 0, 1, true));
        call = new Call(server, "downlink-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    void aLimitedReceiverDropsToTheLowLayerWithoutLosingVideoAndComesBackWhenTheLimitIsLifted() throws Exception {
        call.joinAllAndAwaitMedia(List.of(alice, bob), "camera=720"); // simulcast layers of 180, 360 and 720 lines
        String bobId = bob.endpointId();
        alice.browser.script("window.switchboard.setVideoConstraint(arguments[0], arguments[1])", bobId, 720);
        // Chromium sends its upper layers once its own estimate allows (transport-cc ramp-up)
        Poll.within("alice decodes bob's video at >= 360 lines before the limit", Duration.ofSeconds(45),
                Duration.ofMillis(500), () -> heightProblems(bobId, 360, Integer.MAX_VALUE), this::diagnostics);

        BridgeStatistics.Probes beforeLimit = bridge().statistics().probes();
        String statsBeforeLimit = receiverRtpCounters();
        bridge().setEgressLimitForTesting(call.room, alice.endpointId(), LIMIT_BPS);
        Duration down = Poll.within("alice decodes bob's video at <= 180 lines under a 350 kbit/s downlink",
                Duration.ofSeconds(20), Duration.ofMillis(250), () -> heightProblems(bobId, 0, 180),
                this::diagnostics);
        // under the limit: it keeps decoding, at the low layer, for 6 s
        long framesBefore = framesDecoded(bobId);
        for (int i = 0; i < 12; i++) {
            Poll.sleep(Duration.ofMillis(500));
            List<String> problems = heightProblems(bobId, 0, 180);
            assertTrue(problems.isEmpty(), () -> "went above the low layer under the limit: " + problems
                    + diagnostics());
        }
        long framesUnderLimit = framesDecoded(bobId) - framesBefore;
        assertTrue(framesUnderLimit >= 30, () -> "video kept decoding under the limit: only " + framesUnderLimit
                + " frames in 6 s" + diagnostics());

        BridgeStatistics.Probes underLimit = bridge().statistics().probes();
        String statsUnderLimit = receiverRtpCounters();
        assertTrue(underLimit.clusters() > 0, () -> "the bridge probed alice's limited downlink: " + underLimit);

        bridge().setEgressLimitForTesting(call.room, alice.endpointId(), 0);
        Duration up = Poll.within("alice decodes bob's video at >= 360 lines again after the limit is lifted",
                RECOVERY, Duration.ofMillis(250), () -> heightProblems(bobId, 360, Integer.MAX_VALUE),
                this::diagnostics);
        BridgeStatistics.Probes after = bridge().statistics().probes();
        assertTrue(after.clustersSucceeded() > underLimit.clustersSucceeded(),
                () -> "a probe cluster proved the recovered downlink: " + underLimit + " -> " + after);
        System.out.printf("downlink limit: down to <= 180 lines in %d ms, %d frames in 6 s under it, back to >= 360"
                + " in %d ms after lifting it; probes before the limit %s, at its end %s, in the end %s%n",
                down.toMillis(), framesUnderLimit, up.toMillis(), beforeLimit, underLimit, after);
        String statsAfter = receiverRtpCounters();
        System.out.printf("alice's video inbound-rtp before the limit %s, at its end %s, in the end %s%n",
                statsBeforeLimit, statsUnderLimit, statsAfter);
        // Chromium counts padding-only RTX packets as retransmitted packets (of 0 bytes): its RTX count grows at
        // least by the probes sent after the lift (more when probes queued under the limit arrive, or NACKs)
        long probesAfterLift = after.packets() - underLimit.packets();
        long rtxAfterLift = rtxPackets(statsAfter) - rtxPackets(statsUnderLimit);
        assertTrue(rtxAfterLift >= probesAfterLift * 8 / 10, () -> "alice's getStats shows the probes: "
                + rtxAfterLift + " RTX packets received for " + probesAfterLift + " probes sent");
    }

    /** Alice's inbound-rtp video counters that RTX (retransmissions and padding) could show in, as JSON. */
    private String receiverRtpCounters() {
        return alice.browser.asyncJson("window.switchboard.pc.getStats().then(r => { const out = [];"
                + " r.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') out.push({ssrc: s.ssrc,"
                + " packets: s.packetsReceived, bytes: s.bytesReceived, headerBytes: s.headerBytesReceived,"
                + " rtxPackets: s.retransmittedPacketsReceived, rtxBytes: s.retransmittedBytesReceived,"
                + " nacks: s.nackCount}); }); return out; })");
    }

    private static long rtxPackets(String inboundVideo) {
        return new JsonArray(inboundVideo).stream().mapToLong(o -> ((JsonObject) o).getLong("rtxPackets", 0L)).sum();
    }

    private RoutingBridge bridge() {
        return (RoutingBridge) server.server().bridge();
    }

    private long framesDecoded(String remoteId) {
        PageSnapshot s = alice.snapshot();
        return s.tile(remoteId).map(t -> s.videoOf(t).stream().mapToLong(Inbound::framesDecoded).sum()).orElse(0L);
    }

    /** Problems unless Alice's inbound video of {@code remoteId} was last decoded within [min, max] lines. */
    private List<String> heightProblems(String remoteId, int min, int max) {
        return SimulcastConstraintE2ETest.heightProblems(alice, remoteId, min, max);
    }

    private String diagnostics() {
        String estimates;
        try {
            estimates = bridge().bandwidthEstimates(call.room).toCompletableFuture().get(2, TimeUnit.SECONDS)
                    .toString();
        } catch (Exception e) {
            estimates = e.toString();
        }
        return "\nbridge estimates toward each endpoint (bit/s): " + estimates + "\nprobes: "
                + bridge().statistics().probes() + "\n" + call.diagnostics();
    }
}
