package dev.switchboard.e2e;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.core.api.FaultInjectionConfig;
import dev.switchboard.signaling.ServerConfig;
import dev.switchboard.signaling.SwitchboardServer;
import dev.switchboard.signaling.ice.IceServersConfig;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A whole Switchboard (bridge, signaling, web client) on 127.0.0.1: an ephemeral HTTP port, a UDP port
 * found free just before start and an ephemeral ICE-TCP port (never the fixed default 4443, which another
 * server on the machine may hold). The bridge answers 127.0.0.0/8 only, its default.
 */
final class TestServer implements CallServer, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final SwitchboardServer server;
    final int udpPort;
    private final IceServersConfig iceServers;

    private TestServer(SwitchboardServer server, int udpPort, IceServersConfig iceServers) {
        this.server = server;
        this.udpPort = udpPort;
        this.iceServers = iceServers;
    }

    static TestServer start() throws Exception {
        return start(IceServersConfig.none());
    }

    /** A server that gives browsers these STUN/TURN servers. */
    static TestServer start(IceServersConfig iceServers) throws Exception {
        return start(iceServers, -1);
    }

    /** A server with these STUN/TURN servers and this last-N for every room. */
    static TestServer start(IceServersConfig iceServers, int lastN) throws Exception {
        return start(iceServers, lastN, FaultInjectionConfig.NONE);
    }

    /** A server whose bridge drops datagrams as {@code faults} says (see {@code FaultInjection}). */
    static TestServer start(IceServersConfig iceServers, int lastN, FaultInjectionConfig faults) throws Exception {
        return start(iceServers, lastN, faults, config -> config);
    }

    /** As above, with the server settings changed by {@code tweak} (e.g. the reconnect grace period). */
    static TestServer start(IceServersConfig iceServers, int lastN, FaultInjectionConfig faults,
            java.util.function.UnaryOperator<ServerConfig> tweak) throws Exception {
        return start(iceServers, lastN, faults, tweak, java.time.Clock.systemUTC());
    }

    /** A server whose TURN credentials are computed from {@code clock} (a skewed one hands out expired ones). */
    static TestServer start(IceServersConfig iceServers, java.time.Clock clock) throws Exception {
        return start(iceServers, -1, FaultInjectionConfig.NONE, config -> config, clock);
    }

    private static TestServer start(IceServersConfig iceServers, int lastN, FaultInjectionConfig faults,
            java.util.function.UnaryOperator<ServerConfig> tweak, java.time.Clock clock) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int udpPort = freeUdpPort();
            BridgeConfig bridge = BridgeConfig.loopbackDefaults().withUdpPort(udpPort).withTcpPort(0)
                    .withFaultInjection(faults);
            ServerConfig config = tweak.apply(new ServerConfig("127.0.0.1", 0, bridge, iceServers, lastN));
            try {
                return new TestServer(SwitchboardServer.start(config, clock), udpPort, iceServers);
            } catch (Exception e) {
                last = e;
                if (!(causedByBind(e))) {
                    throw e;
                }
                // another process took the port between our probe and the bridge's bind: try another one
            }
        }
        throw last;
    }

    /**
     * Closes this server and starts a new one on the same HTTP and UDP ports, as a restarted server would come
     * back: every WebSocket and endpoint is gone. Retries binding for up to 10 s.
     */
    TestServer restartOnSamePorts() throws Exception {
        int httpPort = server.httpPort();
        server.close();
        ServerConfig config = new ServerConfig("127.0.0.1", httpPort,
                BridgeConfig.loopbackDefaults().withUdpPort(udpPort).withTcpPort(0), iceServers);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return new TestServer(SwitchboardServer.start(config), udpPort, iceServers);
            } catch (Exception e) {
                if (!causedByBind(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** A UDP port that was free on 127.0.0.1 a moment ago. */
    static int freeUdpPort() throws SocketException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return probe.getLocalPort();
        }
    }

    SwitchboardServer server() {
        return server;
    }

    int httpPort() {
        return server.httpPort();
    }

    /** The bridge's ICE-TCP port (passive candidates), bound anew by every start. */
    int tcpPort() {
        return ((dev.switchboard.core.routing.RoutingBridge) server.bridge()).tcpPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    @Override
    public String roomUrl(String room, String name) {
        return baseUrl() + "/?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8)
                + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws");
    }

    BridgeStatistics statistics() {
        return server.bridge().statistics();
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Bridge counters and the {@code /api/stats} answer, for failure messages. */
    @Override
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("=== server (http ").append(server.httpPort())
                .append(", udp ").append(udpPort).append(", tcp ").append(tcpPort()).append(")\n");
        try {
            sb.append("bridge statistics: ").append(statistics()).append('\n');
        } catch (RuntimeException e) {
            sb.append("bridge statistics failed: ").append(Browser.firstLine(e)).append('\n');
        }
        try {
            HttpResponse<String> stats = get("/api/stats");
            String body = stats.body();
            sb.append("GET /api/stats -> ").append(stats.statusCode()).append(' ')
                    .append(body.length() > 4000 ? body.substring(0, 4000) + "..." : body).append('\n');
        } catch (Exception e) {
            sb.append("GET /api/stats failed: ").append(Browser.firstLine(e)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
