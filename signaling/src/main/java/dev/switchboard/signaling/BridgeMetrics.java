package dev.switchboard.signaling;

import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.core.api.MediaBridge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics for {@code GET /metrics}: the bridge's packet counters, drops by reason, conferences,
 * endpoints and queue depth, plus JVM memory, GC, thread and CPU figures. Values are read from
 * {@link MediaBridge#statistics()} when scraped; at most one snapshot is taken per scrape.
 */
final class BridgeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MediaBridge bridge;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private BridgeStatistics snapshot;

    BridgeMetrics(MediaBridge bridge) {
        this.bridge = bridge;
        counter("switchboard_packets_received", "Datagrams received on media transports", BridgeStatistics::packetsReceived);
        counter("switchboard_bytes_received", "Bytes received on media transports", BridgeStatistics::bytesReceived);
        counter("switchboard_packets_forwarded", "RTP/RTCP packets sent to receivers", BridgeStatistics::packetsForwarded);
        counter("switchboard_bytes_forwarded", "Bytes sent to receivers", BridgeStatistics::bytesForwarded);
        counter("switchboard_nack_requests_received", "Packets receivers NACKed of video the bridge caches",
                BridgeStatistics::nackRequestsReceived);
        counter("switchboard_retransmissions_sent", "Packets resent to receivers from the retransmission caches",
                BridgeStatistics::retransmissionsSent);
        counter("switchboard_nack_requests_sent", "Packets the bridge NACKed toward senders (retries counted)",
                BridgeStatistics::nackRequestsSent);
        counter("switchboard_rtx_packets_received", "RTX packets from senders turned back into the originals",
                BridgeStatistics::rtxPacketsReceived);
        counter("switchboard_rtx_retransmissions_sent", "Retransmissions sent to receivers as RTX packets (part of "
                + "switchboard_retransmissions_sent)", BridgeStatistics::rtxRetransmissionsSent);
        counter("switchboard_probe_clusters", "Bandwidth probe clusters sent to receivers",
                s -> s.probes().clusters());
        counter("switchboard_probe_packets", "Bandwidth probe packets (RTX padding) sent to receivers",
                s -> s.probes().packets());
        counter("switchboard_probe_bytes", "Bytes of bandwidth probe packets, before SRTP", s -> s.probes().bytes());
        counter("switchboard_probe_clusters_succeeded",
                "Probe clusters that proved a rate above the receiver's estimate (the estimate was raised)",
                s -> s.probes().clustersSucceeded());
        for (String reason : bridge.statistics().dropped().keySet()) {
            FunctionCounter.builder("switchboard_packets_dropped", this,
                            m -> m.current().dropped().getOrDefault(reason, 0L))
                    .description("Received packets dropped, by reason").tag("reason", reason).register(registry);
        }
        gauge("switchboard_conferences", "Conferences now", BridgeStatistics::conferences);
        gauge("switchboard_endpoints", "Endpoints now", BridgeStatistics::endpoints);
        gauge("switchboard_queued_packets", "Packets waiting for a media thread", BridgeStatistics::queuedPackets);
        gauge("switchboard_pooled_buffers_in_use", "Pooled packet buffers taken and not yet released (queued, "
                + "cached for retransmission, scratch); back to the media-thread count when idle, else a leak",
                BridgeStatistics::pooledBuffersInUse);
        for (String[] q : new String[][] {{"0.5", "p50"}, {"0.99", "p99"}, {"0.999", "p999"}, {"1", "max"}}) {
            Gauge.builder("switchboard_transit_seconds", this, m -> transitMicros(m.current().transit(), q[1]) / 1e6)
                    .description("Time received RTP packets spent in the bridge over the last "
                            + BridgeStatistics.TRANSIT_WINDOW_SECONDS + " s, socket read to last copy sent")
                    .tag("quantile", q[0]).register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    private static double transitMicros(BridgeStatistics.Transit t, String which) {
        return switch (which) {
            case "p50" -> t.p50Micros();
            case "p99" -> t.p99Micros();
            case "p999" -> t.p999Micros();
            default -> t.maxMicros();
        };
    }

    private void counter(String name, String description, ToDoubleFunction<BridgeStatistics> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.current()))
                .description(description).register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<BridgeStatistics> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.current())).description(description).register(registry);
    }

    /** The snapshot of the scrape in progress (scrapes run on one event loop, one at a time). */
    private BridgeStatistics current() {
        if (snapshot == null) {
            snapshot = bridge.statistics();
        }
        return snapshot;
    }

    /** Prometheus text exposition format. */
    String scrape() {
        snapshot = null;
        try {
            return registry.scrape();
        } finally {
            snapshot = null;
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
