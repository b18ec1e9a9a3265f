package dev.switchboard.core.transport.ice;

import dev.switchboard.core.packet.AllowedNetworks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Component;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one TCP port for ICE over TCP (RFC 6544, passive candidates only) on one local address, for clients
 * whose UDP is blocked. It mirrors {@link SharedUdpPort}: the bridge owns the listening socket and every
 * accepted connection, and one selector thread ({@code switchboard-tcp-<addr>:<port>}) accepts, reads RFC 4571
 * frames (a 2-byte length, then the packet) and writes what senders could not write at once.
 * <ul>
 *   <li>A connection from outside the allowed networks, or beyond {@code maxConnections}, is closed at once
 *       and counted.</li>
 *   <li>Its first frame must be a STUN Binding Request whose USERNAME names a registered local ufrag; that
 *       makes it a session of that agent's {@link TcpPortCandidate}. Any other first frame closes it
 *       ({@link #invalidConnections()}), and so does silence for {@code authenticationTimeout}
 *       ({@link #idleTimeouts()}).</li>
 *   <li>In a session, STUN frames go (copied) to the agent's {@link TcpSessionSocket} (Binding Requests only
 *       after the agent's UDP head start, see {@link TcpPortCandidate}), every other frame to the
 *       endpoint's {@link PayloadHandler} in place, exactly as datagrams on the UDP port, so DTLS, SRTP and RTCP
 *       do not know the difference. A Binding Request for another registered ufrag (an ICE restart on the same
 *       connection) moves the connection to that agent.</li>
 * </ul>
 * It is an ice4j {@link CandidateHarvester}: each agent that registers its ufrag gets a passive TCP host
 * candidate here, ranked below UDP.
 */
public final class SharedTcpPort implements CandidateHarvester, AutoCloseable {
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);
    /** How long a new agent answers checks over UDP only, so that a client with UDP settles on UDP. */
    public static final Duration DEFAULT_UDP_HEAD_START = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(SharedTcpPort.class);
    private static final long SWEEP_INTERVAL_NANOS = 250_000_000L;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final TransportAddress localAddress;
    private final AllowedNetworks allowedNetworks;
    private final int maxConnections;
    private final long authenticationTimeoutNanos;
    private final long udpHeadStartNanos;
    private final LocalCandidates<TcpPortCandidate> candidates = new LocalCandidates<>();
    private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder overCapacity = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder invalidConnections = new LongAdder();
    private final LongAdder oversizedFrames = new LongAdder();
    private final LongAdder sendOverflows = new LongAdder();
    private final LongAdder heldChecks = new LongAdder();
    private final HarvestStatistics harvestStatistics = new HarvestStatistics();
    private final Thread selectorThread;
    private volatile boolean closed;
    private long lastSweep = System.nanoTime();

    private SharedTcpPort(ServerSocketChannel server, Selector selector, AllowedNetworks allowedNetworks,
            int maxConnections, Duration authenticationTimeout, Duration udpHeadStart) throws IOException {
        this.server = server;
        this.selector = selector;
        InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
        this.localAddress = new TransportAddress(bound.getAddress(), bound.getPort(), Transport.TCP);
        this.allowedNetworks = allowedNetworks;
        this.maxConnections = maxConnections;
        this.authenticationTimeoutNanos = authenticationTimeout.toNanos();
        this.udpHeadStartNanos = udpHeadStart.toNanos();
        this.selectorThread = new Thread(this::selectLoop, "switchboard-tcp-" + localAddress.getHostAddress() + ":"
                + localAddress.getPort());
        selectorThread.setDaemon(true);
        selectorThread.start();
    }

    /** Listens on {@code address:port} (port 0 picks a free one) with the default limits. */
    public static SharedTcpPort bind(String address, int port, AllowedNetworks allowedNetworks) throws IOException {
        return bind(address, port, allowedNetworks, DEFAULT_MAX_CONNECTIONS, DEFAULT_AUTHENTICATION_TIMEOUT,
                DEFAULT_UDP_HEAD_START);
    }

    /**
     * Listens on {@code address:port} (port 0 picks a free one).
     *
     * @param maxConnections        connections open at once (authenticated or not); more are closed at accept
     * @param authenticationTimeout how long a connection may stay open without a valid check
     * @param udpHeadStart          how long after an agent's creation its checks over TCP are not answered yet
     */
    public static SharedTcpPort bind(String address, int port, AllowedNetworks allowedNetworks, int maxConnections,
            Duration authenticationTimeout, Duration udpHeadStart) throws IOException {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1");
        }
        Ice4jRuntime.initialize();
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(address, port), 128);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new SharedTcpPort(server, selector, allowedNetworks, maxConnections, authenticationTimeout,
                    udpHeadStart);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    public TransportAddress localAddress() {
        return localAddress;
    }

    public int port() {
        return localAddress.getPort();
    }

    /** Announces an agent's ufrag; its next harvest on this port creates its passive candidate. */
    void expect(String ufrag, PayloadHandler handler) {
        candidates.expect(ufrag, handler);
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        return candidates.harvest(component, closed,
                (c, ufrag, handler) -> new TcpPortCandidate(this, c, ufrag, handler));
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return harvestStatistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }

    long udpHeadStartNanos() {
        return udpHeadStartNanos;
    }

    /** A candidate was freed: its connections that still belong to it are closed. */
    void forget(TcpPortCandidate candidate, Collection<TcpSessionSocket> sessions) {
        candidates.remove(candidate.ufrag(), candidate);
        for (TcpSessionSocket session : sessions) {
            TcpConnection connection = session.connection();
            TcpConnection.Binding binding = connection.binding;
            if (binding != null && binding.candidate() == candidate) {
                closeConnection(connection, null);
            }
        }
    }

    // ---- selector thread --------------------------------------------------------------------------------

    private void selectLoop() {
        while (!closed) {
            try {
                selector.select(this::onReady, 500);
            } catch (ClosedSelectorException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("TCP select failed on {}: {}", localAddress, e.toString());
                }
            }
            long now = System.nanoTime();
            if (now - lastSweep >= SWEEP_INTERVAL_NANOS) {
                lastSweep = now;
                closeUnauthenticated(now);
            }
        }
        for (TcpConnection connection : connections) {
            closeConnection(connection, null);
        }
    }

    private void onReady(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                accept();
                return;
            }
            TcpConnection connection = (TcpConnection) key.attachment();
            if (key.isWritable()) {
                connection.onWritable();
            }
            if (key.isValid() && key.isReadable()) {
                read(connection);
            }
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed by another thread meanwhile
        } catch (RuntimeException e) {
            Object attachment = key.attachment();
            if (attachment instanceof TcpConnection connection) {
                LOG.warn("Closing {}: could not be handled", connection, e);
                closeConnection(connection, "error");
            } else {
                LOG.warn("TCP accept on {} failed", localAddress, e);
            }
        }
    }

    private void accept() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("TCP accept on {} failed: {}", localAddress, e.toString());
                }
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
                if (!allowedNetworks.allows(remote.getAddress())) {
                    refusedConnections.increment();
                    LOG.debug("Refusing a TCP connection from {}: not in the allowed networks {}", remote,
                            allowedNetworks);
                    channel.close();
                    continue;
                }
                if (connections.size() >= maxConnections) {
                    overCapacity.increment();
                    LOG.debug("Refusing a TCP connection from {}: {} connections open", remote, connections.size());
                    channel.close();
                    continue;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                TcpConnection connection = new TcpConnection(this, channel, remote, System.nanoTime());
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connections.add(connection);
            } catch (IOException e) {
                LOG.debug("Could not set up an accepted TCP connection: {}", e.toString());
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    private void read(TcpConnection c) {
        int n;
        try {
            n = c.channel.read(c.in);
        } catch (IOException e) {
            closeConnection(c, "read failed: " + e.getMessage());
            return;
        }
        if (n < 0) {
            closeConnection(c, "closed by the peer");
            return;
        }
        ByteBuffer in = c.in;
        byte[] a = in.array();
        in.flip();
        while (!c.isClosed()) {
            if (c.skipRemaining > 0) {
                int skip = Math.min(c.skipRemaining, in.remaining());
                in.position(in.position() + skip);
                c.skipRemaining -= skip;
                if (c.skipRemaining > 0) {
                    break;
                }
            }
            if (in.remaining() < 2) {
                break;
            }
            int pos = in.position();
            int len = ((a[pos] & 0xFF) << 8) | (a[pos + 1] & 0xFF);
            int maxFrame = (c.binding == null ? TcpConnection.UNAUTHENTICATED_READ_BUFFER : TcpConnection.READ_BUFFER)
                    - 2;
            if (len > maxFrame) {
                if (c.binding == null) {
                    invalidConnections.increment();
                    closeConnection(c, "first frame of " + len + " bytes is no ICE check");
                    return;
                }
                oversizedFrames.increment();
                in.position(pos + 2);
                c.skipRemaining = len;
                continue;
            }
            if (in.remaining() < 2 + len) {
                break;
            }
            in.position(pos + 2 + len);
            if (len > 0) {
                onFrame(c, a, pos + 2, len);
            }
        }
        if (c.isClosed()) {
            return;
        }
        in.compact();
        if (c.binding != null && in.capacity() < TcpConnection.READ_BUFFER) { // a session: room for media frames
            ByteBuffer larger = ByteBuffer.allocate(TcpConnection.READ_BUFFER);
            in.flip();
            larger.put(in);
            c.in = larger;
        }
    }

    private void onFrame(TcpConnection c, byte[] a, int off, int len) {
        TcpConnection.Binding binding = c.binding;
        boolean stun = isStun(a, off, len);
        if (binding == null) {
            String ufrag = stun ? localUfragOfBindingRequest(a, off, len) : null;
            TcpPortCandidate candidate = ufrag == null ? null : candidates.get(ufrag);
            if (candidate == null) {
                invalidConnections.increment();
                closeConnection(c, stun ? "first frame is no check for a known ufrag" : "first frame is no STUN");
                return;
            }
            bind(c, candidate, a, off, len);
            return;
        }
        if (!stun) {
            binding.candidate().payloadReceivedOn(binding.socket());
            binding.candidate().payloadHandler().onPayload(a, off, len);
            return;
        }
        if (a[off] == 0 && a[off + 1] == 1) { // a Binding Request: for the same agent, or after an ICE restart?
            String ufrag = localUfragOfBindingRequest(a, off, len);
            if (ufrag != null && !ufrag.equals(binding.candidate().ufrag())) {
                TcpPortCandidate other = candidates.get(ufrag);
                if (other != null) {
                    binding.candidate().removeSession(binding.socket());
                    bind(c, other, a, off, len);
                    return;
                }
            }
            deliverCheck(binding, a, off, len);
            return;
        }
        binding.socket().deliver(a, off, len);
    }

    /** A Binding Request goes to the agent unless the agent holds TCP checks back (UDP head start). */
    private void deliverCheck(TcpConnection.Binding binding, byte[] a, int off, int len) {
        if (binding.candidate().acceptsChecks(System.nanoTime())) {
            binding.socket().deliver(a, off, len);
        } else {
            heldChecks.increment();
        }
    }

    private void bind(TcpConnection c, TcpPortCandidate candidate, byte[] a, int off, int len) {
        TcpSessionSocket socket = new TcpSessionSocket(c);
        try {
            candidate.addSession(socket);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not open an ICE-TCP session for {}: {}", c, e.toString());
            closeConnection(c, "no session");
            return;
        }
        c.binding = new TcpConnection.Binding(candidate, socket);
        deliverCheck(c.binding, a, off, len);
        LOG.debug("ICE-TCP session {} for agent {}", c, candidate.ufrag());
    }

    private void closeUnauthenticated(long now) {
        for (TcpConnection c : connections) {
            if (c.binding == null && now - c.acceptedNanos > authenticationTimeoutNanos) {
                idleTimeouts.increment();
                closeConnection(c, "no valid check within " + authenticationTimeoutNanos / 1_000_000 + " ms");
            }
        }
    }

    /** Closes a connection (any thread, idempotent) and forgets its ICE session. */
    void closeConnection(TcpConnection c, String reason) {
        if (!c.markClosed()) {
            return;
        }
        connections.remove(c);
        if (c.key != null) {
            c.key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", c, e.toString());
        }
        TcpConnection.Binding binding = c.binding;
        if (binding != null) {
            binding.candidate().removeSession(binding.socket());
        }
        if (reason != null) {
            LOG.debug("Closed {}: {}", c, reason);
        }
    }

    void sendOverflow() {
        sendOverflows.increment();
    }

    static boolean isStun(byte[] b, int off, int len) {
        return len >= 20 && (b[off] & 0xC0) == 0 && (b[off + 4] & 0xFF) == 0x21 && (b[off + 5] & 0xFF) == 0x12
                && (b[off + 6] & 0xFF) == 0xA4 && (b[off + 7] & 0xFF) == 0x42;
    }

    /**
     * The local ufrag (before the ':') of a Binding Request's USERNAME, or null. Walks the attributes itself:
     * ice4j's {@code Message.decode} only works on messages at offset 0, and this runs in place in the frame.
     */
    static String localUfragOfBindingRequest(byte[] b, int off, int len) {
        if (len < 20 || b[off] != 0 || b[off + 1] != 1) {
            return null;
        }
        int end = off + Math.min(len, 20 + (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF)));
        int p = off + 20;
        while (p + 4 <= end) {
            int type = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
            int length = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (p + 4 + length > end) {
                return null;
            }
            if (type == 0x0006) { // USERNAME
                int colon = p + 4;
                while (colon < p + 4 + length && b[colon] != ':') {
                    colon++;
                }
                return colon == p + 4 ? null : new String(b, p + 4, colon - (p + 4), StandardCharsets.UTF_8);
            }
            p += 4 + (length + 3) / 4 * 4;
        }
        return null;
    }

    /** Connections open now (authenticated or not). */
    public int openConnections() {
        return connections.size();
    }

    /** Connections closed at once because they came from outside the allowed networks. */
    public long refusedConnections() {
        return refusedConnections.sum();
    }

    /** Connections closed at once because {@code maxConnections} were open. */
    public long overCapacityConnections() {
        return overCapacity.sum();
    }

    /** Connections closed because no valid check arrived within the authentication timeout. */
    public long idleTimeouts() {
        return idleTimeouts.sum();
    }

    /** Connections closed because their first frame was no Binding Request for a known ufrag. */
    public long invalidConnections() {
        return invalidConnections.sum();
    }

    /** Frames longer than the receive buffer, skipped on ICE sessions. */
    public long oversizedFrames() {
        return oversizedFrames.sum();
    }

    /** Checks over TCP not answered because the agent gave UDP a head start or completed over UDP. */
    public long heldChecks() {
        return heldChecks.sum();
    }

    /** Frames not sent because a connection's send buffer was full (a slow or stalled peer). */
    public long sendOverflows() {
        return sendOverflows.sum();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        selector.wakeup();
        try {
            selectorThread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (TcpConnection connection : connections) {
            closeConnection(connection, null);
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", localAddress, e.toString());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the selector of {}: {}", localAddress, e.toString());
        }
    }
}
