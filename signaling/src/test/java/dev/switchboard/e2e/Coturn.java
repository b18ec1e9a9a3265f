package dev.switchboard.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's coturn ({@code turnserver}) in the foreground on 127.0.0.1 (or on an address of a test's network
 * namespace), with TURN REST credentials ({@code use-auth-secret}) and loopback peers allowed, for the
 * end-to-end tests.
 *
 * <p>{@link #start} installs the {@code coturn} package when {@code /usr/bin/turnserver} is missing (and
 * fails with apt's output when that does not work), picks a free port and a relay port range, and returns
 * once the server answers a STUN Binding request. Its output is kept for failure messages
 * ({@link #output()}). {@link #close()} kills it (also from a shutdown hook if a run dies).
 */
final class Coturn implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/turnserver");
    static final String REALM = "switchboard.test";
    private static final int RELAY_PORTS = 40;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LOOPBACK = "127.0.0.1";

    final int port;
    final int minRelayPort;
    final int maxRelayPort;
    final String secret;
    private final Path workDir;
    private final List<String> command;
    private final java.util.Map<String, String> environment;
    private final StringBuilder output = new StringBuilder();
    private final Thread shutdownHook;
    private Process process;
    private boolean closed;
    /** Where it listens; only on loopback does {@link #launch()} probe it with STUN. */
    private String address = LOOPBACK;

    private Coturn(int port, int minRelayPort, int maxRelayPort, String secret, Path workDir, List<String> command,
                   java.util.Map<String, String> environment) {
        this.port = port;
        this.minRelayPort = minRelayPort;
        this.maxRelayPort = maxRelayPort;
        this.secret = secret;
        this.workDir = workDir;
        this.command = List.copyOf(command);
        this.environment = java.util.Map.copyOf(environment);
        this.shutdownHook = new Thread(this::kill, "coturn-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Installs coturn when missing. */
    static void ensureInstalled() {
        Commands.ensureDebianPackages(List.of(BINARY), "coturn");
    }

    /** Starts coturn with this shared secret; returns once it answers STUN on its port. */
    static Coturn start(String secret) throws IOException {
        return start(secret, freePort());
    }

    /** Starts coturn on a given port (UDP and TCP on 127.0.0.1). */
    static Coturn start(String secret, int port) throws IOException {
        return start(List.of(), LOOPBACK, LOOPBACK, port, secret, List.of());
    }

    /**
     * Starts coturn listening on 127.0.0.1:{@code port} that relays from {@code relayIp} (another 127.x
     * address lets a test tell relayed traffic from direct traffic), with extra {@code turnserver} options.
     */
    static Coturn start(String secret, int port, String relayIp, List<String> extraOptions) throws IOException {
        return start(List.of(), LOOPBACK, relayIp, port, secret, extraOptions);
    }

    /**
     * Starts coturn listening and relaying on {@code address}, with {@code prefix} before its command line (e.g.
     * {@code ip netns exec NS}, see {@link NatLab}). Off loopback this JVM may not reach it: then it is ready
     * when it logs that its UDP listener is open.
     */
    static Coturn start(List<String> prefix, String address, int port, String secret) throws IOException {
        return start(prefix, address, address, port, secret, List.of());
    }

    private static Coturn start(List<String> prefix, String address, String relayIp, int port, String secret,
                                List<String> extraOptions) throws IOException {
        ensureInstalled();
        int minRelay = relayRangeStart();
        int maxRelay = minRelay + RELAY_PORTS - 1;
        Path workDir = Files.createTempDirectory("switchboard-coturn-");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(BINARY.toString(), "-n",
                "--listening-ip=" + address, "--relay-ip=" + relayIp,
                "--listening-port=" + port,
                "--min-port=" + minRelay, "--max-port=" + maxRelay,
                "--use-auth-secret", "--static-auth-secret=" + secret,
                "--realm=" + REALM,
                "--allow-loopback-peers",
                "--no-cli", "--no-tls", "--no-dtls", "--fingerprint",
                "--pidfile=" + workDir.resolve("turnserver.pid"),
                "--db=" + workDir.resolve("turndb"),
                "--verbose", "--log-file=stdout", "--simple-log"));
        command.addAll(extraOptions);
        Coturn coturn = new Coturn(port, minRelay, maxRelay, secret, workDir, command, java.util.Map.of());
        coturn.address = address;
        return launched(coturn);
    }

    /**
     * Runs another coturn command line (e.g. a configuration script that ends in {@code exec turnserver}) and
     * returns once it answers STUN on 127.0.0.1:{@code port}. The secret is masked in {@link #output()};
     * {@link #close()} deletes {@code workDir}.
     */
    static Coturn startCommand(List<String> command, java.util.Map<String, String> environment, int port,
                               int minRelayPort, int maxRelayPort, String secret, Path workDir) throws IOException {
        ensureInstalled();
        return launched(new Coturn(port, minRelayPort, maxRelayPort, secret, workDir, command, environment));
    }

    /** The first port of a random relay range of 40 ports in 40000-59999. */
    static int relayRangeStart() {
        return 40000 + RANDOM.nextInt(20000 / RELAY_PORTS) * RELAY_PORTS;
    }

    private static Coturn launched(Coturn coturn) throws IOException {
        try {
            coturn.launch();
        } catch (RuntimeException | IOException e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    /** Kills the server and starts it again on the same ports (all allocations are lost). */
    void restart() throws IOException {
        kill();
        launch();
    }

    /** Kills the server now (SIGKILL): its allocations die with it. */
    synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        append("[coturn killed, exit " + (p.isAlive() ? "?" : String.valueOf(p.exitValue())) + "]\n");
        process = null;
    }

    private synchronized void launch() throws IOException {
        append("$ " + String.join(" ", command).replace(secret, "<secret>") + "\n");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .directory(workDir.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        process = p;
        Commands.drain(p, "coturn-output", this::append);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String listening = "UDP listener opened on: " + address + ":" + port;
        while (LOOPBACK.equals(address) ? !answersStun() : !output().contains(listening)) {
            if (!p.isAlive()) {
                throw new AssertionError("coturn exited with " + p.exitValue() + " before answering STUN:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("coturn does not answer STUN on " + address + ":" + port + " after 15 s:\n"
                        + output());
            }
            if (!LOOPBACK.equals(address)) {
                Poll.sleep(Duration.ofMillis(100));
            }
        }
    }

    /** Sends one STUN Binding request (RFC 5389) and waits up to 300 ms for a success response. */
    boolean answersStun() throws IOException {
        byte[] request = new byte[20];
        request[1] = 0x01; // Binding request, length 0
        request[4] = 0x21;
        request[5] = 0x12;
        request[6] = (byte) 0xA4;
        request[7] = 0x42;
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        System.arraycopy(transaction, 0, request, 8, 12);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(300);
            socket.send(new DatagramPacket(request, request.length,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            byte[] buf = new byte[1500];
            DatagramPacket response = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(response);
            } catch (SocketTimeoutException e) {
                return false;
            }
            return response.getLength() >= 20 && buf[0] == 0x01 && buf[1] == 0x01
                    && Arrays.equals(Arrays.copyOfRange(buf, 8, 20), transaction);
        }
    }

    /** A TURN URL for browsers. */
    String turnUrl() {
        return "turn:" + address + ":" + port + "?transport=udp";
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Everything coturn printed so far (the secret masked), for failure messages. */
    String output() {
        synchronized (output) {
            String text = output.toString().replace(secret, "<secret>");
            return text.length() > 20000 ? "...\n" + text.substring(text.length() - 20000) : text;
        }
    }

    /** The output lines that contain {@code fragment}. */
    List<String> linesContaining(String fragment) {
        List<String> lines = new ArrayList<>();
        for (String line : output().split("\n")) {
            if (line.contains(fragment)) {
                lines.add(line);
            }
        }
        return lines;
    }

    String diagnostics() {
        return "=== coturn on " + address + ":" + port + " (relay ports " + minRelayPort + "-" + maxRelayPort + ", "
                + (isAlive() ? "running" : "not running") + ")\n" + output() + "\n";
    }

    private void append(String text) {
        synchronized (output) {
            output.append(text);
        }
    }

    /** A port free on 127.0.0.1 for both UDP and TCP a moment ago. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = TestServer.freeUdpPort();
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // try another one
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kill();
        Browser.deleteTree(workDir);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs
        }
    }
}
