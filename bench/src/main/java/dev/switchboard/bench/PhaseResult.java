package dev.switchboard.bench;

import dev.switchboard.bench.gen.GeneratorStats;
import dev.switchboard.bench.sys.GcLog;
import dev.switchboard.bench.sys.StatsClient;
import java.util.List;

/** Raw readings of one phase (the bridge, or the floor relay) and the figures derived from them. */
public final class PhaseResult {
    /** One reading at a window edge. */
    public record Sample(long nanos, StatsClient.Counters counters, long serverTicks, long generatorTicks,
            long machineBusyTicks, long machineTotalTicks, java.util.Map<String, Long> serverThreads,
            java.util.Map<String, Long> generatorThreads) {}

    final String name;
    String error;
    Sample start;
    Sample end;
    long clockTicks = 100;
    int cpus;
    long heapIdleKiB = -1;
    long heapLoadedKiB = -1;
    long heapWindowStartKiB = -1;
    long heapWindowEndKiB = -1;
    long rssIdleKiB = -1;
    long rssLoadedKiB = -1;
    /** Pauses in the measured window. */
    List<GcLog.Pause> pauses = List.of();
    /** Pauses between the two heap readings that bracket the window (for the allocation rate). */
    List<GcLog.Reclaim> allocationReclaims = List.of();
    double allocationSeconds;
    GeneratorStats generator;
    long serverPid;
    String serverLog;
    /** Exception class names in the server's output, with counts (see ChildJvm#exceptionsInOutput). */
    java.util.Map<String, Integer> serverExceptions = java.util.Map.of();
    /** Server packets waiting for its media/forwarding thread, sampled 4 times a second in the window. */
    long queueSamples;
    long queueMax;
    double queueSum;
    String serverCpus;
    String generatorCpus;

    PhaseResult(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public String error() {
        return error;
    }

    public GeneratorStats generator() {
        return generator;
    }

    public boolean measured() {
        return start != null && end != null && windowSeconds() > 0;
    }

    public double windowSeconds() {
        return start == null || end == null ? 0 : (end.nanos() - start.nanos()) / 1e9;
    }

    public double forwardedPps() {
        return measured() ? (end.counters().packetsForwarded() - start.counters().packetsForwarded()) / windowSeconds() : 0;
    }

    public double forwardedMbps() {
        return measured() ? (end.counters().bytesForwarded() - start.counters().bytesForwarded()) * 8 / 1e6
                / windowSeconds() : 0;
    }

    public double ingressPps() {
        return measured() ? (end.counters().packetsReceived() - start.counters().packetsReceived()) / windowSeconds() : 0;
    }

    public double ingressMbps() {
        return measured() ? (end.counters().bytesReceived() - start.counters().bytesReceived()) * 8 / 1e6
                / windowSeconds() : 0;
    }

    /** Server process CPU in cores: d(utime+stime)/d(wall). */
    public double serverCores() {
        return measured() ? (end.serverTicks() - start.serverTicks()) / (double) clockTicks / windowSeconds() : 0;
    }

    /** Server CPU microseconds per forwarded packet: serverCores * 1e6 / forwarded pps. */
    public double cpuMicrosPerForwarded() {
        double pps = forwardedPps();
        return pps > 0 ? serverCores() * 1e6 / pps : Double.NaN;
    }

    public double generatorCores() {
        return measured() ? (end.generatorTicks() - start.generatorTicks()) / (double) clockTicks / windowSeconds() : 0;
    }

    /** Whole machine busy CPU in cores (all processes, including other users of the machine). */
    public double machineBusyCores() {
        if (!measured() || end.machineTotalTicks() <= start.machineTotalTicks()) {
            return Double.NaN;
        }
        double busy = end.machineBusyTicks() - start.machineBusyTicks();
        double total = end.machineTotalTicks() - start.machineTotalTicks();
        return busy / total * cpus;
    }

    /** Machine busy minus server and generator: other users of the machine (noise in the figures). */
    public double otherCores() {
        return Math.max(0, machineBusyCores() - serverCores() - generatorCores());
    }

    public long droppedByServer() {
        if (!measured()) {
            return 0;
        }
        long d = 0;
        for (var e : end.counters().dropped().entrySet()) {
            d += e.getValue() - start.counters().dropped().getOrDefault(e.getKey(), 0L);
        }
        return d;
    }

    public int participants() {
        return generator == null ? 0 : Math.max(1, generator.connected);
    }

    public double heapPerParticipantKiB() {
        return heapIdleKiB < 0 || heapLoadedKiB < 0 ? Double.NaN : (heapLoadedKiB - heapIdleKiB) / (double) participants();
    }

    public double rssPerParticipantKiB() {
        return rssIdleKiB < 0 || rssLoadedKiB < 0 ? Double.NaN : (rssLoadedKiB - rssIdleKiB) / (double) participants();
    }

    /**
     * Allocation rate in MB/s over the window: heap growth plus what each collection reclaimed, between two
     * heap readings (jcmd GC.heap_info) just before and just after the window; what collections freed from the GC
     * log (G1 pauses, or Shenandoah's cleanup phases).
     */
    public double allocationMBps() {
        if (heapWindowStartKiB < 0 || heapWindowEndKiB < 0 || allocationSeconds <= 0) {
            return Double.NaN;
        }
        long kib = heapWindowEndKiB - heapWindowStartKiB;
        for (GcLog.Reclaim r : allocationReclaims) {
            kib += r.beforeKiB() - r.afterKiB();
        }
        return kib * 1024 / 1e6 / allocationSeconds;
    }

    /** Cores used per thread group over the window, biggest first (server or generator). */
    public java.util.LinkedHashMap<String, Double> threadCores(boolean server) {
        java.util.LinkedHashMap<String, Double> out = new java.util.LinkedHashMap<>();
        if (!measured()) {
            return out;
        }
        java.util.Map<String, Long> a = server ? start.serverThreads() : start.generatorThreads();
        java.util.Map<String, Long> b = server ? end.serverThreads() : end.generatorThreads();
        b.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), Math.max(0, e.getValue() - a.getOrDefault(e.getKey(), 0L))
                        / (double) clockTicks / windowSeconds()))
                .filter(e -> e.getValue() >= 0.005)
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Whether the server kept up with the offered load over the window: no backlog building in its queue
     * (mean under 256 packets) and a p99 latency under 50 ms. Forwarded packets/s only count as
     * "sustained" when this holds.
     */
    public boolean keptUp() {
        return measured() && queueMean() < 256 && latencyMs(0.99) < 50;
    }

    public boolean allConnected() {
        return generator != null && generator.connected == generator.participants;
    }

    public double queueMean() {
        return queueSamples == 0 ? Double.NaN : queueSum / queueSamples;
    }

    public double maxPauseMs() {
        return pauses.stream().mapToDouble(GcLog.Pause::millis).max().orElse(0);
    }

    public double totalPauseMs() {
        return pauses.stream().mapToDouble(GcLog.Pause::millis).sum();
    }

    public double latencyMs(double q) {
        return generator == null ? Double.NaN : generator.latency.percentile(q) / 1e6;
    }

    public double latencyMaxMs() {
        return generator == null ? Double.NaN : generator.latency.max() / 1e6;
    }
}
