package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.gen.GeneratorStats;
import dev.switchboard.bench.sys.GcLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The results of a run: a human table and a JSON document with the same figures (and more detail). */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One of the targets and whether this run met it (null: this run does not measure it). */
    public record Target(String name, String goal, String measured, Boolean met, String note) {}

    private final String runId;
    private final Scenario scenario;
    private final List<PhaseResult> phases;
    private final double runSeconds;
    private final int cpus;
    private final String serverCpus;
    private final String generatorCpus;

    BenchReport(String runId, Scenario scenario, List<PhaseResult> phases, double runSeconds, int cpus,
            String serverCpus, String generatorCpus) {
        this.runId = runId;
        this.scenario = scenario;
        this.phases = List.copyOf(phases);
        this.runSeconds = runSeconds;
        this.cpus = cpus;
        this.serverCpus = serverCpus;
        this.generatorCpus = generatorCpus;
    }

    public PhaseResult phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    public List<PhaseResult> phases() {
        return phases;
    }

    /** CPU per forwarded packet, bridge over floor (the headline), or NaN. */
    public double cpuRatio() {
        PhaseResult b = phase("bridge");
        PhaseResult f = phase("floor");
        if (b == null || f == null || !b.measured() || !f.measured()) {
            return Double.NaN;
        }
        return b.cpuMicrosPerForwarded() / f.cpuMicrosPerForwarded();
    }

    public List<Target> targets() {
        List<Target> t = new ArrayList<>();
        PhaseResult b = phase("bridge");
        PhaseResult f = phase("floor");
        boolean bridgeOk = b != null && b.measured() && b.generator() != null;
        boolean tenParty = scenario.participants() == 10 && !scenario.audioOnly()
                && scenario.srtpProfile().name().startsWith("AES_CM");
        double ratio = cpuRatio();
        t.add(new Target("cpu-per-packet-vs-floor", "<= 1.5x floor (10-party, AES_CM_128_HMAC_SHA1_80)",
                Double.isNaN(ratio) ? "n/a" : fmt(ratio, 2) + "x", Double.isNaN(ratio) || !tenParty ? null : ratio <= 1.5,
                tenParty ? "" : "defined for 10-party rooms with AES_CM_128_HMAC_SHA1_80"));
        if (bridgeOk) {
            double pps = b.forwardedPps();
            double loss = b.generator().totalLoss().lossRate();
            boolean offered = scenario.expectedForwardedPps() >= 80_000;
            String note = !b.allConnected() ? "only " + b.generator().connected + " of " + b.generator().participants
                    + " participants connected" : !offered ? "this run offers " + fmt(scenario.expectedForwardedPps(), 0)
                    + " pps; use more rooms or a higher bitrate to test it" : b.keptUp() ? ""
                    : "the server did not keep up (queue mean " + fmt(b.queueMean(), 0) + ", p99 "
                            + fmt(b.latencyMs(0.99), 1) + " ms)";
            t.add(new Target("throughput", ">= 100,000 forwarded packets/s sustained, loss < 0.1%",
                    fmt(pps, 0) + " pps, loss " + pct(loss), offered || pps >= 80_000
                            ? (Boolean) (pps >= 100_000 && loss < 0.001 && b.keptUp() && b.allConnected()) : null,
                    note));
            double added = f != null && f.measured() ? b.latencyMs(0.99) - f.latencyMs(0.99) : Double.NaN;
            boolean half = pps >= 40_000 && pps <= 65_000;
            t.add(new Target("added-latency-p99", "< 1 ms at ~50,000 pps (bridge p99 - floor p99)",
                    Double.isNaN(added) ? "n/a" : fmt(added, 3) + " ms at " + fmt(pps, 0) + " pps",
                    half && !Double.isNaN(added) ? (Boolean) (added < 1.0) : null,
                    half ? "" : "defined at about 50,000 forwarded packets/s"));
            t.add(new Target("gc-pause", "no pause over 5 ms (bridge, measured window)",
                    fmt(b.maxPauseMs(), 2) + " ms max over " + b.pauses.size() + " pauses", b.maxPauseMs() <= 5.0, ""));
            double heap = b.heapPerParticipantKiB();
            t.add(new Target("heap-per-participant", "<= 1 MiB (1024 KiB) after GC",
                    Double.isNaN(heap) ? "n/a" : fmt(heap, 0) + " KiB", Double.isNaN(heap) ? null : heap <= 1024, ""));
            double joinP99 = GeneratorStats.quantile(b.generator().joinFirstMediaMs, 0.99);
            boolean fifty = scenario.totalParticipants() >= 50 && scenario.joinRate() == 0;
            t.add(new Target("join-time-p99", "< 1 s for 50 participants joining at once (signaling to first media)",
                    Double.isNaN(joinP99) ? "n/a" : fmt(joinP99, 0) + " ms (" + b.generator().participants
                            + " participants)", fifty && !Double.isNaN(joinP99) ? (Boolean) (joinP99 < 1000) : null,
                    fifty ? "" : "defined for 50 participants joining at once (preset audio-50)"));
        }
        t.add(new Target("run-time", "a standard run under 5 minutes", fmt(runSeconds, 0) + " s", runSeconds < 300, ""));
        return t;
    }

    // ---- JSON -----------------------------------------------------------------------------------------------

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("runId", runId);
        num(root, "runSeconds", runSeconds, 1);
        ObjectNode machine = root.putObject("machine");
        machine.put("cpus", cpus);
        machine.put("serverCpus", serverCpus);
        machine.put("generatorCpus", generatorCpus);
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        ObjectNode sc = root.putObject("scenario");
        sc.put("preset", scenario.preset());
        sc.put("rooms", scenario.rooms());
        sc.put("participantsPerRoom", scenario.participants());
        sc.put("publishersPerRoom", scenario.publishersPerRoom());
        sc.put("audioOnly", scenario.audioOnly());
        sc.put("videoOnly", scenario.videoOnly());
        sc.put("videoBitrate", scenario.videoBitrate());
        sc.put("simulcast", scenario.simulcast());
        sc.put("packetSize", scenario.packetSize());
        sc.put("fps", scenario.fps());
        sc.put("keyFrameIntervalSeconds", scenario.keyFrameInterval().toMillis() / 1000.0);
        sc.put("warmupSeconds", scenario.warmup().toMillis() / 1000.0);
        sc.put("durationSeconds", scenario.duration().toMillis() / 1000.0);
        sc.put("joinRate", scenario.joinRate());
        sc.put("srtpProfile", scenario.srtpProfile().name());
        sc.put("mediaThreads", scenario.mediaThreads());
        sc.put("nack", scenario.nack());
        num(sc, "expectedForwardedPps", scenario.expectedForwardedPps(), 0);
        ObjectNode ph = root.putObject("phases");
        for (PhaseResult p : phases) {
            ph.set(p.name(), phaseJson(p));
        }
        ObjectNode ratio = root.putObject("bridgeOverFloor");
        num(ratio, "cpuMicrosPerForwardedPacket", cpuRatio(), 3);
        PhaseResult b = phase("bridge");
        PhaseResult f = phase("floor");
        if (b != null && f != null && b.measured() && f.measured()) {
            num(ratio, "addedLatencyP50Ms", b.latencyMs(0.5) - f.latencyMs(0.5), 4);
            num(ratio, "addedLatencyP99Ms", b.latencyMs(0.99) - f.latencyMs(0.99), 4);
            num(ratio, "addedLatencyP999Ms", b.latencyMs(0.999) - f.latencyMs(0.999), 4);
            num(ratio, "serverCores", b.serverCores() / f.serverCores(), 3);
        }
        ArrayNode targets = root.putArray("targets");
        for (Target t : targets()) {
            ObjectNode n = targets.addObject();
            n.put("name", t.name());
            n.put("goal", t.goal());
            n.put("measured", t.measured());
            if (t.met() == null) {
                n.putNull("met");
            } else {
                n.put("met", t.met());
            }
            n.put("note", t.note());
        }
        return root;
    }

    private ObjectNode phaseJson(PhaseResult p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", p.error());
        n.put("serverPid", p.serverPid);
        num(n, "windowSeconds", p.windowSeconds(), 3);
        ObjectNode server = n.putObject("server");
        num(server, "forwardedPps", p.forwardedPps(), 1);
        num(server, "forwardedMbps", p.forwardedMbps(), 2);
        num(server, "ingressPps", p.ingressPps(), 1);
        num(server, "ingressMbps", p.ingressMbps(), 2);
        num(server, "cpuCores", p.serverCores(), 4);
        num(server, "cpuMicrosPerForwardedPacket", p.cpuMicrosPerForwarded(), 3);
        num(server, "machineBusyCores", p.machineBusyCores(), 3);
        num(server, "generatorCpuCores", p.generatorCores(), 3);
        num(server, "otherProcessesCpuCores", p.otherCores(), 3);
        server.put("droppedInWindow", p.droppedByServer());
        num(server, "queuedPacketsMean", p.queueMean(), 1);
        server.put("keptUp", p.keptUp());
        server.put("log", p.serverLog);
        ObjectNode exceptions = server.putObject("exceptionsInLog");
        p.serverExceptions.forEach(exceptions::put);
        server.put("queuedPacketsMax", p.queueMax);
        long[] transit = inBridgeMicros(p);
        if (transit != null) { // the bridge's own view: socket read to last copy sent, its last 10 s
            ObjectNode t = server.putObject("inBridgeMicrosLast10s");
            t.put("p50", transit[0]);
            t.put("p99", transit[1]);
            t.put("max", transit[2]);
        }
        ObjectNode threads = server.putObject("threadCores");
        p.threadCores(true).forEach((k, v) -> num(threads, k, v, 3));
        ObjectNode genThreads = server.putObject("generatorThreadCores");
        p.threadCores(false).forEach((k, v) -> num(genThreads, k, v, 3));
        if (p.end != null) {
            ObjectNode dropped = server.putObject("droppedTotalByReason");
            p.end.counters().dropped().forEach(dropped::put);
        }
        ObjectNode mem = n.putObject("memory");
        mem.put("heapIdleAfterGcKiB", p.heapIdleKiB);
        mem.put("heapLoadedAfterGcKiB", p.heapLoadedKiB);
        num(mem, "heapPerParticipantKiB", p.heapPerParticipantKiB(), 1);
        mem.put("rssIdleKiB", p.rssIdleKiB);
        mem.put("rssLoadedKiB", p.rssLoadedKiB);
        num(mem, "rssPerParticipantKiB", p.rssPerParticipantKiB(), 1);
        ObjectNode gc = n.putObject("gc");
        num(gc, "allocationMBps", p.allocationMBps(), 2);
        gc.put("pauses", p.pauses.size());
        num(gc, "maxPauseMs", p.maxPauseMs(), 3);
        num(gc, "totalPauseMs", p.totalPauseMs(), 3);
        ArrayNode list = gc.putArray("pauseList");
        for (GcLog.Pause pause : p.pauses) {
            list.addObject().put("id", pause.id()).put("kind", pause.kind()).put("beforeKiB", pause.beforeKiB())
                    .put("afterKiB", pause.afterKiB()).put("ms", pause.millis());
        }
        GeneratorStats g = p.generator();
        if (g == null) {
            return n;
        }
        ObjectNode lat = n.putObject("latencyMs");
        lat.put("samples", g.latency.count());
        num(lat, "p50", p.latencyMs(0.5), 4);
        num(lat, "p99", p.latencyMs(0.99), 4);
        num(lat, "p999", p.latencyMs(0.999), 4);
        num(lat, "max", p.latencyMaxMs(), 4);
        num(lat, "mean", g.latency.mean() / 1e6, 4);
        ObjectNode loss = n.putObject("loss");
        loss.set("audio", lossJson(g.audioLoss));
        loss.set("video", lossJson(g.videoLoss));
        loss.set("total", lossJson(g.totalLoss()));
        ObjectNode join = n.putObject("joinMs");
        join.put("participants", g.participants);
        join.put("connected", g.connected);
        num(join, "answerP50", GeneratorStats.quantile(g.joinAnswerMs, 0.5), 1);
        num(join, "answerP99", GeneratorStats.quantile(g.joinAnswerMs, 0.99), 1);
        num(join, "iceP50", GeneratorStats.quantile(g.joinIceMs, 0.5), 1);
        num(join, "iceP99", GeneratorStats.quantile(g.joinIceMs, 0.99), 1);
        num(join, "dtlsResponseP50", GeneratorStats.quantile(g.joinDtlsResponseMs, 0.5), 1);
        num(join, "dtlsResponseP99", GeneratorStats.quantile(g.joinDtlsResponseMs, 0.99), 1);
        num(join, "connectedP50", GeneratorStats.quantile(g.joinConnectedMs, 0.5), 1);
        num(join, "connectedP99", GeneratorStats.quantile(g.joinConnectedMs, 0.99), 1);
        num(join, "firstMediaP50", GeneratorStats.quantile(g.joinFirstMediaMs, 0.5), 1);
        num(join, "firstMediaP99", GeneratorStats.quantile(g.joinFirstMediaMs, 0.99), 1);
        num(join, "firstMediaMax", GeneratorStats.quantile(g.joinFirstMediaMs, 1.0), 1);
        ObjectNode failures = join.putObject("failures");
        g.failures.forEach(failures::put);
        ObjectNode gen = n.putObject("generator");
        num(gen, "receivedPpsInWindow", g.windowPackets / Math.max(1e-9, g.windowSeconds), 1);
        gen.put("sentRtp", g.sentRtp);
        gen.put("sentRtcp", g.sentRtcp);
        gen.put("sentBytes", g.sentBytes);
        gen.put("sendErrors", g.sendErrors);
        gen.put("protectFailures", g.protectFailures);
        gen.put("rtpReceived", g.rtpReceived);
        gen.put("rtcpReceived", g.rtcpReceived);
        gen.put("unprotectFailures", g.unprotectFailures);
        gen.put("keyFramesSent", g.keyFramesSent);
        gen.put("keyFramesReceived", g.keyFramesReceived);
        gen.put("vp8DescriptorErrors", g.vp8Errors);
        gen.put("plisReceived", g.plisReceived);
        gen.put("firsReceived", g.firsReceived);
        gen.put("nacksReceived", g.nacksReceived);
        gen.put("retransmissionsSent", g.retransmissionsSent);
        gen.put("retransmissionsSkipped", g.retransmissionsSkipped);
        gen.put("foreignPackets", g.foreignPackets);
        gen.put("readErrors", g.readErrors);
        gen.put("signalingErrors", g.signalingErrors);
        gen.put("stunErrors", g.stunErrors);
        gen.put("stunRequestsAnswered", g.stunRequestsAnswered);
        gen.put("sendLoopLateWakeups", g.sendLoopLateWakeups);
        num(gen, "sendLoopMaxLatenessMs", g.sendLoopMaxLatenessMs, 3);
        ObjectNode peers = n.putObject("receivedFromPeers");
        for (Map.Entry<Integer, Map<String, Long>> e : g.receivedFromPeers.entrySet()) {
            ObjectNode one = peers.putObject(Integer.toString(e.getKey()));
            e.getValue().forEach(one::put);
        }
        return n;
    }

    private static ObjectNode lossJson(GeneratorStats.Loss l) {
        ObjectNode n = JSON.createObjectNode();
        n.put("expected", l.expected);
        n.put("received", l.received);
        n.put("lost", l.lost());
        n.put("lossRate", l.lossRate());
        n.put("duplicates", l.duplicates);
        n.put("outOfOrder", l.outOfOrder);
        n.put("tooOld", l.tooOld);
        n.put("retransmissionsReceived", l.retransmissions);
        return n;
    }

    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(runId + ".json");
        JSON.writeValue(file.toFile(), toJson());
        return file;
    }

    // ---- table ------------------------------------------------------------------------------------------------

    public String table() {
        StringBuilder sb = new StringBuilder();
        PhaseResult b = phase("bridge");
        PhaseResult f = phase("floor");
        sb.append(String.format(Locale.ROOT, "%nSwitchboard benchmark %s: preset %s, %d room(s) x %d participants "
                + "(%d publishing), %s%s, %s, window %s after %s warm-up%n", runId, scenario.preset(),
                scenario.rooms(), scenario.participants(), scenario.publishersPerRoom(),
                scenario.audioOnly() ? "audio only" : (scenario.videoOnly() ? "video only " : "audio + video ")
                        + scenario.videoBitrate() / 1000 + " kbit/s",
                scenario.simulcast() ? " (3 simulcast layers)" : "", scenario.srtpProfile(),
                BenchRunner.human(scenario.duration()), BenchRunner.human(scenario.warmup())));
        sb.append(String.format(Locale.ROOT, "machine: %d CPUs, server on %s, generator on %s%n%n", cpus,
                serverCpus == null ? "any" : serverCpus, generatorCpus == null ? "any" : generatorCpus));
        String fmt = "%-38s %16s %16s %12s%n";
        sb.append(String.format(Locale.ROOT, fmt, "", "bridge", "floor", "bridge/floor"));
        row(sb, fmt, "participants connected", b, f, p -> p.generator() == null ? "-"
                : p.generator().connected + "/" + p.generator().participants, null);
        row(sb, fmt, "forwarded packets/s", b, f, p -> fmt(p.forwardedPps(), 0), PhaseResult::forwardedPps);
        row(sb, fmt, "forwarded Mbit/s", b, f, p -> fmt(p.forwardedMbps(), 1), PhaseResult::forwardedMbps);
        row(sb, fmt, "ingress packets/s", b, f, p -> fmt(p.ingressPps(), 0), PhaseResult::ingressPps);
        row(sb, fmt, "server CPU (cores)", b, f, p -> fmt(p.serverCores(), 3), PhaseResult::serverCores);
        row(sb, fmt, "CPU us per forwarded packet", b, f, p -> fmt(p.cpuMicrosPerForwarded(), 2),
                PhaseResult::cpuMicrosPerForwarded);
        row(sb, fmt, "machine CPU busy (cores, all processes)", b, f, p -> fmt(p.machineBusyCores(), 2), null);
        row(sb, fmt, "generator CPU (cores)", b, f, p -> fmt(p.generatorCores(), 2), null);
        row(sb, fmt, "other processes' CPU (cores)", b, f, p -> fmt(p.otherCores(), 2), null);
        row(sb, fmt, "latency p50 (ms)", b, f, p -> fmt(p.latencyMs(0.5), 3), null);
        row(sb, fmt, "latency p99 (ms)", b, f, p -> fmt(p.latencyMs(0.99), 3), null);
        row(sb, fmt, "latency p99.9 (ms)", b, f, p -> fmt(p.latencyMs(0.999), 3), null);
        row(sb, fmt, "latency max (ms)", b, f, p -> fmt(p.latencyMaxMs(), 3), null);
        row(sb, fmt, "loss audio", b, f, p -> p.generator() == null ? "-" : pct(p.generator().audioLoss.lossRate()), null);
        row(sb, fmt, "loss video", b, f, p -> p.generator() == null ? "-" : pct(p.generator().videoLoss.lossRate()), null);
        row(sb, fmt, "duplicates / out of order", b, f, p -> p.generator() == null ? "-"
                : p.generator().totalLoss().duplicates + " / " + p.generator().totalLoss().outOfOrder, null);
        row(sb, fmt, "dropped by the server (window)", b, f, p -> Long.toString(p.droppedByServer()), null);
        row(sb, fmt, "server queue mean/max (packets)", b, f, p -> fmt(p.queueMean(), 0) + "/" + p.queueMax, null);
        row(sb, fmt, "in-bridge p50/p99/max (us, last 10 s)", b, f, p -> {
            long[] t = inBridgeMicros(p);
            return t == null ? "-" : t[0] + "/" + t[1] + "/" + t[2];
        }, null);
        row(sb, fmt, "join to media keys p50/p99 (ms)", b, f, p -> p.generator() == null ? "-"
                : fmt(GeneratorStats.quantile(p.generator().joinConnectedMs, 0.5), 0) + "/"
                        + fmt(GeneratorStats.quantile(p.generator().joinConnectedMs, 0.99), 0), null);
        row(sb, fmt, "join to first media p50/p99 (ms)", b, f, p -> p.generator() == null ? "-"
                : fmt(GeneratorStats.quantile(p.generator().joinFirstMediaMs, 0.5), 0) + "/"
                        + fmt(GeneratorStats.quantile(p.generator().joinFirstMediaMs, 0.99), 0), null);
        row(sb, fmt, "heap after GC idle/loaded (MiB)", b, f, p -> fmt(p.heapIdleKiB / 1024.0, 1) + "/"
                + fmt(p.heapLoadedKiB / 1024.0, 1), null);
        row(sb, fmt, "heap per participant (KiB)", b, f, p -> fmt(p.heapPerParticipantKiB(), 0), null);
        row(sb, fmt, "RSS idle/loaded (MiB)", b, f, p -> fmt(p.rssIdleKiB / 1024.0, 0) + "/"
                + fmt(p.rssLoadedKiB / 1024.0, 0), null);
        row(sb, fmt, "RSS per participant (KiB)", b, f, p -> fmt(p.rssPerParticipantKiB(), 0), null);
        row(sb, fmt, "allocation rate (MB/s)", b, f, p -> fmt(p.allocationMBps(), 1), null);
        row(sb, fmt, "GC pauses in window (n, max ms)", b, f, p -> p.pauses.size() + ", " + fmt(p.maxPauseMs(), 2), null);
        for (PhaseResult p : phases) {
            if (p.measured()) {
                sb.append(String.format(Locale.ROOT, "%n%s threads (cores): %s%n  generator threads: %s", p.name(),
                        threads(p.threadCores(true)), threads(p.threadCores(false))));
            }
        }
        sb.append("\n");
        for (PhaseResult p : phases) {
            if (p.error() != null) {
                sb.append("\n").append(p.name()).append(" phase error: ").append(p.error()).append("\n");
            }
            if (!p.serverExceptions.isEmpty()) {
                sb.append(p.name()).append(" log (").append(p.serverLog).append(") names exceptions: ")
                        .append(p.serverExceptions).append("\n");
            }
            if (p.generator() != null && !p.generator().failures.isEmpty()) {
                sb.append(p.name()).append(" join failures: ").append(p.generator().failures).append("\n");
            }
            if (p.measured() && p.generatorCores() > 0.9 * Math.max(1, countCpus(p.generatorCpus))) {
                sb.append(String.format(Locale.ROOT, "warning: the generator used %.2f cores of its %s: "
                        + "latency and loss may be the generator's%n", p.generatorCores(),
                        p.generatorCpus == null ? "machine" : "CPUs " + p.generatorCpus));
            }
        }
        sb.append(String.format(Locale.ROOT, "%nTargets (issue 5)%n"));
        for (Target t : targets()) {
            String verdict = t.met() == null ? "n/a " : t.met() ? "MET " : "MISS";
            sb.append(String.format(Locale.ROOT, "  [%s] %-26s %-58s measured: %s%s%n", verdict, t.name(),
                    t.goal(), t.measured(), t.note().isEmpty() ? "" : " (" + t.note() + ")"));
        }
        return sb.toString();
    }

    private static String threads(Map<String, Double> cores) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, Double> e : cores.entrySet()) {
            if (n++ == 6) {
                break;
            }
            sb.append(n > 1 ? ", " : "").append(e.getKey()).append(' ').append(fmt(e.getValue(), 3));
        }
        return sb.toString();
    }

    private static int countCpus(String list) {
        return list == null ? Runtime.getRuntime().availableProcessors() : list.split(",").length;
    }

    private static void row(StringBuilder sb, String fmt, String label, PhaseResult b, PhaseResult f,
            Function<PhaseResult, String> value, Function<PhaseResult, Double> ratio) {
        String bv = b == null || !b.measured() ? "-" : value.apply(b);
        String fv = f == null || !f.measured() ? "-" : value.apply(f);
        String rv = "";
        if (ratio != null && b != null && f != null && b.measured() && f.measured()) {
            double den = ratio.apply(f);
            rv = den == 0 || Double.isNaN(den) ? "-" : fmt(ratio.apply(b) / den, 2) + "x";
        }
        sb.append(String.format(Locale.ROOT, fmt, label, bv, fv, rv));
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String pct(double rate) {
        return String.format(Locale.ROOT, "%.4f%%", rate * 100);
    }

    /** Puts a rounded number, or null when it is not a number (JSON has no NaN). */
    private static void num(ObjectNode n, String key, double v, int decimals) {
        double r = round(v, decimals);
        if (Double.isNaN(r)) {
            n.putNull(key);
        } else {
            n.put(key, r);
        }
    }

    private static double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.NaN;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** The server's own p50/p99/max transit time at the window's end, or null (the floor relay, or no sample). */
    private static long[] inBridgeMicros(PhaseResult p) {
        return p.end == null ? null : p.end.counters().transitMicros();
    }
}
