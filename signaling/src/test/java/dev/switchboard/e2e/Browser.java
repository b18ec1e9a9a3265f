package dev.switchboard.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * One headless Chromium driven by chromedriver, with its own temporary profile directory.
 *
 * <p>Every page records its console output, uncaught errors and the changes of {@code #status} in
 * {@code window.__e2eLog} from the first script on, so that failures can show what the page said.
 * {@link #close()} quits the browser, stops chromedriver and deletes the profile; it is idempotent, and a
 * shutdown hook calls it if a test run dies before.
 */
final class Browser implements AutoCloseable {
    /** Installed into every document before its own scripts run. */
    private static final String PAGE_HOOK = """
            (() => {
              if (window.__e2eLog) return;
              const log = window.__e2eLog = [];
              const fmt = a => {
                if (a instanceof Error) return a.stack || String(a);
                if (a && typeof a === 'object') { try { return JSON.stringify(a); } catch (e) { return String(a); } }
                return String(a);
              };
              const push = (level, args) => {
                try {
                  const t = new Date().toISOString().substring(11, 23);
                  log.push(t + ' ' + level + ' ' + Array.from(args).map(fmt).join(' '));
                  if (log.length > 400) log.splice(0, log.length - 400);
                } catch (e) { /* never break the page */ }
              };
              for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
                const original = console[level].bind(console);
                console[level] = (...args) => { push(level, args); return original(...args); };
              }
              window.addEventListener('error', e => push('uncaught', [e.message + ' at ' + e.filename + ':' + e.lineno]));
              window.addEventListener('unhandledrejection', e => push('unhandled-rejection', [e.reason]));
              document.addEventListener('DOMContentLoaded', () => {
                const status = document.getElementById('status');
                if (!status) { push('e2e', ['page has no #status element']); return; }
                let last = null;
                const note = () => {
                  const text = status.textContent.trim();
                  if (text !== last) { last = text; push('status', [text]); }
                };
                note();
                new MutationObserver(note).observe(status, { childList: true, characterData: true, subtree: true });
              });
            })();
            """;

    final String label;
    private final Path profileDir;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Thread shutdownHook;
    private boolean closed;

    private Browser(String label, Path profileDir, ChromeDriverService service, ChromeDriver driver) {
        this.label = label;
        this.profileDir = profileDir;
        this.service = service;
        this.driver = driver;
        this.shutdownHook = new Thread(this::closeQuietly, "browser-cleanup-" + label);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static Browser start(String label) {
        return start(label, java.util.List.of());
    }

    /** Like {@link #start(String)}, with more Chromium flags (e.g. a fake audio file). */
    static Browser start(String label, java.util.List<String> extraFlags) {
        return start(label, extraFlags, Chromium.BINARY);
    }

    /**
     * Like {@link #start(String, java.util.List)}, with another browser executable: chromedriver runs it with the
     * given flags (e.g. a wrapper script that starts Chromium in a network namespace, see {@link NatLab}).
     */
    static Browser start(String label, java.util.List<String> extraFlags, Path binary) {
        System.setProperty("webdriver.chrome.driver", Chromium.DRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("switchboard-e2e-" + label + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a Chromium profile directory", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments(Chromium.FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        options.addArguments(extraFlags);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Chromium.DRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw new AssertionError("could not start Chromium '" + label + "' (" + binary + " via "
                    + Chromium.DRIVER + "): " + e, e);
        }
        try {
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PAGE_HOOK));
        } catch (RuntimeException e) {
            driver.quit();
            service.stop();
            deleteTree(profile);
            throw new AssertionError("could not prepare Chromium '" + label + "': " + e, e);
        }
        return new Browser(label, profile, service, driver);
    }

    /** Loads a page and waits for its load event. */
    void open(String url) {
        driver.get(url);
    }

    /** Runs a synchronous script in the page. */
    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /**
     * Runs an async script: the body is an expression of a Promise, whose value is returned as JSON text (a
     * rejected promise comes back as {@code {"scriptError": "..."}}).
     */
    String asyncJson(String promiseExpression, Object... args) {
        String js = "const __done = arguments[arguments.length - 1];\n"
                + "const __args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);\n"
                + "Promise.resolve().then(() => (" + promiseExpression + "))\n"
                + "  .then(v => __done(JSON.stringify(v === undefined ? null : v)),\n"
                + "        e => __done(JSON.stringify({scriptError: String((e && e.stack) || e)})));";
        Object result = driver.executeAsyncScript(js, args);
        return result == null ? "null" : result.toString();
    }

    /** The text of the page's {@code #status} element, or a note saying why there is none. */
    String statusText() {
        try {
            Object text = script("const s = document.getElementById('status');"
                    + " return s ? s.textContent.trim() : '(no #status element)';");
            return String.valueOf(text);
        } catch (RuntimeException e) {
            return "(could not read #status: " + firstLine(e) + ")";
        }
    }

    /** What the page logged: the in-page record (console, errors, status changes) and chromedriver's log. */
    List<String> consoleLog() {
        List<String> lines = new ArrayList<>();
        try {
            Object log = script("return window.__e2eLog ? window.__e2eLog.slice() : ['(no page log)'];");
            if (log instanceof List<?> list) {
                list.forEach(x -> lines.add(String.valueOf(x)));
            }
        } catch (RuntimeException e) {
            lines.add("(could not read the page log: " + firstLine(e) + ")");
        }
        try {
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                // console calls are already in the page's own record; keep what only the browser saw
                if (entry.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                        && !entry.getMessage().startsWith("console-api")) {
                    lines.add("[chromedriver] " + entry.getLevel() + " " + entry.getMessage());
                }
            }
        } catch (RuntimeException e) {
            // chromedriver's log is a bonus: the in-page record above is what counts
        }
        return lines;
    }

    /** A block of text for failure messages: URL, status and log of this browser. */
    String diagnostics() {
        if (closed) {
            return "=== " + label + ": (closed)\n";
        }
        StringBuilder sb = new StringBuilder("=== ").append(label);
        try {
            sb.append(" at ").append(driver.getCurrentUrl());
        } catch (RuntimeException e) {
            sb.append(" (url unknown: ").append(firstLine(e)).append(')');
        }
        sb.append("\n#status: ").append(statusText()).append("\nconsole:\n");
        List<String> log = consoleLog();
        int from = Math.max(0, log.size() - 80);
        if (from > 0) {
            sb.append("  ... ").append(from).append(" earlier lines\n");
        }
        for (String line : log.subList(from, log.size())) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Kills the browser as a crash or a pulled power plug would: SIGKILL to every process of this browser (found
     * by its profile directory on the command line), so that nothing says goodbye (no WebSocket close frame, no
     * {@code pagehide}). Returns how many processes were killed; {@link #close()} still cleans up afterwards.
     */
    int kill() {
        String marker = "--user-data-dir=" + profileDir;
        List<ProcessHandle> processes = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : processes) {
            p.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        return processes.size();
    }

    /** Closes the browser window the way a user would: the whole browser process goes away. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profileDir);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: nothing to remove
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // best effort at JVM exit
        }
    }

    static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // retried below: Chromium's helpers may still be writing
                    }
                });
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // retried
            }
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    static String firstLine(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        int nl = msg.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? msg : msg.substring(0, nl));
    }
}
