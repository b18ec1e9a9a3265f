package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.core.api.FaultInjectionConfig;
import dev.switchboard.e2e.Call.Participant;
import dev.switchboard.signaling.ice.IceServersConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two headless Chromium browsers in a call through a bridge that drops {@value #DROP_PERCENT} % of the
 * RTP/RTCP/DTLS datagrams it receives and {@value #DROP_PERCENT} % of those it sends (bridge fault injection,
 * fixed seed {@value #SEED}; STUN is never dropped). Each video stream thus loses about 10 % on its way from
 * sender to receiver, and the bridge's loss repair has to work: it NACKs the sender for what it did not
 * receive (the sender repairs on its RTX stream, which the bridge unwraps), and answers the receiver's NACKs
 * from its retransmission cache on the bridge's RTX stream of the source (RFC 4588; the receiving browser counts
 * them in inbound-rtp {@code retransmittedPacketsReceived}).
 *
 * <p>Run twice, on one server: with the web client's simulcast camera (three layers; the receiver gets one,
 * rewritten) and with {@code ?simulcast=0&camera=180} (one stream, forwarded unchanged; the publisher's outbound-rtp must
 * show one video stream, and its {@code retransmittedPacketsSent} must grow: it answered the bridge's NACKs with
 * RTX).
 *
 * <p>Over {@value #WINDOWS} windows of {@value #WINDOW_SECONDS} s each (after media first flows):
 * <ul>
 *   <li>every remote's video keeps decoding in every window: {@code framesDecoded} grows by at least
 *       {@value #MIN_FPS} frames/s, {@code currentTime} advances, audio packets keep arriving
 *       ({@link Call#mediaProblemsOver});</li>
 *   <li>freezes are short: per received video stream, Chromium's inbound-rtp {@code totalFreezesDuration}
 *       (seconds; a freeze is a frame shown for longer than max(3 x the average frame duration, average +
 *       150 ms)) grows by less than {@value #MAX_FREEZE_SECONDS} s over the whole
 *       {@value #WINDOWS} x {@value #WINDOW_SECONDS} s (Chromium 156 reports {@code freezeCount} and
 *       {@code totalFreezesDuration}; the test fails if it does not);</li>
 *   <li>NACK/repair traffic is seen: receivers' inbound-rtp {@code nackCount} grows, and the bridge's
 *       {@link BridgeStatistics#nackRequestsReceived()}, {@link BridgeStatistics#retransmissionsSent()} (answers
 *       from the cache) and {@link BridgeStatistics#nackRequestsSent()} (its own NACKs toward senders) grow, as do
 *       both injected drop counters, and the RTX counters ({@link BridgeStatistics#rtxPacketsReceived()}: the
 *       senders' repairs, {@link BridgeStatistics#rtxRetransmissionsSent()}: the bridge's). Senders' outbound-rtp
 *       {@code nackCount} and {@code retransmittedPacketsSent} are printed; the latter is asserted for single-stream
 *       video.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PacketLossE2ETest {
    static final double DROP_PERCENT = 5;
    static final long SEED = 0x5EEDL;
    static final int WINDOWS = 3;
    static final int WINDOW_SECONDS = 10;
    /** Lowest decoded frame rate per remote and window: half of what Chromium's fake camera sends (20 frames/s). */
    static final double MIN_FPS = 10;
    /**
     * Largest growth of a received stream's totalFreezesDuration over the 30 s. Measured on the 2-core machine
     * (2026-11-25): 0.5-2.2 s while it was otherwise quiet; 2.2-4.3 s at a load average of 15 (other browser tests
     * running), where the decoders also fell to 13-17 frames/s. Loss that went unrepaired would freeze the video
     * until the next keyframe again and again (and keep it under {@link #MIN_FPS}).
     */
    static final double MAX_FREEZE_SECONDS = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Video repair statistics of a page's RTCPeerConnection. */
    private static final String REPAIR_STATS = """
            (async () => {
              const out = { inbound: [], outbound: [] };
              const report = await window.switchboard.pc.getStats();
              report.forEach(s => {
                if (s.kind !== 'video') return;
                if (s.type === 'inbound-rtp') {
                  out.inbound.push({ ssrc: s.ssrc, packetsReceived: s.packetsReceived ?? 0,
                    packetsLost: s.packetsLost ?? 0, framesDecoded: s.framesDecoded ?? 0,
                    framesDropped: s.framesDropped ?? null, keyFramesDecoded: s.keyFramesDecoded ?? null,
                    nackCount: s.nackCount ?? null, pliCount: s.pliCount ?? null, firCount: s.firCount ?? null,
                    freezeCount: s.freezeCount ?? null, totalFreezesDuration: s.totalFreezesDuration ?? null,
                    pauseCount: s.pauseCount ?? null, totalPausesDuration: s.totalPausesDuration ?? null,
                    retransmittedPacketsReceived: s.retransmittedPacketsReceived ?? null });
                } else if (s.type === 'outbound-rtp') {
                  out.outbound.push({ ssrc: s.ssrc, rid: s.rid ?? null, packetsSent: s.packetsSent ?? 0,
                    nackCount: s.nackCount ?? null,
                    retransmittedPacketsSent: s.retransmittedPacketsSent ?? null, pliCount: s.pliCount ?? null,
                    framesEncoded: s.framesEncoded ?? 0 });
                }
              });
              return out;
            })()
            """;

    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first run may install Chromium
    void startServer() throws Exception {
        server = TestServer.start(IceServersConfig.none(), -1,
                new FaultInjectionConfig(DROP_PERCENT, DROP_PERCENT, SEED));
        Chromium.launch("warm-up", List.of()).close(); // installs Chromium when missing, outside the test's limit
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @ParameterizedTest(name = "simulcast {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void videoKeepsDecodingWithShortFreezesAndRtxRepairAtFivePercentDropEachWay(boolean simulcast)
            throws Exception {
        call = new Call(server, "loss-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            alice = call.launch("alice");
            bob = call.launch("bob");
            run(simulcast);
        } finally {
            call.close();
            call = null;
        }
    }

    private void run(boolean simulcast) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(20).toNanos();
        // single stream at 180 lines: what receivers decode with simulcast too (the bridge forwards the 180-line
        // layer there), so both runs cost the loaded machine about the same
        String query = simulcast ? "" : "simulcast=0&camera=180";
        alice.join(query);
        bob.join(query);
        call.awaitJoined(deadline, List.of(alice, bob));
        call.awaitMediaFlowing("alice and bob each see the other's video and hear the other within 20 s despite "
                + DROP_PERCENT + " % drop each way at the bridge", deadline);
        System.out.printf("call flowing %d ms after the pages were opened, with %.1f %% drop in and out%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis(), DROP_PERCENT);

        BridgeStatistics bridgeBefore = server.statistics();
        Map<Participant, JsonNode> before = repairStats();
        List<String> problems = new ArrayList<>();
        for (int w = 1; w <= WINDOWS; w++) {
            StringBuilder rates = new StringBuilder();
            List<String> seen = call.mediaProblemsOver(Duration.ofSeconds(WINDOW_SECONDS), MIN_FPS, rates);
            System.out.printf("window %d/%d: %s%s%n", w, WINDOWS, rates, seen.isEmpty() ? "ok" : seen);
            for (String problem : seen) {
                problems.add("window " + w + ": " + problem);
            }
        }
        Map<Participant, JsonNode> after = repairStats();
        BridgeStatistics bridgeAfter = server.statistics();
        String diagnostics = "\nrepair statistics before: " + before + "\nafter: " + after;

        assertTrue(problems.isEmpty(), () -> "video did not keep decoding at >= " + MIN_FPS + " frames/s in every "
                + WINDOW_SECONDS + " s window:\n  " + String.join("\n  ", problems) + diagnostics + call.diagnostics());

        long receiverNacks = 0;
        for (Participant p : List.of(alice, bob)) {
            for (JsonNode now : after.get(p).path("inbound")) {
                JsonNode then = bySsrc(before.get(p).path("inbound"), now.path("ssrc").asLong());
                String who = p.name + " receiving video ssrc " + now.path("ssrc").asLong();
                assertTrue(now.hasNonNull("totalFreezesDuration") && now.hasNonNull("freezeCount"),
                        () -> who + ": Chromium reports no freezeCount/totalFreezesDuration: " + now);
                assertTrue(now.hasNonNull("nackCount"), () -> who + ": Chromium reports no nackCount: " + now);
                double freezes = now.path("totalFreezesDuration").asDouble()
                        - then.path("totalFreezesDuration").asDouble();
                long freezeCount = now.path("freezeCount").asLong() - then.path("freezeCount").asLong();
                long nacks = now.path("nackCount").asLong() - then.path("nackCount").asLong();
                long lost = now.path("packetsLost").asLong() - then.path("packetsLost").asLong();
                long received = now.path("packetsReceived").asLong() - then.path("packetsReceived").asLong();
                long frames = now.path("framesDecoded").asLong() - then.path("framesDecoded").asLong();
                long plis = now.path("pliCount").asLong() - then.path("pliCount").asLong();
                long rtx = now.path("retransmittedPacketsReceived").asLong()
                        - then.path("retransmittedPacketsReceived").asLong();
                System.out.printf("%s over %d s: %d frames decoded (%.1f/s), %d packets received, packetsLost +%d, "
                        + "%d NACKs sent, %d RTX packets received, %d PLIs sent, %d freezes lasting %.3f s in total%n",
                        who, WINDOWS * WINDOW_SECONDS, frames, frames / (double) (WINDOWS * WINDOW_SECONDS), received,
                        lost, nacks, rtx, plis, freezeCount, freezes);
                // the bridge answers this receiver's NACKs on its RTX stream of the source
                assertTrue(rtx > 0, () -> who + ": no RTX packet received (retransmittedPacketsReceived did not "
                        + "grow)" + diagnostics + call.diagnostics());
                assertTrue(freezes < MAX_FREEZE_SECONDS, () -> String.format("%s: video froze for %.3f s in total "
                        + "over %d s (%d freezes), want < %.1f s%s%s", who, freezes, WINDOWS * WINDOW_SECONDS,
                        freezeCount, MAX_FREEZE_SECONDS, diagnostics, call.diagnostics()));
                receiverNacks += nacks;
            }
            JsonNode outbound = after.get(p).path("outbound");
            long retransmittedSent = 0;
            for (JsonNode now : outbound) {
                JsonNode then = bySsrc(before.get(p).path("outbound"), now.path("ssrc").asLong());
                retransmittedSent += now.path("retransmittedPacketsSent").asLong()
                        - then.path("retransmittedPacketsSent").asLong();
                System.out.printf("%s sending video ssrc %d over %d s: %d packets sent, %d NACKs received, %d packets "
                        + "retransmitted, %d PLIs received%n", p.name, now.path("ssrc").asLong(),
                        WINDOWS * WINDOW_SECONDS,
                        now.path("packetsSent").asLong() - then.path("packetsSent").asLong(),
                        now.path("nackCount").asLong() - then.path("nackCount").asLong(),
                        now.path("retransmittedPacketsSent").asLong() - then.path("retransmittedPacketsSent").asLong(),
                        now.path("pliCount").asLong() - then.path("pliCount").asLong());
            }
            String sender = p.name + " sending video";
            if (simulcast) {
                assertTrue(outbound.size() > 1, () -> sender + ": simulcast, yet " + outbound.size()
                        + " outbound video stream(s): " + outbound);
            } else {
                assertEquals(1, outbound.size(), () -> sender + " with ?simulcast=0: not one outbound video stream: "
                        + outbound);
                assertTrue(outbound.get(0).path("rid").isNull(), () -> sender + ": a rid on a single stream: "
                        + outbound);
                long rtxSent = retransmittedSent;
                // the bridge NACKs what it did not receive; the sender repairs on its RTX stream (RFC 4588)
                assertTrue(rtxSent > 0, () -> sender + ": retransmittedPacketsSent did not grow" + diagnostics
                        + call.diagnostics());
            }
        }

        Map<String, Long> bridge = new LinkedHashMap<>();
        bridge.put("injected-in", bridgeAfter.dropped().get("injected-in") - bridgeBefore.dropped().get("injected-in"));
        bridge.put("injected-out",
                bridgeAfter.dropped().get("injected-out") - bridgeBefore.dropped().get("injected-out"));
        bridge.put("packetsReceived", bridgeAfter.packetsReceived() - bridgeBefore.packetsReceived());
        bridge.put("packetsForwarded", bridgeAfter.packetsForwarded() - bridgeBefore.packetsForwarded());
        bridge.put("nackRequestsReceived", bridgeAfter.nackRequestsReceived() - bridgeBefore.nackRequestsReceived());
        bridge.put("retransmissionsSent", bridgeAfter.retransmissionsSent() - bridgeBefore.retransmissionsSent());
        bridge.put("nackRequestsSent", bridgeAfter.nackRequestsSent() - bridgeBefore.nackRequestsSent());
        bridge.put("rtxPacketsReceived", bridgeAfter.rtxPacketsReceived() - bridgeBefore.rtxPacketsReceived());
        bridge.put("rtxRetransmissionsSent",
                bridgeAfter.rtxRetransmissionsSent() - bridgeBefore.rtxRetransmissionsSent());
        System.out.println("bridge over the " + WINDOWS * WINDOW_SECONDS + " s: " + bridge + "; all drops since "
                + "start: " + bridgeAfter.dropped());
        long nacksSeen = receiverNacks;
        assertTrue(nacksSeen > 0, () -> "no receiver sent a NACK (inbound-rtp nackCount did not grow)" + diagnostics
                + call.diagnostics());
        for (String counter : bridge.keySet()) {
            assertTrue(bridge.get(counter) > 0, () -> "bridge counter " + counter + " did not grow: " + bridge
                    + diagnostics + call.diagnostics());
        }
    }

    private Map<Participant, JsonNode> repairStats() throws Exception {
        Map<Participant, JsonNode> stats = new LinkedHashMap<>();
        for (Participant p : List.of(alice, bob)) {
            JsonNode node = JSON.readTree(p.browser.asyncJson(REPAIR_STATS));
            assertTrue(!node.has("scriptError"), () -> p.name + ": " + node);
            stats.put(p, node);
        }
        return stats;
    }

    /** The entry for {@code ssrc}, or an empty node (all figures 0) when the stream is new. */
    private static JsonNode bySsrc(JsonNode entries, long ssrc) {
        for (JsonNode e : entries) {
            if (e.path("ssrc").asLong() == ssrc) {
                return e;
            }
        }
        return JSON.createObjectNode();
    }
}
