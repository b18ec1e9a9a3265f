package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bench.gen.Generator;
import dev.switchboard.bench.gen.GeneratorStats;
import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.signaling.ServerConfig;
import dev.switchboard.signaling.SwitchboardServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Participants join, exchange media and leave, cycle after cycle, against one server: every resource a call
 * takes must be given back (operators report bridges whose CPU or memory only grows after people leave). After
 * each cycle the bridge must be back to no conference, no endpoint and only the media threads' scratch buffers
 * taken from the packet pool; the JVM's live threads and heap after GC must not grow from cycle to cycle.
 * Real protocols over loopback sockets (the benchmark's synthetic participants: WebSocket signaling, ICE,
 * DTLS, SRTP), server in this JVM so that its state can be read.
 */
class ChurnLeakTest {
    private static final int CYCLES = 6;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void joiningAndLeavingGivesEveryResourceBack() throws Exception {
        BridgeConfig bridge = BridgeConfig.loopbackDefaults().toBuilder().udpPort(0).tcpPort(BridgeConfig.TCP_DISABLED)
                .mediaThreads(1).build();
        Scenario scenario = BenchMain.scenario(BenchMain.parseArgs(new String[] {"--preset=smoke", "--participants=3"}));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Integer> threads = new ArrayList<>();
        List<Long> heap = new ArrayList<>();
        Map<String, Long> namesAfterFirst = Map.of();
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig("127.0.0.1", 0, bridge))) {
            URI signaling = URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws");
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                try (Generator generator = new Generator(scenario, Generator.Mode.BRIDGE)) {
                    generator.joinAll(signaling, null);
                    Thread.sleep(cycle == 0 ? 3000 : 1000); // warm-up: first keyframes, a cold JIT in cycle 0
                    generator.startMeasuring();
                    Thread.sleep(1500);
                    generator.stopMeasuring();
                    generator.stopSending();
                    Thread.sleep(200);
                    generator.finalMark();
                    GeneratorStats stats = generator.collect(1.5);
                    assertEquals(3, stats.connected, "cycle " + cycle + ": " + stats.failures);
                    for (Map<String, Long> got : stats.receivedFromPeers.values()) {
                        assertTrue(got.values().stream().mapToLong(Long::longValue).sum() > 20,
                                "cycle " + cycle + ": media flowed " + stats.receivedFromPeers);
                    }
                }
                BridgeStatistics idle = awaitIdle(server);
                assertEquals(bridge.mediaThreads(), idle.pooledBuffersInUse(),
                        "cycle " + cycle + ": only the media threads' scratch buffers stay taken");
                assertEquals(0, idle.queuedPackets());
                threads.add(settledThreadCount());
                if (cycle == 1) {
                    namesAfterFirst = threadNames();
                }
                System.gc();
                heap.add(memory.getHeapMemoryUsage().getUsed());
            }
        }
        System.out.printf("live threads after each cycle %s, heap after GC (MiB) %s%n", threads,
                heap.stream().map(b -> b / (1024 * 1024)).toList());
        // The first cycle starts pools and loads classes; from then on nothing may accumulate.
        int first = threads.get(1);
        int last = threads.get(CYCLES - 1);
        assertTrue(last <= first + 2, "live threads grow with calls: " + threads + "; after the first cycle "
                + namesAfterFirst + ", now " + threadNames());
        assertTrue(heap.get(CYCLES - 1) < heap.get(1) + 24L * 1024 * 1024, "heap after GC grows with calls: " + heap);
    }

    /** Live threads by name with digits dropped (pool members counted together). */
    private static Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("\\d+", "#"), java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    /** Waits until the room is gone on the bridge (left participants are removed asynchronously). */
    private static BridgeStatistics awaitIdle(SwitchboardServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        BridgeStatistics s = server.bridge().statistics();
        while ((s.conferences() > 0 || s.endpoints() > 0 || s.queuedPackets() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = server.bridge().statistics();
        }
        assertEquals(0, s.endpoints(), "endpoints left behind");
        assertEquals(0, s.conferences(), "conferences left behind");
        return s;
    }

    /**
     * Live threads once the short-lived ones (a DTLS handshake's, an ICE agent's shutting down) have ended:
     * the smallest count seen over two seconds. The generator's {@code HttpClient} selector threads are left
     * out: a JDK 17 client has no close and its thread ends only when the client is garbage collected.
     */
    private static int settledThreadCount() throws InterruptedException {
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            min = Math.min(min, (int) Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !t.getName().startsWith("HttpClient-")).count());
            Thread.sleep(100);
        }
        return min;
    }
}
