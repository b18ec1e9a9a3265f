package dev.switchboard.signaling;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.DtlsCertificateFiles;
import dev.switchboard.core.api.FaultInjectionConfig;
import dev.switchboard.core.api.TurnRelayConfig;
import dev.switchboard.signaling.ice.IceServersConfig;
import dev.switchboard.signaling.sdp.VideoCodecPreference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Server settings.
 *
 * @param httpHost address the HTTP/WebSocket server binds (default 127.0.0.1)
 * @param httpPort its port (default 8080; 0 picks a free port)
 * @param bridge   the media core's settings (default {@link BridgeConfig#loopbackDefaults()})
 * @param iceServers STUN/TURN servers handed to browsers (default none)
 * @param lastN    last-N of every room: each participant receives the video of at most this many of the most
 *                 recent speakers (-1 = unlimited, the default)
 * @param reconnectGrace how long a participant whose WebSocket closed (without {@code leave}) stays in its
 *                 room, media flowing, waiting for the client to reconnect and {@code resume} (default 5 s;
 *                 zero removes it at once)
 * @param videoCodecs the video codecs participants may use, in the bridge's order of preference (default: VP8,
 *                 VP9 and H.264 in each offer's order)
 */
public record ServerConfig(String httpHost, int httpPort, BridgeConfig bridge, IceServersConfig iceServers,
        int lastN, Duration reconnectGrace, VideoCodecPreference videoCodecs) {
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofSeconds(5);
    public static final Duration MAX_RECONNECT_GRACE = Duration.ofMinutes(5);

    /** Settings: environment variable, command-line option and meaning. */
    static final List<String[]> SETTINGS = List.of(
            new String[] {"SWITCHBOARD_HTTP_HOST", "--http-host", "HTTP/WebSocket bind address (127.0.0.1)"},
            new String[] {"SWITCHBOARD_HTTP_PORT", "--http-port", "HTTP/WebSocket port, 0 = any free (8080)"},
            new String[] {"SWITCHBOARD_UDP_PORT", "--udp-port", "the single media UDP port, 0 = any free (10000)"},
            new String[] {"SWITCHBOARD_TCP_PORT", "--tcp-port",
                "the ICE-TCP port (passive candidates for clients whose UDP is blocked), 0 = any free, -1 or off = "
                    + "disabled (4443)"},
            new String[] {"SWITCHBOARD_BIND_ADDRESSES", "--bind-addresses",
                "comma-separated media bind IPs; each is a host candidate (127.0.0.1)"},
            new String[] {"SWITCHBOARD_ALLOWED_NETWORKS", "--allowed-networks",
                "comma-separated CIDRs remote media addresses must be in (127.0.0.0/8)"},
            new String[] {"SWITCHBOARD_MEDIA_THREADS", "--media-threads", "media threads (number of CPUs)"},
            new String[] {"SWITCHBOARD_THREAD_NICE", "--thread-nice",
                "Linux nice value of the latency-critical threads (media loops, UDP readers, signaling loop, "
                + "DTLS handshakes), -20..19 (-10; 0 = leave as is; below 0 needs CAP_SYS_NICE or RLIMIT_NICE)"},
            new String[] {"SWITCHBOARD_STUN_URLS", "--stun-urls",
                "comma-separated STUN URLs for browsers, e.g. stun:turn.example.org:3478 (none)"},
            new String[] {"SWITCHBOARD_TURN_URLS", "--turn-urls",
                "comma-separated TURN URLs for browsers, e.g. turn:turn.example.org:3478?transport=udp (none)"},
            new String[] {"SWITCHBOARD_TURN_SECRET", "--turn-secret",
                "TURN shared secret (coturn static-auth-secret); prefer the variable to the option (none)"},
            new String[] {"SWITCHBOARD_TURN_TTL", "--turn-ttl", "lifetime of TURN credentials in seconds (86400)"},
            new String[] {"SWITCHBOARD_NAT_MAPPINGS", "--nat-mappings",
                "comma-separated public addresses of the media port behind 1:1 NAT or Docker: PUBLIC_IP[:PORT] or "
                    + "BIND_IP=PUBLIC_IP[:PORT]; each is advertised as a srflx candidate (none)"},
            new String[] {"SWITCHBOARD_BRIDGE_STUN_SERVERS", "--bridge-stun-servers",
                "comma-separated host:port STUN servers the bridge asks for its public address at start-up (none)"},
            new String[] {"SWITCHBOARD_DTLS_CERTIFICATE", "--dtls-certificate",
                "PEM file with the bridge's DTLS certificate (ECDSA P-256), for a fingerprint that survives "
                    + "restarts; needs SWITCHBOARD_DTLS_PRIVATE_KEY (none: a fresh one per start)"},
            new String[] {"SWITCHBOARD_DTLS_PRIVATE_KEY", "--dtls-private-key",
                "PEM file with that certificate's unencrypted private key (none)"},
            new String[] {"SWITCHBOARD_BRIDGE_TURN_SERVER", "--bridge-turn-server",
                "IP:PORT of a TURN server (UDP) on which the bridge allocates a relay candidate for every endpoint, "
                    + "for clients that cannot reach the bridge itself; costs a socket and an allocation per "
                    + "endpoint (none)"},
            new String[] {"SWITCHBOARD_BRIDGE_TURN_USERNAME", "--bridge-turn-username",
                "long-term TURN username for the bridge's relay (with the password)"},
            new String[] {"SWITCHBOARD_BRIDGE_TURN_PASSWORD", "--bridge-turn-password",
                "long-term TURN password for the bridge's relay; prefer the variable to the option"},
            new String[] {"SWITCHBOARD_BRIDGE_TURN_SECRET", "--bridge-turn-secret",
                "instead of a username and password: the TURN server's static-auth-secret, from which the bridge "
                    + "computes REST credentials; prefer the variable to the option"},
            new String[] {"SWITCHBOARD_ICE_TIMEOUT", "--ice-timeout",
                "seconds an endpoint may take to connect, or stay silent, before it is dropped (30)"},
            new String[] {"SWITCHBOARD_RECONNECT_GRACE", "--reconnect-grace",
                "seconds (decimals allowed) a participant whose WebSocket closed stays, media flowing, for the client "
                    + "to reconnect and resume; 0 = removed at once (5)"},
            new String[] {"SWITCHBOARD_CONSENT_TIMEOUT", "--consent-timeout",
                "seconds (decimals allowed) without an answer to the bridge's RFC 7675 consent checks before a "
                    + "connected endpoint is dropped; 0 = no consent checks (30)"},
            new String[] {"SWITCHBOARD_LAST_N", "--last-n",
                "video of at most this many recent speakers per receiver, -1 = unlimited (-1)"},
            new String[] {"SWITCHBOARD_VIDEO_CODECS", "--video-codecs",
                "comma-separated video codecs participants may use, most preferred first, of vp8, h264, vp9; the "
                    + "first one a publisher offers is what it sends (and simulcasts, if vp8 or h264), e.g. h264,vp8 "
                    + "(vp8, vp9 and h264 in each browser's order)"},
            new String[] {"SWITCHBOARD_FAULT_DROP_IN_PERCENT", "--fault-drop-in-percent",
                "TEST/DIAGNOSTIC ONLY: percent 0..100 of received RTP/RTCP/DTLS datagrams dropped at random, "
                    + "never STUN (0)"},
            new String[] {"SWITCHBOARD_FAULT_DROP_OUT_PERCENT", "--fault-drop-out-percent",
                "TEST/DIAGNOSTIC ONLY: percent 0..100 of sent RTP/RTCP/DTLS datagrams dropped at random, "
                    + "never STUN (0)"},
            new String[] {"SWITCHBOARD_FAULT_SEED", "--fault-seed",
                "seed of the fault injection's drop decisions, to replay a run (random, logged)"});

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public ServerConfig {
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(iceServers, "iceServers");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port out of range: " + httpPort);
        }
        if (lastN < -1) {
            throw new IllegalArgumentException("last-N must be -1 (unlimited) or >= 0: " + lastN);
        }
        Objects.requireNonNull(reconnectGrace, "reconnectGrace");
        Objects.requireNonNull(videoCodecs, "videoCodecs");
        if (reconnectGrace.isNegative() || reconnectGrace.compareTo(MAX_RECONNECT_GRACE) > 0) {
            throw new IllegalArgumentException("reconnect grace period not in 0.." + MAX_RECONNECT_GRACE.toSeconds()
                    + " s: " + reconnectGrace);
        }
    }

    /** Video codecs in each offer's order. */
    public ServerConfig(String httpHost, int httpPort, BridgeConfig bridge, IceServersConfig iceServers,
            int lastN, Duration reconnectGrace) {
        this(httpHost, httpPort, bridge, iceServers, lastN, reconnectGrace, VideoCodecPreference.OFFER_ORDER);
    }

    /** The default reconnect grace period. */
    public ServerConfig(String httpHost, int httpPort, BridgeConfig bridge, IceServersConfig iceServers,
            int lastN) {
        this(httpHost, httpPort, bridge, iceServers, lastN, DEFAULT_RECONNECT_GRACE);
    }

    /** Unlimited last-N. */
    public ServerConfig(String httpHost, int httpPort, BridgeConfig bridge, IceServersConfig iceServers) {
        this(httpHost, httpPort, bridge, iceServers, -1);
    }

    /** Without STUN/TURN servers. */
    public ServerConfig(String httpHost, int httpPort, BridgeConfig bridge) {
        this(httpHost, httpPort, bridge, IceServersConfig.none());
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, BridgeConfig.loopbackDefaults());
    }

    public ServerConfig withHttpPort(int port) {
        return new ServerConfig(httpHost, port, bridge, iceServers, lastN, reconnectGrace, videoCodecs);
    }

    public ServerConfig withBridge(BridgeConfig newBridge) {
        return new ServerConfig(httpHost, httpPort, newBridge, iceServers, lastN, reconnectGrace, videoCodecs);
    }

    public ServerConfig withIceServers(IceServersConfig newIceServers) {
        return new ServerConfig(httpHost, httpPort, bridge, newIceServers, lastN, reconnectGrace, videoCodecs);
    }

    public ServerConfig withLastN(int n) {
        return new ServerConfig(httpHost, httpPort, bridge, iceServers, n, reconnectGrace, videoCodecs);
    }

    public ServerConfig withVideoCodecs(VideoCodecPreference codecs) {
        return new ServerConfig(httpHost, httpPort, bridge, iceServers, lastN, reconnectGrace, codecs);
    }

    public ServerConfig withReconnectGrace(Duration grace) {
        return new ServerConfig(httpHost, httpPort, bridge, iceServers, lastN, grace, videoCodecs);
    }

    /**
     * Reads the settings from environment variables, overridden by {@code --key=value} arguments (see
     * {@link #usage()}). Unset values keep their defaults.
     *
     * @throws IllegalArgumentException for an unknown argument or an invalid value, with a message naming it
     */
    public static ServerConfig fromEnvironment(Map<String, String> env, String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String[] setting : SETTINGS) {
            String value = env.get(setting[0]);
            if (value != null && !value.isBlank()) {
                values.put(setting[0], value.strip());
            }
        }
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg : arg.substring(0, eq);
            String[] setting = SETTINGS.stream().filter(s -> s[1].equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option '" + key + "'"));
            if (eq < 0 || eq == arg.length() - 1) {
                throw new IllegalArgumentException("option " + key + " needs a value: " + key + "=VALUE");
            }
            values.put(setting[0], arg.substring(eq + 1).strip());
        }

        BridgeConfig defaults = BridgeConfig.loopbackDefaults();
        String httpHost = values.getOrDefault("SWITCHBOARD_HTTP_HOST", DEFAULT_HTTP_HOST);
        int httpPort = port(values, "SWITCHBOARD_HTTP_PORT", DEFAULT_HTTP_PORT);
        int udpPort = port(values, "SWITCHBOARD_UDP_PORT", defaults.udpPort());
        int tcpPort = defaults.tcpPort();
        if (values.containsKey("SWITCHBOARD_TCP_PORT")) {
            String tcp = values.get("SWITCHBOARD_TCP_PORT");
            tcpPort = tcp.equalsIgnoreCase("off") ? BridgeConfig.TCP_DISABLED
                    : integer(tcp, "SWITCHBOARD_TCP_PORT", -1, 65535);
        }
        List<String> bind = values.containsKey("SWITCHBOARD_BIND_ADDRESSES")
                ? list(values.get("SWITCHBOARD_BIND_ADDRESSES"), "SWITCHBOARD_BIND_ADDRESSES", false)
                : defaults.bindAddresses();
        List<String> allowed = values.containsKey("SWITCHBOARD_ALLOWED_NETWORKS")
                ? list(values.get("SWITCHBOARD_ALLOWED_NETWORKS"), "SWITCHBOARD_ALLOWED_NETWORKS", true)
                : defaults.allowedNetworks();
        int threads = defaults.mediaThreads();
        if (values.containsKey("SWITCHBOARD_MEDIA_THREADS")) {
            threads = integer(values.get("SWITCHBOARD_MEDIA_THREADS"), "SWITCHBOARD_MEDIA_THREADS", 1, 1024);
        }
        int threadNice = defaults.threadNice();
        if (values.containsKey("SWITCHBOARD_THREAD_NICE")) {
            threadNice = integer(values.get("SWITCHBOARD_THREAD_NICE"), "SWITCHBOARD_THREAD_NICE", -20, 19);
        }
        Duration iceTimeout = defaults.iceFailureTimeout();
        if (values.containsKey("SWITCHBOARD_ICE_TIMEOUT")) {
            iceTimeout = Duration.ofSeconds(integer(values.get("SWITCHBOARD_ICE_TIMEOUT"), "SWITCHBOARD_ICE_TIMEOUT",
                    1, 3600));
        }
        List<String> mappings = values.containsKey("SWITCHBOARD_NAT_MAPPINGS")
                ? List.of(values.get("SWITCHBOARD_NAT_MAPPINGS").split("\\s*,\\s*")) : List.of();
        List<String> bridgeStun = values.containsKey("SWITCHBOARD_BRIDGE_STUN_SERVERS")
                ? List.of(values.get("SWITCHBOARD_BRIDGE_STUN_SERVERS").split("\\s*,\\s*")) : List.of();
        Duration consentTimeout = defaults.consentTimeout();
        if (values.containsKey("SWITCHBOARD_CONSENT_TIMEOUT")) {
            consentTimeout = seconds(values.get("SWITCHBOARD_CONSENT_TIMEOUT"), "SWITCHBOARD_CONSENT_TIMEOUT",
                    Duration.ofHours(1));
            if (!consentTimeout.isZero() && consentTimeout.toMillis() < 1000) {
                throw new IllegalArgumentException("SWITCHBOARD_CONSENT_TIMEOUT: at least 1 second, or 0 (off)");
            }
        }
        int lastN = -1;
        if (values.containsKey("SWITCHBOARD_LAST_N")) {
            lastN = integer(values.get("SWITCHBOARD_LAST_N"), "SWITCHBOARD_LAST_N", -1, 1000);
        }
        BridgeConfig bridge = defaults.toBuilder().udpPort(udpPort).bindAddresses(bind).allowedNetworks(allowed)
                .mediaThreads(threads).threadNice(threadNice).iceFailureTimeout(iceTimeout)
                .staticMappings(mappings).stunServers(bridgeStun)
                .faultInjection(faultInjection(values)).tcpPort(tcpPort).consentTimeout(consentTimeout)
                .turnRelay(bridgeTurn(values)).dtlsCertificateFiles(dtlsCertificate(values)).build();
        Duration grace = DEFAULT_RECONNECT_GRACE;
        if (values.containsKey("SWITCHBOARD_RECONNECT_GRACE")) {
            grace = seconds(values.get("SWITCHBOARD_RECONNECT_GRACE"), "SWITCHBOARD_RECONNECT_GRACE",
                    MAX_RECONNECT_GRACE);
        }
        VideoCodecPreference videoCodecs = VideoCodecPreference.OFFER_ORDER;
        if (values.containsKey("SWITCHBOARD_VIDEO_CODECS")) {
            try {
                videoCodecs = VideoCodecPreference.parse(values.get("SWITCHBOARD_VIDEO_CODECS"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SWITCHBOARD_VIDEO_CODECS: " + e.getMessage(), e);
            }
        }
        return new ServerConfig(httpHost, httpPort, bridge, iceServers(values), lastN, grace, videoCodecs);
    }

    /** Seconds with up to three decimals, 0..max. */
    private static Duration seconds(String value, String key, Duration max) {
        java.math.BigDecimal s;
        try {
            s = new java.math.BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number of seconds");
        }
        if (s.signum() < 0 || s.compareTo(java.math.BigDecimal.valueOf(max.toSeconds())) > 0 || s.scale() > 3) {
            throw new IllegalArgumentException(key + ": " + value + " is not in 0.." + max.toSeconds()
                    + " seconds (at most 3 decimals)");
        }
        return Duration.ofMillis(s.movePointRight(3).longValueExact());
    }

    /** The bridge's own TURN server (relay candidates), or null. */
    private static TurnRelayConfig bridgeTurn(Map<String, String> values) {
        String server = values.get("SWITCHBOARD_BRIDGE_TURN_SERVER");
        String username = values.get("SWITCHBOARD_BRIDGE_TURN_USERNAME");
        String password = values.get("SWITCHBOARD_BRIDGE_TURN_PASSWORD");
        String secret = values.get("SWITCHBOARD_BRIDGE_TURN_SECRET");
        if (server == null) {
            if (username != null || password != null || secret != null) {
                throw new IllegalArgumentException("SWITCHBOARD_BRIDGE_TURN_USERNAME/_PASSWORD/_SECRET need "
                        + "SWITCHBOARD_BRIDGE_TURN_SERVER");
            }
            return null;
        }
        int colon = server.lastIndexOf(':');
        String host = colon < 0 ? server : server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (colon < 0 || !isIpLiteral(host)) {
            throw new IllegalArgumentException("SWITCHBOARD_BRIDGE_TURN_SERVER: '" + server
                    + "' is not IP:PORT (an IP address, no host name)");
        }
        int port = integer(server.substring(colon + 1), "SWITCHBOARD_BRIDGE_TURN_SERVER", 1, 65535);
        if (secret != null) {
            if (username != null || password != null) {
                throw new IllegalArgumentException("SWITCHBOARD_BRIDGE_TURN_SECRET or a username and password, "
                        + "not both");
            }
            return TurnRelayConfig.withSharedSecret(host, port, secret);
        }
        if (username == null || password == null) {
            throw new IllegalArgumentException("SWITCHBOARD_BRIDGE_TURN_SERVER needs SWITCHBOARD_BRIDGE_TURN_SECRET, "
                    + "or SWITCHBOARD_BRIDGE_TURN_USERNAME and SWITCHBOARD_BRIDGE_TURN_PASSWORD");
        }
        return TurnRelayConfig.withPassword(host, port, username, password);
    }

    /** Both DTLS files or neither; whether they hold a usable certificate is checked when the bridge starts. */
    private static DtlsCertificateFiles dtlsCertificate(Map<String, String> values) {
        String certificate = values.get("SWITCHBOARD_DTLS_CERTIFICATE");
        String key = values.get("SWITCHBOARD_DTLS_PRIVATE_KEY");
        if (certificate == null && key == null) {
            return null;
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("SWITCHBOARD_DTLS_CERTIFICATE and SWITCHBOARD_DTLS_PRIVATE_KEY "
                    + "must be set together");
        }
        return new DtlsCertificateFiles(Path.of(certificate), Path.of(key));
    }

    /** Fault injection (tests, diagnostics): off unless a drop percentage is set; the seed is random unless set. */
    private static FaultInjectionConfig faultInjection(Map<String, String> values) {
        double in = percent(values, "SWITCHBOARD_FAULT_DROP_IN_PERCENT");
        double out = percent(values, "SWITCHBOARD_FAULT_DROP_OUT_PERCENT");
        String seedValue = values.get("SWITCHBOARD_FAULT_SEED");
        long seed;
        if (seedValue != null) {
            try {
                seed = Long.parseLong(seedValue);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SWITCHBOARD_FAULT_SEED: '" + seedValue + "' is not an integer");
            }
        } else {
            seed = in > 0 || out > 0 ? new java.security.SecureRandom().nextLong() : 0;
        }
        return in > 0 || out > 0 || seedValue != null ? new FaultInjectionConfig(in, out, seed)
                : FaultInjectionConfig.NONE;
    }

    private static double percent(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            return 0;
        }
        double percent;
        try {
            percent = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException(key + ": " + value + " is not in 0..100");
        }
        return percent;
    }

    private static IceServersConfig iceServers(Map<String, String> values) {
        List<String> stun = urls(values, "SWITCHBOARD_STUN_URLS");
        List<String> turn = urls(values, "SWITCHBOARD_TURN_URLS");
        String secret = values.get("SWITCHBOARD_TURN_SECRET");
        Duration ttl = IceServersConfig.DEFAULT_TURN_TTL;
        if (values.containsKey("SWITCHBOARD_TURN_TTL")) {
            ttl = Duration.ofSeconds(integer(values.get("SWITCHBOARD_TURN_TTL"), "SWITCHBOARD_TURN_TTL", 1,
                    (int) IceServersConfig.MAX_TURN_TTL.toSeconds()));
        }
        return new IceServersConfig(stun, turn, secret, ttl);
    }

    /** A comma list of STUN or TURN URLs (blanks dropped), each checked; an unset key gives an empty list. */
    private static List<String> urls(Map<String, String> values, String key) {
        List<String> urls = new ArrayList<>();
        String value = values.get(key);
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    urls.add(item.strip());
                }
            }
        }
        try {
            IceServersConfig.checkUrls(urls, key.contains("TURN"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        return urls;
    }

    /** Help text listing every setting. */
    public static String usage() {
        StringBuilder sb = new StringBuilder("Settings (environment variable, or --option=value):\n");
        for (String[] s : SETTINGS) {
            sb.append(String.format(Locale.ROOT, "  %-34s %-24s %s%n", s[0], s[1], s[2]));
        }
        return sb.toString();
    }

    private static int port(Map<String, String> values, String key, int fallback) {
        String value = values.get(key);
        return value == null ? fallback : integer(value, key, 0, 65535);
    }

    private static int integer(String value, String key, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + ": " + n + " is not in " + min + ".." + max);
        }
        return n;
    }

    private static List<String> list(String value, String key, boolean cidr) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (cidr ? !isCidr(s) : !isIpLiteral(s)) {
                throw new IllegalArgumentException(key + ": '" + s + "' is not "
                        + (cidr ? "a CIDR block such as 10.0.0.0/8" : "an IP address"));
            }
            items.add(s);
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(key + ": empty list");
        }
        return items;
    }

    static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (s.indexOf(':') < 0 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return false;
        }
        try {
            // A string of hex digits and colons is parsed as an IPv6 literal, never looked up.
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (!bits.matches("\\d{1,3}") || !isIpLiteral(address)) {
            return false;
        }
        int n = Integer.parseInt(bits);
        return n <= (address.indexOf(':') >= 0 ? 128 : 32);
    }

    @Override
    public String toString() {
        return "ServerConfig[http=" + httpHost + ":" + httpPort + ", udpPort=" + bridge.udpPort() + ", tcpPort="
                + (bridge.tcpEnabled() ? String.valueOf(bridge.tcpPort()) : "off") + ", bind="
                + bridge.bindAddresses() + ", allowed=" + bridge.allowedNetworks() + ", mediaThreads="
                + bridge.mediaThreads() + ", threadNice=" + bridge.threadNice() + ", consentTimeout=" + bridge.consentTimeout().toMillis() + " ms, reconnectGrace=" + reconnectGrace.toMillis() + " ms, stun=" + iceServers.stunUrls() + ", turn=" + iceServers.turnUrls()
                + (iceServers.hasTurn() ? " (secret set, ttl " + iceServers.turnTtl().toSeconds() + " s)" : "")
                + (bridge.turnRelay() != null ? ", bridgeTurn=" + bridge.turnRelay() : "")
                + (bridge.faultInjection().enabled() ? ", FAULT INJECTION " + bridge.faultInjection() : "") + "]";
    }
}
