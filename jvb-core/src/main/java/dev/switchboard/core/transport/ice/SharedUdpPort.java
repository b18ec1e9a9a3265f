package dev.switchboard.core.transport.ice;

import dev.switchboard.core.api.ThreadPriority;
import dev.switchboard.core.fault.FaultInjection;
import dev.switchboard.core.packet.AllowedNetworks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.ice.Component;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP port all endpoints share on one local address (RFC 8445 with a single host candidate per
 * agent, like a "single port" SFU). It owns the socket and its reader thread:
 * <ul>
 *   <li>a datagram from a known remote address goes to that session: STUN to the ice4j agent, everything
 *       else to the session's {@link PayloadHandler} in place (no copy, no allocation);</li>
 *   <li>a STUN Binding Request from a new address whose USERNAME names a local ufrag creates a session, but
 *       only when the address is in the allowed networks (others are never answered);</li>
 *   <li>everything else is dropped and counted ({@link #unknownSourceDrops()}).</li>
 * </ul>
 * With {@link FaultInjection} configured (tests, diagnostics) a share of the non-STUN datagrams of sessions is
 * dropped on arrival, and of every non-STUN datagram sent (both paths) instead of the write.
 * It is an ice4j {@link CandidateHarvester}: each agent that registers its ufrag gets a host candidate here.
 */
public final class SharedUdpPort implements CandidateHarvester, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedUdpPort.class);
    private static final int RECEIVE_BUFFER = 2048;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final DatagramChannel channel;
    private final TransportAddress localAddress;
    private final AllowedNetworks allowedNetworks;
    private final FaultInjection faults;
    private final LocalCandidates<PortCandidate> candidates = new LocalCandidates<>();
    private final Map<InetSocketAddress, Session> sessions = new ConcurrentHashMap<>();
    private final LongAdder refusedChecks = new LongAdder();
    private final LongAdder unknownSourceDrops = new LongAdder();
    private final HarvestStatistics harvestStatistics = new HarvestStatistics();
    private final Thread reader;
    /** The nice value the reader thread asks for (0: none). */
    private final int readerNice;
    private final Thread sender;
    /** Datagrams from threads that may be interrupted (ice4j's, DTLS handshakes), sent by {@link #sender}. */
    private final java.util.concurrent.ArrayBlockingQueue<Outgoing> outgoing =
            new java.util.concurrent.ArrayBlockingQueue<>(4096);
    private final LongAdder outgoingDrops = new LongAdder();
    private final Map<String, CompletableFuture<InetSocketAddress>> stunTransactions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Session(PortCandidate candidate, SessionSocket socket) {}

    private record Outgoing(byte[] data, InetSocketAddress remote) {}

    private SharedUdpPort(DatagramChannel channel, AllowedNetworks allowedNetworks, FaultInjection faults,
            int readerNice) throws IOException {
        this.channel = channel;
        this.readerNice = readerNice;
        this.faults = faults;
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        this.localAddress = new TransportAddress(bound.getAddress(), bound.getPort(), Transport.UDP);
        this.allowedNetworks = allowedNetworks;
        this.reader = new Thread(this::readLoop, "switchboard-udp-" + localAddress.getHostAddress() + ":"
                + localAddress.getPort());
        reader.setDaemon(true);
        reader.start();
        this.sender = new Thread(this::sendLoop, "switchboard-udp-send-" + localAddress.getPort());
        sender.setDaemon(true);
        sender.start();
    }

    /** Binds {@code address:port} (port 0 picks a free one) and starts reading. */
    public static SharedUdpPort bind(String address, int port, AllowedNetworks allowedNetworks)
            throws IOException {
        return bind(address, port, allowedNetworks, FaultInjection.DISABLED);
    }

    /** Like {@link #bind(String, int, AllowedNetworks)}, dropping datagrams as {@code faults} decides. */
    public static SharedUdpPort bind(String address, int port, AllowedNetworks allowedNetworks,
            FaultInjection faults) throws IOException {
        return bind(address, port, allowedNetworks, faults, 0);
    }

    /**
     * Like {@link #bind(String, int, AllowedNetworks, FaultInjection)}; the reader thread asks for Linux nice value
     * {@code readerNice} (0: none asked, see {@link ThreadPriority}).
     */
    public static SharedUdpPort bind(String address, int port, AllowedNetworks allowedNetworks,
            FaultInjection faults, int readerNice) throws IOException {
        java.util.Objects.requireNonNull(faults, "faults");
        Ice4jRuntime.initialize();
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            channel.bind(new InetSocketAddress(address, port));
            channel.configureBlocking(true);
            return new SharedUdpPort(channel, allowedNetworks, faults, readerNice);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public TransportAddress localAddress() {
        return localAddress;
    }

    public int port() {
        return localAddress.getPort();
    }

    /** Announces an agent's ufrag; its next harvest on this port creates its candidate. */
    void expect(String ufrag, PayloadHandler handler) {
        candidates.expect(ufrag, handler);
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        return candidates.harvest(component, closed,
                (c, ufrag, handler) -> new PortCandidate(this, c, ufrag, handler));
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return harvestStatistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }

    /**
     * Queues a copy of a datagram for the port's sender thread. For control traffic from threads that may be
     * interrupted (ice4j cancels its check pacer with {@code Future.cancel(true)}, DTLS handshakes are
     * cancelled on close): an interrupt during a channel write would close the one socket every endpoint
     * shares. Drops (and counts) when the queue is full, as a full socket buffer would.
     */
    public void send(byte[] buf, int off, int len, InetSocketAddress remote) throws IOException {
        if (closed) {
            throw new IOException("port " + localAddress + " closed");
        }
        if (faults.dropOutgoing(buf, off, len)) {
            return; // injected loss (never STUN)
        }
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
        if (!outgoing.offer(new Outgoing(copy, remote))) {
            outgoingDrops.increment();
        }
    }

    /**
     * Sends {@code data} (position..limit) to a remote address at once, from the calling thread: the media
     * path (media loops are never interrupted). A pending interrupt is set aside during the write so it cannot
     * close the shared channel.
     */
    public void send(ByteBuffer data, InetSocketAddress remote) throws IOException {
        if (faults.dropOutgoing(data)) {
            data.position(data.limit()); // injected loss: as if written
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            channel.send(data, remote);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sendLoop() {
        while (!closed) {
            Outgoing next;
            try {
                next = outgoing.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // only close() stops this thread
            }
            if (next == null) {
                continue;
            }
            try {
                channel.send(ByteBuffer.wrap(next.data()), next.remote());
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                LOG.debug("UDP send to {} failed: {}", next.remote(), e.toString());
            }
        }
    }

    void forget(PortCandidate candidate, Collection<InetSocketAddress> remotes) {
        candidates.remove(candidate.ufrag(), candidate);
        for (InetSocketAddress remote : remotes) {
            sessions.computeIfPresent(remote, (k, s) -> s.candidate() == candidate ? null : s);
        }
    }

    private void readLoop() {
        if (readerNice != 0 && ThreadPriority.setCurrentThreadNice(readerNice) != ThreadPriority.Result.SET) {
            LOG.debug("{}: could not set nice {}", reader.getName(), readerNice);
        }
        ByteBuffer rx = ByteBuffer.allocate(RECEIVE_BUFFER);
        byte[] array = rx.array();
        while (!closed) {
            rx.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(rx);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("UDP receive failed on {}: {}", localAddress, e.toString());
                }
                continue;
            }
            int len = rx.position();
            try {
                dispatch(array, len, from);
            } catch (RuntimeException e) {
                unknownSourceDrops.increment();
                LOG.warn("Dropping a datagram from {} that could not be handled", from, e);
            }
        }
    }

    private void dispatch(byte[] array, int len, InetSocketAddress from) {
        Session session = sessions.get(from);
        if (session != null) {
            if (!isStun(array, len)) {
                if (faults.dropIncoming()) {
                    return; // injected loss: as if it never arrived
                }
                session.candidate().payloadReceivedFrom(from);
                session.candidate().payloadHandler().onPayload(array, 0, len);
            } else if (!isBindingRequest(array) || !switchesAgent(session, array, len, from)) {
                session.socket().deliver(array, 0, len);
            }
            return;
        }
        if (!stunTransactions.isEmpty() && StunBinding.isSuccessResponse(array, len)) {
            CompletableFuture<InetSocketAddress> pending = stunTransactions.remove(StunBinding.transactionKey(array));
            if (pending != null) {
                InetSocketAddress mapped = StunBinding.mappedAddress(array, len);
                if (mapped != null) {
                    pending.complete(mapped);
                } else {
                    pending.completeExceptionally(new IOException("no XOR-MAPPED-ADDRESS from " + from));
                }
                return;
            }
        }
        String ufrag = isStun(array, len) ? localUfragOfBindingRequest(array, len) : null;
        PortCandidate candidate = ufrag == null ? null : candidates.get(ufrag);
        if (candidate == null) {
            unknownSourceDrops.increment();
            return;
        }
        if (!allowedNetworks.allows(from.getAddress())) {
            refusedChecks.increment();
            LOG.debug("Ignoring a connectivity check from {}: not in the allowed networks {}", from,
                    allowedNetworks);
            return;
        }
        openSession(candidate, from, array, len);
    }

    /**
     * A known address sends a check for another local ufrag: after an ICE restart the peer often keeps its
     * address, so the address moves to the new agent's candidate. Returns true when it did.
     */
    private boolean switchesAgent(Session session, byte[] array, int len, InetSocketAddress from) {
        String ufrag = localUfragOfBindingRequest(array, len);
        if (ufrag == null || ufrag.equals(session.candidate().ufrag())) {
            return false;
        }
        PortCandidate other = candidates.get(ufrag);
        if (other == null) {
            return false;
        }
        openSession(other, from, array, len);
        return true;
    }

    private void openSession(PortCandidate candidate, InetSocketAddress from, byte[] array, int len) {
        try {
            SessionSocket socket = new SessionSocket(this, from, candidate.payloadHandler());
            candidate.addSession(socket, from);
            sessions.put(from, new Session(candidate, socket));
            candidate.payloadHandler().checkReceived();
            socket.deliver(array, 0, len);
        } catch (IOException e) {
            LOG.debug("Could not open an ICE session for {}: {}", from, e.toString());
        }
    }

    private static boolean isBindingRequest(byte[] b) {
        return b[0] == 0 && b[1] == 1;
    }

    private static boolean isStun(byte[] b, int len) {
        return len >= 20 && (b[0] & 0xC0) == 0 && (b[4] & 0xFF) == 0x21 && (b[5] & 0xFF) == 0x12
                && (b[6] & 0xFF) == 0xA4 && (b[7] & 0xFF) == 0x42;
    }

    /** The local ufrag (before the ':') of a Binding Request's USERNAME, or null. */
    private static String localUfragOfBindingRequest(byte[] b, int len) {
        try {
            Message message = Message.decode(b, 0, len);
            if (message.getMessageType() != Message.BINDING_REQUEST) {
                return null;
            }
            UsernameAttribute username = (UsernameAttribute) message.getAttribute(Attribute.USERNAME);
            if (username == null) {
                return null;
            }
            String value = new String(username.getUsername(), java.nio.charset.StandardCharsets.UTF_8);
            int colon = value.indexOf(':');
            return colon < 0 ? value : value.substring(0, colon);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Asks a STUN server what this port's address looks like from outside (RFC 5389 Binding), retransmitting
     * with RFC 5389 backoff (100, 200, 400 ms, ...) until {@code timeout}. Blocks the caller, not the reader.
     */
    public InetSocketAddress discoverMappedAddress(InetSocketAddress stunServer, Duration timeout)
            throws IOException {
        byte[] transactionId = new byte[12];
        RANDOM.nextBytes(transactionId);
        byte[] request = StunBinding.request(transactionId);
        String key = StunBinding.transactionKey(request);
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        stunTransactions.put(key, result);
        long deadline = System.nanoTime() + timeout.toNanos();
        long wait = 100;
        try {
            while (true) {
                send(request, 0, request.length, stunServer);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IOException("no answer from STUN server " + stunServer + " within " + timeout.toMillis()
                            + " ms");
                }
                try {
                    return result.get(Math.min(wait, left), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    wait = Math.min(wait * 2, 1600);
                } catch (ExecutionException e) {
                    throw new IOException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        } finally {
            stunTransactions.remove(key);
        }
    }

    /** Connectivity checks ignored because they came from outside the allowed networks. */
    public long refusedChecks() {
        return refusedChecks.sum();
    }

    /** Datagrams dropped because no ICE session exists for their source and they are no valid check. */
    public long unknownSourceDrops() {
        return unknownSourceDrops.sum();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", localAddress, e.toString());
        }
        try {
            reader.join(1000);
            sender.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
