package dev.switchboard.bench;

import dev.switchboard.bench.gen.Generator;
import dev.switchboard.bench.sys.ChildJvm;
import dev.switchboard.bench.sys.Jcmd;
import dev.switchboard.bench.sys.Proc;
import dev.switchboard.bench.sys.StatsClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario against the bridge and against the floor relay, one after the other on the same machine,
 * each as a separate child JVM, and measures both the same way.
 *
 * <p>Per phase: start the server, wait for /health, read its idle heap (after a full GC, jcmd) and RSS;
 * join the participants; warm up; read the counters, /proc CPU and GC-log position; measure for the
 * window; read them again; stop the media, let it drain and take the loss marks; read the loaded heap
 * (after a full GC) and RSS; leave; stop the server.
 */
public final class BenchRunner {
    /**
     * What docker/Dockerfile runs the bridge with: objects that survive one young collection are tenured at the
     * next, so per-call state is copied twice rather than up to 15 times (docs/benchmark.md, "GC pauses").
     */
    static final String G1_TENURING = "-XX:MaxTenuringThreshold=1";
    private final Scenario scenario;
    private final Path outputDir;
    private final PrintStream log;
    private final List<String> serverJvmOptions;
    private String serverCpus;
    private String generatorCpus;

    public BenchRunner(Scenario scenario, Path outputDir, PrintStream log, List<String> serverJvmOptions) {
        this.scenario = scenario;
        this.outputDir = outputDir;
        this.log = log;
        this.serverJvmOptions = List.copyOf(serverJvmOptions);
    }

