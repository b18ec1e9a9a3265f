package dev.switchboard.core.transport.ice;

import dev.switchboard.core.packet.AllowedNetworks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP port all endpoints share on one local address. Remote addresses outside the allowed networks
 * never get a session: their connectivity checks are not answered, so no media path to them can form.
 */
public final class SharedUdpPort extends SinglePortUdpHarvester {
    private static final Logger LOG = LoggerFactory.getLogger(SharedUdpPort.class);
    private final AllowedNetworks allowedNetworks;
    private final LongAdder refusedChecks = new LongAdder();

    private SharedUdpPort(TransportAddress address, AllowedNetworks allowedNetworks) throws IOException {
        super(address);
        this.allowedNetworks = allowedNetworks;
    }

    /** Binds {@code address:port} (port 0 picks a free one). */
    public static SharedUdpPort bind(String address, int port, AllowedNetworks allowedNetworks)
            throws IOException {
        Ice4jRuntime.initialize();
        return new SharedUdpPort(new TransportAddress(address, port, Transport.UDP), allowedNetworks);
    }

    @Override
    protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remoteAddress, String ufrag) {
        if (!allowedNetworks.allows(remoteAddress.getAddress())) {
            refusedChecks.increment();
            LOG.debug("Ignoring a connectivity check from {}: not in the allowed networks {}", remoteAddress,
                    allowedNetworks);
            return null;
        }
        return super.maybeAcceptNewSession(buf, remoteAddress, ufrag);
    }

    public int port() {
        return getLocalAddress().getPort();
    }

    public String hostAddress() {
        return getLocalAddress().getHostAddress();
    }

    /** Connectivity checks ignored because they came from outside the allowed networks. */
    public long refusedChecks() {
        return refusedChecks.sum();
    }
}
