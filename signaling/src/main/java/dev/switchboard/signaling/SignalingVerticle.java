package dev.switchboard.signaling;

import dev.switchboard.core.api.BridgeStatistics;
import dev.switchboard.core.api.Conference;
import dev.switchboard.core.api.MediaBridge;
import dev.switchboard.core.api.ThreadPriority;
import dev.switchboard.core.api.SelectedPair;
import dev.switchboard.signaling.ice.IceServers;
import dev.switchboard.signaling.room.Participant;
import dev.switchboard.signaling.room.PublishedSource;
import dev.switchboard.signaling.room.Room;
import dev.switchboard.signaling.room.RoomService;
import dev.switchboard.signaling.ws.SessionRegistry;
import dev.switchboard.signaling.ws.SignalingSession;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket server. One instance: its event loop is the room loop, so every handler here and in
 * {@link RoomService} runs on one thread and room state needs no locks.
 *
 * <p>Routes: {@code /ws} (WebSocket), {@code GET /health}, {@code GET /api/rooms}, {@code GET /api/stats},
 * {@code GET /metrics} (Prometheus), and
 * the web client from the classpath folder {@code webroot/} for everything else.
 */
final class SignalingVerticle extends VerticleBase {
    /** Largest WebSocket frame and message accepted (an offer with many m-lines stays well below). */
    static final int MAX_WEBSOCKET_MESSAGE = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(SignalingVerticle.class);

    private final ServerConfig config;
    private final MediaBridge bridge;
    /** Wall-clock time, from which TURN credentials get their expiry. */
    private final Clock clock;
    private RoomService rooms;
    private HttpServer server;
    private BridgeMetrics metrics;

    SignalingVerticle(ServerConfig config, MediaBridge bridge, Clock clock) {
        this.config = config;
        this.bridge = bridge;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        int nice = config.bridge().threadNice();
        if (nice != 0) {
            // the room loop answers joins: same priority as the media loops, ahead of JIT and STUN threads
            ThreadPriority.setCurrentThreadNice(nice);
        }
        IceServers iceServers = new IceServers(config.iceServers(), clock);
        rooms = new RoomService(bridge, this::onRoomLoop, task -> vertx.setTimer(1, id -> task.run()), System::nanoTime,
                iceServers::forEndpoint, config.lastN(), config.videoCodecs());
        SessionRegistry sessions = new SessionRegistry(rooms, config.reconnectGrace(), (delayMillis, task) -> {
            long id = vertx.setTimer(Math.max(1, delayMillis), t -> task.run());
            return () -> vertx.cancelTimer(id);
        });
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.get("/api/rooms").handler(this::roomsApi);
        router.get("/api/stats").handler(this::stats);
        metrics = new BridgeMetrics(bridge);
        router.get("/metrics").handler(ctx -> ctx.response().setStatusCode(200)
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .putHeader("cache-control", "no-store").end(metrics.scrape()));
        router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.httpHost())
                .setPort(config.httpPort())
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_MESSAGE)
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_MESSAGE);
        server = vertx.createHttpServer(options)
                .requestHandler(router)
                .webSocketHandshakeHandler(handshake -> {
                    if ("/ws".equals(handshake.path())) {
                        handshake.accept();
                    } else {
                        handshake.reject(404);
                    }
                })
                .webSocketHandler(socket -> SignalingSession.attach(socket, rooms, sessions));
        return server.listen().onSuccess(s -> LOG.debug("HTTP server listening on port {}", s.actualPort()));
    }

    /** Runs a task on the room loop; once Vert.x is closed (shutdown), core events have no one left to tell. */
    private void onRoomLoop(Runnable task) {
        try {
            context.runOnContext(v -> task.run());
        } catch (RejectedExecutionException e) {
            LOG.debug("Room loop closed, a task was dropped: {}", e.toString());
        }
    }

    @Override
    public Future<?> stop() {
        if (metrics != null) {
            metrics.close();
        }
        return Future.succeededFuture();
    }

    int actualPort() {
        return server.actualPort();
    }

    private void health(RoutingContext ctx) {
        try {
            BridgeStatistics s = bridge.statistics();
            json(ctx, 200, new JsonObject().put("status", "ok").put("conferences", s.conferences())
                    .put("endpoints", s.endpoints()));
        } catch (RuntimeException e) {
            LOG.warn("Health check: the media bridge failed", e);
            json(ctx, 503, new JsonObject().put("status", "error").put("message", "media bridge unavailable"));
        }
    }

    private void roomsApi(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        for (Room room : rooms.rooms()) {
            JsonArray participants = new JsonArray();
            Optional<Conference> conference = bridge.findConference(room.id());
            for (Participant p : room.participants()) {
                JsonArray sources = new JsonArray();
                for (PublishedSource source : p.published()) {
                    sources.add(source.kind().name().toLowerCase(Locale.ROOT));
                }
                JsonObject participant = new JsonObject().put("id", p.id()).put("name", p.name())
                        .put("media", p.hasMedia()).put("sources", sources);
                conference.flatMap(c -> c.selectedPair(p.id()))
                        .ifPresent(pair -> participant.put("transport", transportJson(pair)));
                participants.add(participant);
            }
            list.add(new JsonObject().put("id", room.id()).put("participants", participants));
        }
        ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store").end(list.encode());
    }

    private static JsonObject transportJson(SelectedPair pair) {
        return new JsonObject().put("protocol", pair.protocol())
                .put("local", hostPort(pair.local()))
                .put("remote", hostPort(pair.remote()))
                .put("remoteType", pair.remoteType())
                .put("bridgeRelay", pair.bridgeRelay());
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private void stats(RoutingContext ctx) {
        BridgeStatistics s;
        try {
            s = bridge.statistics();
        } catch (RuntimeException e) {
            LOG.warn("Statistics: the media bridge failed", e);
            json(ctx, 503, new JsonObject().put("status", "error").put("message", "media bridge unavailable"));
            return;
        }
        JsonObject dropped = new JsonObject();
        s.dropped().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> dropped.put(e.getKey(), e.getValue()));
        json(ctx, 200, new JsonObject()
                .put("packetsReceived", s.packetsReceived())
                .put("bytesReceived", s.bytesReceived())
                .put("packetsForwarded", s.packetsForwarded())
                .put("bytesForwarded", s.bytesForwarded())
                .put("dropped", dropped)
                .put("droppedTotal", s.droppedTotal())
                .put("conferences", s.conferences())
                .put("endpoints", s.endpoints())
                .put("queuedPackets", s.queuedPackets())
                .put("nackRequestsReceived", s.nackRequestsReceived())
                .put("retransmissionsSent", s.retransmissionsSent())
                .put("nackRequestsSent", s.nackRequestsSent())
                .put("rtxPacketsReceived", s.rtxPacketsReceived())
                .put("rtxRetransmissionsSent", s.rtxRetransmissionsSent())
                .put("probeClusters", s.probes().clusters())
                .put("probePackets", s.probes().packets())
                .put("probeBytes", s.probes().bytes())
                .put("probeClustersSucceeded", s.probes().clustersSucceeded())
                .put("transitMicros", new JsonObject() // receive to last copy sent, last 10 s
                        .put("windowSeconds", BridgeStatistics.TRANSIT_WINDOW_SECONDS)
                        .put("packets", s.transit().packets())
                        .put("p50", s.transit().p50Micros())
                        .put("p99", s.transit().p99Micros())
                        .put("p999", s.transit().p999Micros())
                        .put("max", s.transit().maxMicros())));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store").end(body.encode());
    }
}
