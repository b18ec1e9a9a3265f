package dev.switchboard.bench.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Readings from Linux /proc: CPU time and RSS of a process, CPU time of the whole machine. */
public final class Proc {
    private static volatile long clockTicks;

    private Proc() {}

    /** USER_HZ: clock ticks per second of /proc CPU times ({@code getconf CLK_TCK}, 100 almost always). */
    public static long clockTicksPerSecond() {
        long t = clockTicks;
        if (t == 0) {
            t = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() == 0 && out.matches("\\d+")) {
                    t = Long.parseLong(out);
                }
            } catch (IOException | InterruptedException e) {
                // keep 100
            }
            clockTicks = t;
        }
        return t;
    }

    /** utime + stime of a process (all its threads), in clock ticks; -1 when unreadable. */
    public static long cpuTicks(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime (field 14) + stime (field 15) of a /proc/PID/stat line; the command may contain spaces. */
    static long parseCpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Resident set size in KiB (VmRSS of /proc/PID/status); -1 when unreadable. */
    public static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable
        }
        return -1;
    }

    /** Whole-machine CPU: {busy, total} clock ticks over all CPUs since boot (idle and iowait are not busy). */
    public static long[] machineTicks() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            return parseMachineTicks(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    static long[] parseMachineTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total - idle, total};
    }

    /**
     * CPU ticks per thread group of a process: every /proc/PID/task/TID/stat, grouped by thread name with
     * trailing numbers removed (e.g. "GC Thread#3" and "GC Thread#0" count as "GC Thread"). Names are the
     * kernel's, cut to 15 characters.
     */
    public static java.util.Map<String, Long> threadGroupTicks(long pid) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) {
            return out;
        }
        for (java.io.File task : tasks) {
            try {
                String stat = Files.readString(task.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                out.merge(groupName(name), parseCpuTicks(stat), Long::sum);
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return out;
    }

    static String groupName(String thread) {
        String g = thread.replaceAll("[#\\-:.]?[0-9][0-9.:]*$", "").replaceAll("[-#:]$", "");
        return g.isEmpty() ? thread : g;
    }

    /** CPUs this process may run on (its affinity mask). */
    public static int availableCpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
