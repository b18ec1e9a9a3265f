package dev.switchboard.bench.sys;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the benchmark starts as a separate process (the bridge, or the floor relay): same java, same
 * classpath as ours, optionally pinned to CPUs with {@code taskset}, with its GC logged to a file and its
 * output to another.
 */
public final class ChildJvm implements AutoCloseable {
    private final String label;
    private final Process process;
    private final GcLog gcLog;
    private final Path output;

    private ChildJvm(String label, Process process, GcLog gcLog, Path output) {
        this.label = label;
        this.process = process;
        this.gcLog = gcLog;
        this.output = output;
    }

    /**
     * @param cpus       taskset CPU list (e.g. "1"), or null for no pinning
     * @param jvmOptions extra JVM options (before the main class)
     */
    public static ChildJvm start(String label, String mainClass, List<String> args, Path dir, String cpus,
            List<String> jvmOptions) throws IOException {
        Files.createDirectories(dir);
        Path gc = dir.resolve(label + "-gc.log");
        Path out = dir.resolve(label + ".log");
        Files.deleteIfExists(gc);
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.add("taskset");
            command.add("-c");
            command.add(cpus);
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // gc+phases: ZGC logs its pauses there (G1 and Shenandoah log theirs on gc)
        command.add("-Xlog:gc,gc+phases:file=" + gc.toAbsolutePath() + "::filecount=0");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
        return new ChildJvm(label, pb.start(), new GcLog(gc), out);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public GcLog gcLog() {
        return gcLog;
    }

    public Path output() {
        return output;
    }

    public String label() {
        return label;
    }

    /** The last lines of its output, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(output);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /**
     * Exceptions and errors named in its output (log lines and stack traces), by class name, with counts:
     * a quick signal that the server misbehaved during the run.
     */
    public java.util.Map<String, Integer> exceptionsInOutput() {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(
                "^(?:Caused by: )?((?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Timeout))\\b");
        try (var lines = Files.lines(output, java.nio.charset.StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                java.util.regex.Matcher m = p.matcher(line.strip());
                if (m.find()) {
                    out.merge(m.group(1), 1, Integer::sum);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // no output
        }
        return out;
    }

    /** SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port that was free on 127.0.0.1 a moment ago. */
    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A UDP port that was free on 127.0.0.1 a moment ago. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
