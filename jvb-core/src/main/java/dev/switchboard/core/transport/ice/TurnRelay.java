package dev.switchboard.core.transport.ice;

import dev.switchboard.core.api.TurnRelayConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Candidate;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RelayedCandidate;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE session's relay candidate on the bridge's TURN server ({@link TurnRelayConfig}). ice4j cannot
 * allocate through the shared port's passive candidates, so the session gets a socket of its own: a host
 * candidate ({@link Base}) that only talks to the TURN server, is never paired with a remote candidate and is
 * never signaled. The relayed candidate it allocates is paired and signaled like any other. What the peer sends
 * through the relay (decapsulated by ice4j) is read from the relayed candidate's socket by one thread per
 * session and handed to the session's {@link PayloadHandler}; sends on a relayed pair go through ice4j ({@code Component.send},
 * which wraps them for TURN). Costs per session: a UDP port, the allocation (ice4j refreshes it) and a few
 * threads; closing frees the allocation before the agent.
 */
final class TurnRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TurnRelay.class);

    private final String name;
    private final MultiplexingDatagramSocket socket;
    private final RelayedCandidate relayed;
    private final org.ice4j.stack.StunStack stunStack;
    private final Thread reader;
    private volatile boolean closed;

    private TurnRelay(String name, org.ice4j.stack.StunStack stunStack, MultiplexingDatagramSocket socket,
            RelayedCandidate relayed, PayloadHandler payloadHandler) {
        this.stunStack = stunStack;
        this.name = name;
        this.socket = socket;
        this.relayed = relayed;
        this.reader = new Thread(() -> readLoop(payloadHandler), "switchboard-relay-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Allocates a relay for {@code component} (blocking: one TURN Allocate round trip, with the 401 challenge).
     *
     * @return the relay, or null when the allocation failed (logged; the session keeps its other candidates)
     */
    static TurnRelay open(String name, Agent agent, Component component, TurnRelayConfig config,
            InetAddress localAddress, PayloadHandler payloadHandler, Instant now) throws IOException {
        MultiplexingDatagramSocket socket = new MultiplexingDatagramSocket(0, localAddress);
        Base base = new Base(new IceUdpSocketWrapper(socket), component);
        component.addLocalCandidate(base);
        agent.getStunStack().addSocket(base.getStunSocket(null));
        String[] credentials = credentials(config, now);
        TurnCandidateHarvester harvester = new TurnCandidateHarvester(
                new TransportAddress(config.host(), config.port(), Transport.UDP),
                new LongTermCredential(credentials[0], credentials[1])) {
            /** Allocates from {@link Base} only: the shared ports' candidates have no socket to do it from. */
            @Override
            protected HostCandidate getHostCandidate(HostCandidate hostCandidate) {
                return hostCandidate == base ? super.getHostCandidate(hostCandidate) : null;
            }
        };
        RelayedCandidate relayed = null;
        for (LocalCandidate candidate : harvester.harvest(component)) {
            if (candidate instanceof RelayedCandidate r) {
                relayed = r;
            }
        }
        if (relayed == null) {
            LOG.warn("{}: no relay candidate from the TURN server {}:{} (unreachable, or credentials refused)",
                    name, config.host(), config.port());
            base.release(); // stays in the component, unpairable and unsignaled, without a socket
            socket.close();
            return null;
        }
        LOG.debug("{}: relay candidate {} via {}", name, relayed.getTransportAddress(), socket.getLocalSocketAddress());
        return new TurnRelay(name, agent.getStunStack(), socket, relayed, payloadHandler);
    }

    /** True for candidates of this machinery that must not be signaled (the socket toward the TURN server). */
    static boolean isHidden(LocalCandidate candidate) {
        return candidate instanceof Base;
    }

    /** True when {@code candidate} is (based on) this relay's allocation. */
    boolean isRelayed(LocalCandidate candidate) {
        return candidate == relayed || candidate.getBase() == relayed;
    }

    private void readLoop(PayloadHandler payloadHandler) {
        byte[] buf = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
            // The agent has no component socket (IceTransport creates its component without one): read the
            // relayed candidate's own socket, whose STUN the agent's stack takes through a filtered view.
            org.ice4j.socket.IceSocketWrapper in = relayed.getCandidateIceSocketWrapper();
            while (!closed) {
                packet.setData(buf, 0, buf.length);
                in.receive(packet);
                int first = packet.getLength() > 0 ? buf[0] & 0xFF : -1;
                if (first > 3) { // STUN (0..3) belongs to ice4j
                    payloadHandler.onPayload(buf, 0, packet.getLength());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.debug("{}: relay reader stopped: {}", name, e.toString());
            }
        }
    }

    /** Frees the allocation (before the agent is freed, or it can outlive the session) and the socket. */
    @Override
    public void close() {
        closed = true;
        try {
            // Stop the stack's readers of our sockets before closing them, or they log the closed sockets as
            // errors (the Refresh that deallocates is sent at once, through the base socket).
            stunStack.removeSocket(relayed.getTransportAddress());
            relayed.getCandidateIceSocketWrapper().close(); // sends a Refresh with lifetime 0: deallocates
            stunStack.removeSocket(new TransportAddress(socket.getLocalAddress(), socket.getLocalPort(),
                    Transport.UDP));
        } finally {
            socket.close();
            reader.interrupt();
        }
    }

    /** Long-term credentials: fixed, or TURN REST ones computed from the shared secret. */
    static String[] credentials(TurnRelayConfig config, Instant now) {
        if (config.sharedSecret() == null) {
            return new String[] {config.username(), config.password()};
        }
        String username = now.plus(config.credentialLifetime()).getEpochSecond() + ":switchboard";
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(config.sharedSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return new String[] {username,
                Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)))};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    /** The session's own socket toward the TURN server: a base for the allocation, never paired or signaled. */
    static final class Base extends HostCandidate {
        Base(IceUdpSocketWrapper socket, Component component) {
            super(socket, component, Transport.UDP);
        }

        @Override
        public boolean canReach(Candidate<?> dst) {
            return false;
        }

        void release() {
            free();
        }
    }
}
