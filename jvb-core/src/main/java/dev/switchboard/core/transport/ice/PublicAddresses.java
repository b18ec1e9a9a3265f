package dev.switchboard.core.transport.ice;

import dev.switchboard.core.api.IceCandidate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses under which the shared ports are reachable from outside: server-reflexive candidates
 * (RFC 8445 section 5.1.1.1) from static 1:1 NAT mappings and from STUN servers asked at start-up. The bridge
 * keeps a single socket: a srflx candidate only tells peers where to send; their checks then arrive on the
 * host candidate's session, as with any NAT in front of a host.
 */
public final class PublicAddresses {
    /** One public address of one shared port, and where the bridge learned it. */
    public record Mapping(SharedUdpPort port, InetSocketAddress publicAddress, String source) {}

    private static final Logger LOG = LoggerFactory.getLogger(PublicAddresses.class);
    /** RFC 8445 section 5.1.2.2 recommended type preference for server-reflexive candidates. */
    private static final int SRFLX_TYPE_PREFERENCE = 100;

    private final List<Mapping> mappings;

    private PublicAddresses(List<Mapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    /**
     * Resolves static mappings ({@code public} or {@code local=public}, public with optional port) and asks each
     * STUN server ({@code host:port}) from each port. A STUN server that does not answer is logged and skipped;
     * a malformed static mapping is a configuration error.
     */
    public static PublicAddresses discover(List<SharedUdpPort> ports, List<String> staticMappings,
            List<String> stunServers, Duration stunTimeout) {
        List<Mapping> out = new ArrayList<>();
        for (String mapping : staticMappings) {
            String text = mapping.trim();
            int eq = text.indexOf('=');
            String local = eq < 0 ? null : text.substring(0, eq).trim();
            String publicPart = eq < 0 ? text : text.substring(eq + 1).trim();
            boolean matched = false;
            for (SharedUdpPort port : ports) {
                if (local == null || port.localAddress().getHostAddress().equals(literal(local).getHostAddress())) {
                    out.add(new Mapping(port, hostAndPort(publicPart, port.port()), "static mapping " + text));
                    matched = true;
                }
            }
            if (!matched) {
                throw new IllegalArgumentException("static mapping '" + text + "' names no bind address");
            }
        }
        for (String server : stunServers) {
            InetSocketAddress stun = hostAndPort(server, 3478);
            for (SharedUdpPort port : ports) {
                try {
                    out.add(new Mapping(port, port.discoverMappedAddress(stun, stunTimeout), "STUN " + server));
                } catch (IOException e) {
                    LOG.warn("STUN server {} gave no public address for {}: {}", server, port.localAddress(),
                            e.getMessage());
                }
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Mapping> unique = new ArrayList<>();
        for (Mapping m : out) {
            if (seen.add(m.port().port() + "@" + m.port().localAddress().getHostAddress() + ">" + m.publicAddress())) {
                unique.add(m);
                LOG.info("Advertising {}:{} as server-reflexive candidate of {} ({})",
                        m.publicAddress().getAddress().getHostAddress(), m.publicAddress().getPort(),
                        m.port().localAddress(), m.source());
            }
        }
        return new PublicAddresses(unique);
    }

    public static PublicAddresses none() {
        return new PublicAddresses(List.of());
    }

    public List<Mapping> mappings() {
        return mappings;
    }

    /** The srflx candidates to add to every endpoint's local description. */
    public List<IceCandidate> candidates() {
        List<IceCandidate> out = new ArrayList<>();
        int localPreference = 65535;
        for (Mapping m : mappings) {
            long priority = ((long) SRFLX_TYPE_PREFERENCE << 24) + ((long) localPreference-- << 8) + (256 - 1);
            out.add(new IceCandidate("srflx" + Integer.toUnsignedString(m.publicAddress().hashCode() & 0xFFFFF),
                    1, "udp", priority, m.publicAddress().getAddress().getHostAddress(), m.publicAddress().getPort(),
                    "srflx", m.port().localAddress().getHostAddress(), m.port().port(), null));
        }
        return out;
    }

    private static InetSocketAddress hostAndPort(String text, int defaultPort) {
        String host = text;
        int port = defaultPort;
        int colon = text.lastIndexOf(':');
        if (colon > 0 && text.indexOf(':') == colon) { // host:port, not a bare IPv6 literal
            host = text.substring(0, colon);
            port = Integer.parseInt(text.substring(colon + 1));
        } else if (text.startsWith("[") && text.contains("]:")) {
            host = text.substring(1, text.indexOf(']'));
            port = Integer.parseInt(text.substring(text.indexOf("]:") + 2));
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        return new InetSocketAddress(host, port);
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an address: '" + text + "'", e);
        }
    }
}
