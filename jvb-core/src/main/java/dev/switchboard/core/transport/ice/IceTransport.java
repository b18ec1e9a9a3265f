package dev.switchboard.core.transport.ice;

import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.SelectedPair;
import dev.switchboard.core.api.TurnRelayConfig;
import dev.switchboard.core.packet.AllowedNetworks;
import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's ICE session: a controlled full ICE agent whose only candidates are the shared ports (UDP, and
 * passive TCP on the {@link SharedTcpPort}s when ICE-TCP is on). Received payload (everything but STUN) goes to
 * the {@link PayloadHandler} on the port's socket thread. Once ICE completes, sends go straight to the selected
 * remote address through its shared UDP port, or as RFC 4571 frames on the selected TCP connection; before,
 * through ice4j's selected or valid pair.
 */
public final class IceTransport {
    /** Connectivity outcome, called on an ice4j thread. */
    public interface Listener {
        void iceConnected();

        void iceFailed(String reason);

        /** Called with the transport before it starts its checks (lets a listener know whom it serves). */
        default void attached(IceTransport transport) {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(IceTransport.class);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private final String name;
    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final AllowedNetworks allowedNetworks;
    private final Listener listener;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<SharedUdpPort> ports;
    private volatile SharedUdpPort selectedPort;
    private volatile InetSocketAddress selectedRemote;
    /** The TCP connection of the selected pair, when that pair is TCP. */
    private volatile TcpSessionSocket selectedTcp;
    private final ConsentChecks consent;
    /** The relay candidate on the bridge's TURN server, or null (no TURN server, or the allocation failed). */
    private final TurnRelay relay;
    /** True while the selected pair runs through {@link #relay}. */
    private volatile boolean selectedRelay;
    /** The selected pair as the core API reports it, or null before ICE selected one. */
    private volatile SelectedPair selectedPair;

    public IceTransport(String name, List<SharedUdpPort> ports, AllowedNetworks allowedNetworks,
            PayloadHandler payloadHandler, Listener listener) throws IOException {
        this(name, ports, List.of(), allowedNetworks, payloadHandler, listener);
    }

    /** With a passive TCP candidate on each of {@code tcpPorts} too (ranked below the UDP ones). */
    public IceTransport(String name, List<SharedUdpPort> ports, List<SharedTcpPort> tcpPorts,
            AllowedNetworks allowedNetworks, PayloadHandler payloadHandler, Listener listener) throws IOException {
        this(name, ports, tcpPorts, allowedNetworks, payloadHandler, listener, null, null);
    }

    /**
     * With a relay candidate on {@code turnRelay} too (null: none), allocated from {@code relayLocalAddress}
     * (blocking: one TURN round trip). If the allocation fails the session has its other candidates only.
     */
    public IceTransport(String name, List<SharedUdpPort> ports, List<SharedTcpPort> tcpPorts,
            AllowedNetworks allowedNetworks, PayloadHandler payloadHandler, Listener listener,
            TurnRelayConfig turnRelay, InetAddress relayLocalAddress) throws IOException {
        this.name = name;
        this.ports = List.copyOf(ports);
        this.allowedNetworks = allowedNetworks;
        this.listener = listener;
        this.agent = new Agent();
        agent.setControlling(false);
        agent.setUseDynamicPorts(false);
        for (SharedUdpPort port : ports) {
            port.expect(agent.getLocalUfrag(), payloadHandler);
            agent.addCandidateHarvester(port);
        }
        for (SharedTcpPort port : tcpPorts) { // after UDP: host harvesters run in this order
            port.expect(agent.getLocalUfrag(), payloadHandler);
            agent.addCandidateHarvester(port);
        }
        this.stream = agent.createMediaStream("media");
        this.component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        agent.addStateChangeListener(this::onStateChange);
        this.consent = new ConsentChecks(name, agent, component);
        TurnRelay allocated = null;
        if (turnRelay != null) {
            try {
                allocated = TurnRelay.open(name, agent, component, turnRelay, relayLocalAddress, payloadHandler,
                        java.time.Instant.now());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: no relay candidate: {}", name, e.toString());
            }
        }
        this.relay = allocated;
        listener.attached(this);
    }

    public IceParameters localParameters() {
        return new IceParameters(agent.getLocalUfrag(), agent.getLocalPassword());
    }

    public List<IceCandidate> localCandidates() {
        List<IceCandidate> out = new ArrayList<>();
        for (LocalCandidate c : component.getLocalCandidates()) {
            if (TurnRelay.isHidden(c)) {
                continue;
            }
            TransportAddress address = c.getTransportAddress();
            TransportAddress related = c.getRelatedAddress();
            out.add(new IceCandidate(c.getFoundation(), component.getComponentID(),
                    address.getTransport().toString().toLowerCase(Locale.ROOT), c.getPriority(),
                    address.getHostAddress(), address.getPort(), c.getType().toString(),
                    related == null ? null : related.getHostAddress(), related == null ? 0 : related.getPort(),
                    c.getTcpType() == null ? null : c.getTcpType().toString()));
        }
        return out;
    }

    /** Sets the remote credentials and initial candidates and starts the connectivity checks. */
    public void start(IceParameters remote, List<IceCandidate> candidates) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("ICE already started");
        }
        stream.setRemoteUfrag(remote.ufrag());
        stream.setRemotePassword(remote.password());
        for (IceCandidate candidate : candidates) {
            RemoteCandidate rc = toRemoteCandidate(candidate);
            if (rc != null) {
                component.addRemoteCandidate(rc);
            }
        }
        agent.startConnectivityEstablishment();
    }

