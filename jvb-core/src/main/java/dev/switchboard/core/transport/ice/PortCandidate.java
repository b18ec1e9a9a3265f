package dev.switchboard.core.transport.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host candidate one ICE agent has on a {@link SharedUdpPort}. It has no socket of its own: for every
 * remote address that sends it a valid check the port creates a {@link SessionSocket}, which this candidate
 * hands to the agent's STUN stack and uses to send.
 */
final class PortCandidate extends HostCandidate {
    private static final Logger LOG = LoggerFactory.getLogger(PortCandidate.class);

    private final SharedUdpPort port;
    private final String ufrag;
    private final PayloadHandler payloadHandler;
    private final Map<InetSocketAddress, IceSocketWrapper> sockets = new HashMap<>();
    private final Map<InetSocketAddress, SessionSocket> sessions = new HashMap<>();
    private boolean freed;
    /** Where this candidate's payload last came from (socket thread writes, senders read). */
    private volatile InetSocketAddress lastPayloadFrom;

    PortCandidate(SharedUdpPort port, Component component, String ufrag, PayloadHandler payloadHandler) {
        super(port.localAddress(), component);
        this.port = port;
        this.ufrag = ufrag;
        this.payloadHandler = payloadHandler;
    }

    String ufrag() {
        return ufrag;
    }

    PayloadHandler payloadHandler() {
        return payloadHandler;
    }

    SharedUdpPort port() {
        return port;
    }

    void payloadReceivedFrom(InetSocketAddress from) {
        if (!from.equals(lastPayloadFrom)) {
            lastPayloadFrom = from;
        }
    }

    /** The remote address payload (e.g. a DTLS ClientHello) last came from, or null. */
    InetSocketAddress lastPayloadFrom() {
        return lastPayloadFrom;
    }

    /** Socket thread: wires a new remote address into the agent's STUN stack. */
    synchronized void addSession(SessionSocket session, InetSocketAddress remote) throws IOException {
        if (freed) {
            throw new IOException("candidate freed");
        }
        // The session socket only ever holds STUN (the port hands payload to the handler), so the STUN stack
        // reads it directly; ice4j's component socket gets the twin that yields nothing (see SessionSocket).
        getParentComponent().getParentStream().getParentAgent().getStunStack()
                .addSocket(new IceUdpSocketWrapper(session), new TransportAddress(remote, Transport.UDP));
        sockets.put(remote, new IceUdpSocketWrapper(session.sendOnlyTwin()));
        sessions.put(remote, session);
    }

    @Override
    protected synchronized IceSocketWrapper getCandidateIceSocketWrapper(SocketAddress remoteAddress) {
        return sockets.get(remoteAddress);
    }

    @Override
    public void free() {
        Map<InetSocketAddress, SessionSocket> toClose;
        synchronized (this) {
            if (freed) {
                return;
            }
            freed = true;
            toClose = new HashMap<>(sessions);
            sessions.clear();
            sockets.values().forEach(IceSocketWrapper::close);
            sockets.clear();
        }
        port.forget(this, toClose.keySet());
        var stunStack = getStunStack();
        for (Map.Entry<InetSocketAddress, SessionSocket> e : toClose.entrySet()) {
            if (stunStack != null) {
                stunStack.removeSocket(port.localAddress(), new TransportAddress(e.getKey(), Transport.UDP));
            }
            e.getValue().close();
        }
        LOG.debug("Freed candidate {} ({} sessions)", ufrag, toClose.size());
        super.free();
    }
}
