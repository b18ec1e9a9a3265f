package dev.switchboard.bench.sys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code GET /api/stats} of the bridge (or the floor relay, which serves the same fields). */
public final class StatsClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The counters the report uses. {@code transitMicros}: the bridge's own p50, p99 and max time from a packet's
     * socket read to its last copy sent over its last 10 s ({@code transitMicros} of /api/stats), null where the
     * server does not report it (the floor relay).
     */
    public record Counters(long packetsReceived, long bytesReceived, long packetsForwarded, long bytesForwarded,
            Map<String, Long> dropped, int endpoints, long queuedPackets, long[] transitMicros) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    public StatsClient(int httpPort) {
        this.base = URI.create("http://127.0.0.1:" + httpPort);
    }

    public Counters stats() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/stats"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/api/stats answered " + r.statusCode());
        }
        JsonNode n = JSON.readTree(r.body());
        Map<String, Long> dropped = new LinkedHashMap<>();
        n.path("dropped").fields().forEachRemaining(e -> dropped.put(e.getKey(), e.getValue().asLong()));
        return new Counters(n.path("packetsReceived").asLong(), n.path("bytesReceived").asLong(),
                n.path("packetsForwarded").asLong(), n.path("bytesForwarded").asLong(), dropped,
                n.path("endpoints").asInt(), n.path("queuedPackets").asLong(-1), transit(n.path("transitMicros")));
    }

    private static long[] transit(JsonNode t) {
        return t.isObject() ? new long[] {t.path("p50").asLong(), t.path("p99").asLong(), t.path("max").asLong()}
                : null;
    }

    /** Waits until {@code /health} answers 200 (or the child dies, or the timeout passes). */
    public void awaitHealthy(ChildJvm child, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new IllegalStateException(child.label() + " exited during start:\n" + child.tail(30));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(child.label() + " not healthy after " + timeout + ": " + last + "\n"
                + child.tail(30));
    }
}
