package dev.switchboard.bench.sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK's {@code jcmd} against a child JVM: a full GC ({@code GC.run}) and the heap occupancy
 * ({@code GC.heap_info}, in KiB). Used around the measured window only, never inside it.
 */
public final class Jcmd {
    private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    /** Shenandoah: " 6028M max, 6028M soft max, 378M committed, 8192K used"; ZGC: " ZHeap  used 52M, capacity ...". */
    private static final Pattern CONCURRENT_USED = Pattern.compile(
            "(?:committed, (\\d+)([KMG]) used|ZHeap\\s+used (\\d+)([KMG]))");

    private Jcmd() {}

    private static String executable() {
        Path jdk = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(jdk) ? jdk.toString() : "jcmd";
    }

    /** Runs {@code jcmd <pid> <command>}; null on failure. */
    public static String run(long pid, String command) {
        try {
            Process p = new ProcessBuilder(executable(), Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out);
        } catch (Exception e) {
            return null;
        }
    }

    /** Heap in use in KiB (sum of the "used" figures of GC.heap_info's heap lines), or -1. */
    public static long heapUsedKiB(long pid) {
        String out = run(pid, "GC.heap_info");
        return out == null ? -1 : parseHeapUsed(out);
    }

    static long parseHeapUsed(String heapInfo) {
        // G1: " garbage-first heap   total 262144K, used 12345K [...]"; Serial/Parallel list generations;
        // Shenandoah and ZGC have lines of their own (CONCURRENT_USED)
        // ("def new generation total ..., used ...K", "tenured generation total ..., used ...K").
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher m = USED.matcher(line);
            if (m.find() && !line.startsWith("   ")) {
                used += Long.parseLong(m.group(2));
                found = true;
            }
        }
        if (found) {
            return used;
        }
        for (String line : heapInfo.split("\n")) {
            Matcher m = CONCURRENT_USED.matcher(line);
            if (m.find()) {
                String n = m.group(1) != null ? m.group(1) : m.group(3);
                String unit = m.group(1) != null ? m.group(2) : m.group(4);
                long v = Long.parseLong(n);
                return switch (unit) {
                    case "K" -> v;
                    case "M" -> v * 1024;
                    default -> v * 1024 * 1024;
                };
            }
        }
        return -1;
    }

    /** Full GC, then heap in use (KiB), or -1. */
    public static long heapAfterFullGcKiB(long pid) {
        if (run(pid, "GC.run") == null) {
            return -1;
        }
        return heapUsedKiB(pid);
    }
}