    /** Runs the phases the scenario asks for. */
    public BenchReport run(String runId) throws Exception {
        long started = System.nanoTime();
        int cpus = Proc.availableCpus();
        pinIfAsked();
        List<PhaseResult> phases = new ArrayList<>();
        if (scenario.runBridge()) {
            phases.add(runPhase(Generator.Mode.BRIDGE, runId, cpus));
        }
        if (scenario.runFloor()) {
            phases.add(runPhase(Generator.Mode.FLOOR, runId, cpus));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new BenchReport(runId, scenario, phases, seconds, cpus, serverCpus, generatorCpus);
    }

    /**
     * On a machine with two or more CPUs, keeps the generator on the first half of our allowed CPUs and the
     * server on the other half (taskset), so that the server's CPU figure is not inflated by sharing cores.
     */
    private void pinIfAsked() {
        List<Integer> allowed = allowedCpus();
        if (!scenario.pin() || allowed.size() < 2) {
            return;
        }
        int half = allowed.size() / 2;
        generatorCpus = join(allowed.subList(0, half));
        serverCpus = join(allowed.subList(half, allowed.size()));
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", generatorCpus,
                    Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                log.println("warning: taskset failed; running unpinned");
                generatorCpus = null;
                serverCpus = null;
            }
        } catch (IOException | InterruptedException e) {
            log.println("warning: taskset not available (" + e.getMessage() + "); running unpinned");
            generatorCpus = null;
            serverCpus = null;
        }
    }

    private static String join(List<Integer> cpus) {
        StringBuilder sb = new StringBuilder();
        for (int c : cpus) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static List<Integer> allowedCpus() {
        List<Integer> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    for (String part : line.substring(18).strip().split(",")) {
                        String[] range = part.split("-");
                        int a = Integer.parseInt(range[0].strip());
                        int b = range.length > 1 ? Integer.parseInt(range[1].strip()) : a;
                        for (int c = a; c <= b; c++) {
                            out.add(c);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no pinning
        }
        return out;
    }

    private PhaseResult runPhase(Generator.Mode mode, String runId, int cpus) throws Exception {
        boolean bridge = mode == Generator.Mode.BRIDGE;
        PhaseResult r = new PhaseResult(bridge ? "bridge" : "floor");
        r.clockTicks = Proc.clockTicksPerSecond();
        r.cpus = cpus;
        r.serverCpus = serverCpus;
        r.generatorCpus = generatorCpus;
        int httpPort = ChildJvm.freeTcpPort();
        int udpPort = ChildJvm.freeUdpPort();
        List<String> jvm = new ArrayList<>();
        // Pinning to one CPU would make the JVM pick the Serial collector; keep the server default (G1) unless
        // the options choose a collector themselves, with the tenuring threshold the Docker image runs it with.
        if (serverJvmOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            jvm.add("-XX:+UseG1GC");
            if (serverJvmOptions.stream().noneMatch(o -> o.startsWith("-XX:MaxTenuringThreshold="))) {
                jvm.add(G1_TENURING);
            }
        }
        jvm.addAll(serverJvmOptions);
        String main = bridge ? "dev.switchboard.signaling.Main" : "dev.switchboard.bench.floor.FloorRelay";
        List<String> args = bridge
                ? List.of("--http-port=" + httpPort, "--udp-port=" + udpPort, "--tcp-port=off",
                        "--media-threads=" + scenario.mediaThreads())
                : List.of("--http-port=" + httpPort, "--udp-port=" + udpPort);
        log.printf("[%s] starting %s (http %d, udp %d%s)%n", r.name, main, httpPort, udpPort,
                serverCpus == null ? "" : ", CPUs " + serverCpus);
        try (ChildJvm child = ChildJvm.start(runId + "-" + r.name, main, args, outputDir, serverCpus, jvm)) {
            r.serverPid = child.pid();
            StatsClient stats = new StatsClient(httpPort);
            stats.awaitHealthy(child, Duration.ofSeconds(60));
            URI ws = URI.create("ws://127.0.0.1:" + httpPort + "/ws");
            InetSocketAddress media = new InetSocketAddress("127.0.0.1", udpPort);
            try (Generator gen = new Generator(scenario, mode)) {
                log.printf("[%s] warm-up call (%d participants, not measured)%n", r.name,
                        scenario.warmupCallParticipants());
                gen.warmUpCall(ws, media, 1500, scenario.warmupCallParticipants());
                Thread.sleep(1000);
                r.heapIdleKiB = Jcmd.heapAfterFullGcKiB(child.pid());
                r.rssIdleKiB = Proc.rssKiB(child.pid());
                log.printf("[%s] joining %d participants (%d rooms x %d)%n", r.name, scenario.totalParticipants(),
                        scenario.rooms(), scenario.participants());
                gen.joinAll(ws, media);
                log.printf("[%s] warming up for %s%n", r.name, human(scenario.warmup()));
                Thread.sleep(scenario.warmup().toMillis());
                if (bridge) { // after the warm-up, so that first media is in
                    gen.writeJoinTimelines(outputDir.resolve(runId + "-" + r.name + "-joins.csv"));
                }
                // Allocation = heap growth + what collections reclaimed between two heap readings; the GC-log
                // range brackets both jcmd calls so that a collection during one of them is not missed.
                long allocFrom = child.gcLog().size();
                long heapReadStart = System.nanoTime();
                r.heapWindowStartKiB = Jcmd.heapUsedKiB(child.pid());
                heapReadStart = (heapReadStart + System.nanoTime()) / 2;
                long gcFrom = child.gcLog().size();
                r.start = sample(stats, child.pid());
                gen.startMeasuring();
                log.printf("[%s] measuring for %s%n", r.name, human(scenario.duration()));
                long windowEnd = System.nanoTime() + scenario.duration().toNanos();
                while (true) {
                    long left = windowEnd - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Thread.sleep(Math.min(250, Math.max(1, left / 1_000_000)));
                    if (windowEnd - System.nanoTime() > 50_000_000L) {
                        sampleQueue(stats, r);
                    }
                }
                gen.stopMeasuring();
                r.end = sample(stats, child.pid());
                long gcTo = child.gcLog().size();
                long heapReadEnd = System.nanoTime();
                r.heapWindowEndKiB = Jcmd.heapUsedKiB(child.pid());
                heapReadEnd = (heapReadEnd + System.nanoTime()) / 2;
                r.pauses = child.gcLog().pauses(gcFrom, gcTo);
                r.allocationReclaims = child.gcLog().reclaims(allocFrom, child.gcLog().size());
                r.allocationSeconds = (heapReadEnd - heapReadStart) / 1e9;
                gen.stopSending();
                // Let the server drain its backlog before loss is counted (packets still queued are late, not lost).
                long drainDeadline = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < drainDeadline) {
                    Thread.sleep(100);
                    if (stats.stats().queuedPackets() <= 0) {
                        break;
                    }
                }
                Thread.sleep(400);
                gen.finalMark();
                r.generator = gen.collect(r.windowSeconds());
                r.heapLoadedKiB = Jcmd.heapAfterFullGcKiB(child.pid());
                r.rssLoadedKiB = Proc.rssKiB(child.pid());
            }
            if (!child.isAlive()) {
                r.error = r.name + " process died:\n" + child.tail(20);
            }
            r.serverExceptions = child.exceptionsInOutput();
            r.serverLog = child.output().toAbsolutePath().toString();
        } catch (Exception e) {
            r.error = e.toString();
            log.printf("[%s] failed: %s%n", r.name, e);
        }
        return r;
    }

    private static PhaseResult.Sample sample(StatsClient stats, long pid) throws Exception {
        StatsClient.Counters c = stats.stats();
        long now = System.nanoTime();
        long self = ProcessHandle.current().pid();
        long server = Proc.cpuTicks(pid);
        long generator = Proc.cpuTicks(self);
        long[] machine = Proc.machineTicks();
        return new PhaseResult.Sample(now, c, server, generator, machine[0], machine[1], Proc.threadGroupTicks(pid),
                Proc.threadGroupTicks(self));
    }

    /** The server's queue of received packets not yet forwarded (a backlog shows as latency). */
    private static void sampleQueue(StatsClient stats, PhaseResult r) {
        try {
            long q = stats.stats().queuedPackets();
            if (q >= 0) {
                r.queueSamples++;
                r.queueSum += q;
                r.queueMax = Math.max(r.queueMax, q);
            }
        } catch (Exception e) {
            // a missed sample
        }
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