    /**
     * Adds a trickled candidate. Returns false when it is ignored (not UDP, not an IP, not allowed). TCP
     * candidates of the peer are never needed: the bridge is passive only, the peer's active side connects and
     * its checks make a peer-reflexive remote candidate.
     */
    public boolean addRemoteCandidate(IceCandidate candidate) {
        RemoteCandidate rc = toRemoteCandidate(candidate);
        if (rc == null || closed.get()) {
            return false;
        }
        component.addUpdateRemoteCandidates(rc);
        component.updateRemoteCandidates();
        return true;
    }

    private RemoteCandidate toRemoteCandidate(IceCandidate c) {
        if (!"udp".equalsIgnoreCase(c.protocol()) || c.component() != 1
                || !IP_LITERAL.matcher(c.address()).matches()) {
            LOG.debug("{}: ignoring remote candidate {}", name, c);
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(c.address());
        } catch (UnknownHostException e) {
            return null;
        }
        // Through the bridge's own TURN relay any address may be reached (the TURN server's policy applies);
        // the shared port still never talks to addresses outside the allowed networks.
        if ((relay == null && !allowedNetworks.allows(address)) || c.port() <= 0 || c.port() > 65535) {
            LOG.debug("{}: ignoring remote candidate outside the allowed networks: {}", name, c);
            return null;
        }
        CandidateType type = switch (c.type().toLowerCase(Locale.ROOT)) {
            case "srflx" -> CandidateType.SERVER_REFLEXIVE_CANDIDATE;
            case "prflx" -> CandidateType.PEER_REFLEXIVE_CANDIDATE;
            case "relay" -> CandidateType.RELAYED_CANDIDATE;
            default -> CandidateType.HOST_CANDIDATE;
        };
        return new RemoteCandidate(new TransportAddress(address, c.port(), Transport.UDP), component, type,
                c.foundation(), c.priority(), null);
    }

