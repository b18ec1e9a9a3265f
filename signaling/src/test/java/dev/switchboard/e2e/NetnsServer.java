package dev.switchboard.e2e;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole Switchboard ({@code dev.switchboard.signaling.Main}, configured by {@code SWITCHBOARD_*} variables as
 * an operator would) running as a child process in the public namespace of a {@link NatLab}: HTTP, media UDP
 * and ICE-TCP on {@link NatLab#PUBLIC_ADDRESS}, answering {@link NatLab#ALL_NETWORKS}. The namespace is the
 * test's own, so the default ports are free there.
 *
 * <p>The process runs on the test JVM's class path and logs as in production, plus the ICE transport's
 * selected pairs at DEBUG ({@code <endpoint>: selected <local> -> <remote>}): the history of the bridge's own view
 * of where an endpoint's media came from ({@link #selectedRemote}: used to show an endpoint never had a pair;
 * the current pair is in {@code GET /api/rooms}). Its output is kept for failure messages.
 */
final class NetnsServer implements CallServer, AutoCloseable {
    static final int HTTP_PORT = 8080;
    static final int UDP_PORT = 10000;
    static final int TCP_PORT = 4443;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOGBACK = """
            <configuration>
              <contextListener class="ch.qos.logback.classic.jul.LevelChangePropagator">
                <resetJUL>true</resetJUL>
              </contextListener>
              <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="org.ice4j" level="WARN"/>
              <logger name="org.jitsi" level="WARN"/>
              <logger name="io.netty" level="WARN"/>
              <logger name="dev.switchboard.core.transport.ice.IceTransport" level="DEBUG"/>
              <root level="INFO"><appender-ref ref="STDOUT"/></root>
            </configuration>
            """;

    private final NatLab lab;
    private final Process process;
    private final StringBuilder output = new StringBuilder();

    private NetnsServer(NatLab lab, Process process) {
        this.lab = lab;
        this.process = process;
    }

    /**
     * Starts the server in {@code lab}'s public namespace with these extra settings (e.g. TURN URLs) and returns
     * once it logs that it is up.
     */
    static NetnsServer start(NatLab lab, Map<String, String> settings) throws IOException {
        Path logback = lab.workDir.resolve("logback-netns-server.xml");
        Files.writeString(logback, LOGBACK);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = lab.processIn(lab.pub, List.of(java.toString(), "-Xmx256m",
                        "-Dlogback.configurationFile=" + logback, "-cp", classPath, "dev.switchboard.signaling.Main"))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
        env.put("SWITCHBOARD_HTTP_HOST", NatLab.PUBLIC_ADDRESS);
        env.put("SWITCHBOARD_HTTP_PORT", String.valueOf(HTTP_PORT));
        env.put("SWITCHBOARD_UDP_PORT", String.valueOf(UDP_PORT));
        env.put("SWITCHBOARD_TCP_PORT", String.valueOf(TCP_PORT));
        env.put("SWITCHBOARD_BIND_ADDRESSES", NatLab.PUBLIC_ADDRESS);
        env.put("SWITCHBOARD_ALLOWED_NETWORKS", NatLab.ALL_NETWORKS);
        env.put("SWITCHBOARD_MEDIA_THREADS", "1");
        env.putAll(settings);
        NetnsServer server = new NetnsServer(lab, builder.start());
        Commands.drain(server.process, "netns-server-output", server::append);
        try {
            Poll.within("the Switchboard process in " + lab.pub + " says it is up", START_TIMEOUT,
                    Duration.ofMillis(200), () -> {
                        if (!server.process.isAlive()) {
                            throw new AssertionError("the server exited with " + server.process.exitValue());
                        }
                        return server.output().contains("Switchboard is up") ? List.of()
                                : List.of("not up yet");
                    }, server::diagnostics);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    String baseUrl() {
        return "http://" + NatLab.PUBLIC_ADDRESS + ":" + HTTP_PORT;
    }

    @Override
    public String roomUrl(String room, String name) {
        return baseUrl() + "/?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8)
                + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /**
     * The remote address ({@code ip:port/udp}) of each endpoint's selected candidate pair, as the bridge's ICE
     * transport logged it, in order (an endpoint selected again after a restart appears once per selection).
     */
    List<Map.Entry<String, String>> selectedRemotes() {
        Matcher m = Pattern.compile(" - (\\S+?)(?:-restart)?: selected (\\S+) -> (\\S+)").matcher(output());
        List<Map.Entry<String, String>> selected = new ArrayList<>();
        while (m.find()) {
            selected.add(Map.entry(m.group(1), m.group(3)));
        }
        return selected;
    }

    /** The remote address of {@code endpointId}'s last selected pair, or null when it never selected one. */
    String selectedRemote(String endpointId) {
        Map<String, String> last = new LinkedHashMap<>();
        selectedRemotes().forEach(e -> last.put(e.getKey(), e.getValue()));
        return last.get(endpointId);
    }

    /** The log lines that contain {@code fragment}. */
    List<String> linesContaining(String fragment) {
        return output().lines().filter(l -> l.contains(fragment)).toList();
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    private void append(String text) {
        synchronized (output) {
            output.append(text);
        }
    }

    @Override
    public String diagnostics() {
        String log = output();
        return "=== Switchboard in " + lab.pub + " (" + baseUrl() + ", udp " + UDP_PORT + ", "
                + (process.isAlive() ? "running" : "exited") + ")\n"
                + (log.length() > 20000 ? "...\n" + log.substring(log.length() - 20000) : log) + "\n"
                + lab.diagnostics();
    }

    /** Stops the server (SIGTERM: its shutdown hook closes the bridge), killing it after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
