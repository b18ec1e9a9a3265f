package dev.switchboard.signaling;

import dev.switchboard.core.SwitchboardBridge;
import dev.switchboard.core.api.MediaBridge;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard: the media core plus the signaling server (HTTP, WebSocket, web client).
 *
 * <pre>{@code
 * try (SwitchboardServer server = SwitchboardServer.start(ServerConfig.defaults().withHttpPort(0))) {
 *     int port = server.httpPort();
 * }
 * }</pre>
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final MediaBridge bridge;
    private final int httpPort;
    private boolean closed;

    private SwitchboardServer(Vertx vertx, MediaBridge bridge, int httpPort) {
        this.vertx = vertx;
        this.bridge = bridge;
        this.httpPort = httpPort;
    }

    /**
     * Starts the media core ({@link SwitchboardBridge#start}) and the server; returns once both listen. Also
     * routes java.util.logging (ice4j) to SLF4J.
     */
    public static SwitchboardServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** As {@link #start(ServerConfig)}, with the wall clock TURN credentials expire by (tests skew it). */
    public static SwitchboardServer start(ServerConfig config, Clock clock) {
        JulBridge.install();
        MediaBridge bridge;
        try {
            bridge = SwitchboardBridge.start(config.bridge());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the media bridge: " + e.getMessage(), e);
        }
        return start(config, bridge, clock);
    }

    /**
     * Starts the server on a media bridge that already runs (tests pass a fake). The server owns the bridge
     * from then on and closes it in {@link #close()} (or here, if starting fails).
     */
    public static SwitchboardServer start(ServerConfig config, MediaBridge bridge) {
        return start(config, bridge, Clock.systemUTC());
    }

    /** As {@link #start(ServerConfig, MediaBridge)}, with the wall clock TURN credentials expire by. */
    public static SwitchboardServer start(ServerConfig config, MediaBridge bridge, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(bridge, "bridge");
        Vertx vertx = Vertx.vertx();
        try {
            SignalingVerticle verticle = new SignalingVerticle(config, bridge, clock);
            vertx.deployVerticle(verticle).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int port = verticle.actualPort();
            LOG.info("Signaling listening on http://{}:{}/", config.httpHost(), port);
            return new SwitchboardServer(vertx, bridge, port);
        } catch (Exception e) {
            closeQuietly(vertx, bridge);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("could not start the signaling server on " + config.httpHost() + ":"
                    + config.httpPort() + ": " + e.getMessage(), e);
        }
    }

    /** The HTTP port actually bound (useful with port 0). */
    public int httpPort() {
        return httpPort;
    }

    public MediaBridge bridge() {
        return bridge;
    }

    /** Closes every WebSocket, the HTTP server and the media bridge. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(vertx, bridge);
    }

    private static void closeQuietly(Vertx vertx, MediaBridge bridge) {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing Vert.x failed", e);
        }
        try {
            bridge.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the media bridge failed", e);
        }
    }
}
