package dev.switchboard.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs external commands for the tests and installs missing Debian packages. */
final class Commands {
    private static final Set<String> INSTALLED = new HashSet<>();

    private Commands() {}

    /** The outcome of one command: exit code and stdout+stderr interleaved. */
    record Result(List<String> command, int exitCode, String output, Duration took) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return "$ " + String.join(" ", command) + "\n(exit " + exitCode + " after " + took.toMillis() + " ms)\n"
                    + output;
        }
    }

    /**
     * Runs a command to completion, feeding it no input, and kills it when it outlives the timeout.
     *
     * @param workDir the working directory, or null for the current one
     * @param env     extra environment variables
     */
    static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Result(command, -1, "could not start: " + e, Duration.ofNanos(System.nanoTime() - start));
        }
        StringBuilder out = new StringBuilder();
        Thread reader = drain(process, "command-output", text -> {
            synchronized (out) {
                out.append(text);
            }
        });
        int exit;
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = process.exitValue();
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                synchronized (out) {
                    out.append("\n[killed: still running after ").append(timeout).append("]");
                }
                exit = -2;
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        synchronized (out) {
            return new Result(command, exit, out.toString(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Starts a daemon thread that hands everything {@code process} prints (stdout, and stderr when redirected
     * into it) to {@code sink}, chunk by chunk, until the process closes its output.
     */
    static Thread drain(Process process, String threadName, Consumer<String> sink) {
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sink.accept(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the process went away; whatever was read is kept
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /**
     * Makes sure every path in {@code mustExist} exists, installing {@code packages} with apt-get (after one
     * {@code apt-get update}) when one does not. Fails with the full command output when that does not help.
     */
    static synchronized void ensureDebianPackages(List<Path> mustExist, String... packages) {
        List<Path> missing = missing(mustExist);
        if (missing.isEmpty()) {
            return;
        }
        String key = String.join(" ", packages);
        if (INSTALLED.contains(key)) {
            throw new AssertionError("still missing after installing " + key + ": " + missing);
        }
        INSTALLED.add(key);
        List<String> sudo = isRoot() ? List.of() : List.of("sudo", "-n");
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        List<Result> log = new ArrayList<>();
        List<String> update = new ArrayList<>(sudo);
        update.addAll(List.of("apt-get", "update"));
        Result updated = run(update, null, env, Duration.ofMinutes(10));
        log.add(updated);
        List<String> install = new ArrayList<>(sudo);
        install.addAll(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(List.of(packages));
        Result installed = run(install, null, env, Duration.ofMinutes(20));
        log.add(installed);
        List<Path> stillMissing = missing(mustExist);
        if (!installed.ok() || !stillMissing.isEmpty()) {
            StringBuilder msg = new StringBuilder("could not install " + key + " (missing: " + stillMissing + ")\n");
            for (Result r : log) {
                msg.append(r.describe()).append('\n');
            }
            throw new AssertionError(msg.toString());
        }
    }

    private static List<Path> missing(List<Path> paths) {
        return paths.stream().filter(p -> !Files.exists(p)).toList();
    }

    static boolean isRoot() {
        Result id = run(List.of("id", "-u"), null, Map.of(), Duration.ofSeconds(10));
        return id.ok() && id.output().trim().equals("0");
    }
}