    /** Sends a datagram on the selected (or, before completion, the first valid) candidate pair. */
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed.get()) {
            throw new IOException("ICE transport closed");
        }
        TcpSessionSocket tcp = selectedTcp;
        if (tcp != null) {
            tcp.sendPayload(buf, off, len);
            return;
        }
        if (selectedRelay) {
            component.send(buf, off, len); // wrapped for TURN by ice4j (allocates: relay mode costs more)
            return;
        }
        SharedUdpPort port = selectedPort;
        if (port != null) {
            port.send(buf, off, len, selectedRemote);
            return;
        }
        try {
            component.send(buf, off, len);
        } catch (IOException noPairYet) {
            // The peer may already talk (a DTLS ClientHello right after its checks succeeded) while our own
            // triggered check has not completed: answer where its payload comes from, over a session that a
            // check with our ufrag opened, instead of waiting for its retransmission a second later.
            for (LocalCandidate candidate : component.getLocalCandidates()) {
                if (candidate instanceof PortCandidate pc && pc.lastPayloadFrom() != null) {
                    pc.port().send(buf, off, len, pc.lastPayloadFrom());
                    return;
                }
                if (candidate instanceof TcpPortCandidate tc && tc.lastPayloadSession() != null) {
                    tc.lastPayloadSession().sendPayload(buf, off, len); // the same, on its TCP connection
                    return;
                }
            }
            throw noPairYet;
        }
    }

    /** Sends {@code data} (position..limit) on the selected pair; false before ICE has completed. */
    public boolean send(ByteBuffer data) throws IOException {
        TcpSessionSocket tcp = selectedTcp;
        if (tcp != null && !closed.get()) {
            tcp.sendPayload(data);
            return true;
        }
        if (selectedRelay && !closed.get() && data.hasArray()) {
            component.send(data.array(), data.arrayOffset() + data.position(), data.remaining());
            data.position(data.limit());
            return true;
        }
        SharedUdpPort port = selectedPort;
        if (port == null || closed.get()) {
            return false;
        }
        port.send(data, selectedRemote);
        return true;
    }

    private void rememberSelectedPair() {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null) {
            return;
        }
        LocalCandidate base = pair.getLocalCandidate().getBase() != null
                ? pair.getLocalCandidate().getBase() : pair.getLocalCandidate();
        TransportAddress local = base.getTransportAddress();
        boolean throughRelay = relay != null && relay.isRelayed(pair.getLocalCandidate());
        selectedPair = describe(pair, throughRelay);
        if (throughRelay) {
            selectedRelay = true;
            LOG.debug("{}: selected {} through the TURN relay", name, pair.toShortString());
            return;
        }
        if (base instanceof TcpPortCandidate tcpCandidate) {
            TcpSessionSocket session = tcpCandidate.session(pair.getRemoteCandidate().getTransportAddress());
            if (session != null) {
                selectedTcp = session;
                SelectedPair described = selectedPair; // an active TCP candidate's port is 9: use the connection's
                selectedPair = new SelectedPair("tcp", described.local(), session.connection().remote,
                        described.remoteType(), false);
                LOG.debug("{}: selected {} -> {} over TCP", name, local, session.connection().remote);
            } else {
                LOG.warn("{}: the selected TCP pair {} has no connection", name, pair.toShortString());
            }
            return;
        }
        for (SharedUdpPort port : ports) {
            if (port.localAddress().equals(local)) {
                selectedRemote = pair.getRemoteCandidate().getTransportAddress();
                selectedPort = port;
                LOG.debug("{}: selected {} -> {}", name, local, selectedRemote);
                return;
            }
        }
    }

    private static SelectedPair describe(CandidatePair pair, boolean throughRelay) {
        TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
        TransportAddress local = pair.getLocalCandidate().getTransportAddress();
        return new SelectedPair(remote.getTransport() == Transport.TCP ? "tcp" : "udp",
                new InetSocketAddress(local.getAddress(), local.getPort()),
                new InetSocketAddress(remote.getAddress(), remote.getPort()),
                pair.getRemoteCandidate().getType().toString(), throughRelay);
    }

    /** The pair ICE selected, or null before it selected one. */
    public SelectedPair selectedPair() {
        return selectedPair;
    }

    private void onStateChange(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName()) || closed.get()) {
            return;
        }
        IceProcessingState state = (IceProcessingState) event.getNewValue();
        LOG.debug("{}: ICE {}", name, state);
        if (state == IceProcessingState.COMPLETED) {
            rememberSelectedPair();
            listener.iceConnected();
        } else if (state == IceProcessingState.FAILED) {
            listener.iceFailed("ICE connectivity checks failed");
        }
    }

    /**
     * RFC 7675 consent freshness, once connected: sends a Binding Request on the selected pair when one is due
     * (about every {@code intervalNanos}) and returns the time (of {@code nowNanos}'s clock) of the latest
     * consent, i.e. of the last answered check. Call from one thread only (the bridge's timer).
     */
    public long consentTick(long nowNanos, long intervalNanos) {
        return consent.tick(nowNanos, intervalNanos);
    }

    /** Frees the agent and its sessions on the shared port. Idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (relay != null) {
                relay.close(); // before the agent, or the allocation can outlive the session
            }
            agent.free();
        }
    }
}
