package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.gen.GeneratorStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A few seconds of the real benchmark: the bridge and the floor relay as child JVMs, two synthetic
 * participants speaking WebSocket signaling, ICE, DTLS and SRTP over UDP. Asserts that media flowed both
 * ways and that the report has its fields; never asserts a performance target.
 */
class BenchSmokeTest {
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void twoParticipantsExchangeAudioAndVideoThroughTheBridgeAndTheFloor() throws Exception {
        Scenario scenario = BenchMain.scenario(BenchMain.parseArgs(new String[] {"--preset=smoke"}));
        Path dir = Path.of(System.getProperty("bench.resultsDir", "target/bench-results"));
        BenchReport report = new BenchRunner(scenario, dir, System.out, List.of()).run("smoke-" + System.currentTimeMillis());
        System.out.print(report.table());

        for (String name : List.of("bridge", "floor")) {
            PhaseResult phase = report.phase(name);
            assertNotNull(phase, name);
            assertNull(phase.error(), name + ": " + phase.error());
            GeneratorStats g = phase.generator();
            assertEquals(2, g.connected, name + " participants connected " + g.failures);
            // 1 s warm-up + 3 s window at 50 audio and ~104 video packets/s: expect far more than these
            for (int receiver = 0; receiver < 2; receiver++) {
                Map<String, Long> got = g.receivedFromPeers.get(receiver);
                int sender = 1 - receiver;
                assertTrue(got.getOrDefault(sender + "/audio", 0L) > 50, name + ": " + receiver + " got " + got);
                assertTrue(got.getOrDefault(sender + "/video", 0L) > 100, name + ": " + receiver + " got " + got);
            }
            assertEquals(0, g.unprotectFailures, name + " packets that failed to decrypt");
            assertEquals(0, g.vp8Errors, name + " invalid VP8 descriptors received");
            assertTrue(g.keyFramesReceived >= 2, name + " key frames received");
            assertTrue(g.latency.count() > 100, name + " latency samples");
            assertTrue(phase.forwardedPps() > 0 && phase.ingressPps() > 0, name + " server counters");
            assertTrue(phase.serverCores() >= 0);
        }
        assertTrue(report.phase("bridge").generator().stunRequestsAnswered > 0, "answered the bridge's ICE checks");

        Path file = report.write(dir);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        for (String name : List.of("bridge", "floor")) {
            JsonNode p = json.path("phases").path(name);
            for (String field : List.of("forwardedPps", "forwardedMbps", "ingressPps", "cpuMicrosPerForwardedPacket",
                    "machineBusyCores", "generatorCpuCores")) {
                assertTrue(p.path("server").has(field), name + " server." + field);
            }
            for (String field : List.of("p50", "p99", "p999", "max")) {
                assertTrue(p.path("latencyMs").path(field).isNumber(), name + " latencyMs." + field);
            }
            assertTrue(p.path("loss").path("total").path("lossRate").isNumber(), name + " loss");
            assertTrue(p.path("joinMs").path("firstMediaP99").isNumber(), name + " join time");
            assertTrue(p.path("memory").has("heapPerParticipantKiB"), name + " heap per participant");
            assertTrue(p.path("memory").has("rssPerParticipantKiB"), name + " RSS per participant");
            assertTrue(p.path("gc").has("allocationMBps") && p.path("gc").has("maxPauseMs"), name + " gc");
        }
        assertTrue(json.path("bridgeOverFloor").path("cpuMicrosPerForwardedPacket").isNumber(), "headline ratio");
        assertTrue(json.path("targets").isArray() && json.path("targets").size() >= 5, "targets");
    }
}
