package dev.switchboard.core.transport.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateTcpType;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.socket.IceSocketWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passive TCP host candidate (RFC 6544) one ICE agent has on a {@link SharedTcpPort}. Like
 * {@link PortCandidate} it has no socket of its own: each connection whose first frame is a check for this
 * agent becomes a {@link TcpSessionSocket}, which this candidate hands to the agent's STUN stack and returns
 * for sends to that remote address.
 *
 * <p>Priority (RFC 8445 section 5.1.2.1 with RFC 6544 section 4.2): type preference 90 for host and 80 for
 * peer-reflexive, below every UDP type preference (126, 110, 100), as libwebrtc does, so that UDP wins whenever
 * it works; local preference {@code 2^13 * direction-pref + other-pref} with direction-pref 4 (passive host).
 *
 * <p>UDP head start ({@link #acceptsChecks}): priorities alone do not keep a client that has UDP off TCP. The
 * browser nominates the first pair that works, ice4j (controlled) keeps the first nominated pair for good, and
 * on some hosts Chromium even ranks its TCP pair above UDP (a TCP socket from one interface's port may leave
 * through another, cheaper-looking one). So checks arriving over TCP are held back (not answered) for the
 * port's head start after the candidate was created, and for good once ICE has completed over UDP; a client
 * without UDP is answered over TCP after the head start.
 */
final class TcpPortCandidate extends HostCandidate {
    static final int TCP_HOST_TYPE_PREFERENCE = 90;
    static final int TCP_PRFLX_TYPE_PREFERENCE = 80;
    static final int PASSIVE_DIRECTION_PREFERENCE = 4;
    static final int OTHER_PREFERENCE = 8191;

    private static final Logger LOG = LoggerFactory.getLogger(TcpPortCandidate.class);

    private final SharedTcpPort port;
    private final String ufrag;
    private final PayloadHandler payloadHandler;
    private final Map<InetSocketAddress, TcpSessionSocket> sessions = new HashMap<>();
    private final long createdNanos = System.nanoTime();
    /** The session payload last came from (selector thread writes, senders read). */
    private volatile TcpSessionSocket lastPayloadSession;
    private boolean freed;

    TcpPortCandidate(SharedTcpPort port, Component component, String ufrag, PayloadHandler payloadHandler) {
        super(port.localAddress(), component);
        this.port = port;
        this.ufrag = ufrag;
        this.payloadHandler = payloadHandler;
        setTcpType(CandidateTcpType.PASSIVE);
    }

    String ufrag() {
        return ufrag;
    }

    PayloadHandler payloadHandler() {
        return payloadHandler;
    }

    SharedTcpPort port() {
        return port;
    }

    @Override
    public long computePriorityForType(CandidateType candidateType) {
        int typePreference = candidateType == CandidateType.HOST_CANDIDATE
                ? TCP_HOST_TYPE_PREFERENCE : TCP_PRFLX_TYPE_PREFERENCE;
        long localPreference = ((long) PASSIVE_DIRECTION_PREFERENCE << 13) + OTHER_PREFERENCE;
        return ((long) typePreference << 24) + (localPreference << 8)
                + (256 - getParentComponent().getComponentID());
    }

    void payloadReceivedOn(TcpSessionSocket session) {
        if (lastPayloadSession != session) {
            lastPayloadSession = session;
        }
    }

    /** The session payload (e.g. a DTLS ClientHello) last came from, or null. */
    TcpSessionSocket lastPayloadSession() {
        return lastPayloadSession;
    }

    /**
     * Whether a check that arrived over TCP goes to the agent now: not before the port's UDP head start has
     * passed since this candidate was created, and never once ICE has completed over UDP (answering would invite
     * the browser to move to TCP).
     */
    boolean acceptsChecks(long nowNanos) {
        CandidatePair selected = getParentComponent().getSelectedPair();
        if (selected != null) {
            LocalCandidate local = selected.getLocalCandidate();
            LocalCandidate base = local.getBase() != null ? local.getBase() : local;
            return base.getTransport() == Transport.TCP;
        }
        return nowNanos - createdNanos >= port.udpHeadStartNanos();
    }

    /** Selector thread: wires a connection into the agent's STUN stack. */
    synchronized void addSession(TcpSessionSocket session) throws IOException {
        if (freed) {
            throw new IOException("candidate freed");
        }
        InetSocketAddress remote = session.connection().remote;
        TcpSessionSocket previous = sessions.remove(remote);
        var stunStack = getStunStack();
        if (previous != null) {
            stunStack.removeSocket(port.localAddress(), new TransportAddress(remote, Transport.TCP));
            previous.close();
        }
        stunStack.addSocket(session, new TransportAddress(remote, Transport.TCP));
        sessions.put(remote, session);
    }

    /** The connection to {@code remote} is gone, or has moved to another agent: forget its session. */
    void removeSession(TcpSessionSocket session) {
        InetSocketAddress remote = session.connection().remote;
        synchronized (this) {
            if (freed || !sessions.remove(remote, session)) {
                return;
            }
        }
        var stunStack = getStunStack();
        if (stunStack != null) {
            stunStack.removeSocket(port.localAddress(), new TransportAddress(remote, Transport.TCP));
        }
        session.close();
    }

    /** The session of the connection from {@code remote}, or null. */
    synchronized TcpSessionSocket session(SocketAddress remote) {
        return sessions.get(remote);
    }

    @Override
    protected synchronized IceSocketWrapper getCandidateIceSocketWrapper(SocketAddress remoteAddress) {
        return sessions.get(remoteAddress);
    }

    @Override
    public void free() {
        List<TcpSessionSocket> toClose;
        synchronized (this) {
            if (freed) {
                return;
            }
            freed = true;
            toClose = List.copyOf(sessions.values());
            sessions.clear();
        }
        var stunStack = getStunStack();
        for (TcpSessionSocket session : toClose) {
            if (stunStack != null) {
                stunStack.removeSocket(port.localAddress(),
                        new TransportAddress(session.connection().remote, Transport.TCP));
            }
            session.close();
        }
        port.forget(this, toClose);
        LOG.debug("Freed TCP candidate {} ({} connections)", ufrag, toClose.size());
        super.free();
    }
}
