package dev.switchboard.signaling;

import dev.switchboard.core.api.BridgeConfig;
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
 */
public record ServerConfig(String httpHost, int httpPort, BridgeConfig bridge) {
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** Settings: environment variable, command-line option and meaning. */
    static final List<String[]> SETTINGS = List.of(
            new String[] {"SWITCHBOARD_HTTP_HOST", "--http-host", "HTTP/WebSocket bind address (127.0.0.1)"},
            new String[] {"SWITCHBOARD_HTTP_PORT", "--http-port", "HTTP/WebSocket port, 0 = any free (8080)"},
            new String[] {"SWITCHBOARD_UDP_PORT", "--udp-port", "the single media UDP port, 0 = any free (10000)"},
            new String[] {"SWITCHBOARD_BIND_ADDRESSES", "--bind-addresses",
                "comma-separated media bind IPs; each is a host candidate (127.0.0.1)"},
            new String[] {"SWITCHBOARD_ALLOWED_NETWORKS", "--allowed-networks",
                "comma-separated CIDRs remote media addresses must be in (127.0.0.0/8)"},
            new String[] {"SWITCHBOARD_MEDIA_THREADS", "--media-threads", "media threads (number of CPUs)"});

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public ServerConfig {
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(bridge, "bridge");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port out of range: " + httpPort);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, BridgeConfig.loopbackDefaults());
    }

    public ServerConfig withHttpPort(int port) {
        return new ServerConfig(httpHost, port, bridge);
    }

    public ServerConfig withBridge(BridgeConfig newBridge) {
        return new ServerConfig(httpHost, httpPort, newBridge);
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
        BridgeConfig bridge = new BridgeConfig(udpPort, bind, allowed, threads, defaults.iceFailureTimeout(),
                defaults.packetQueueSize());
        return new ServerConfig(httpHost, httpPort, bridge);
    }

    /** Help text listing every setting. */
    public static String usage() {
        StringBuilder sb = new StringBuilder("Settings (environment variable, or --option=value):\n");
        for (String[] s : SETTINGS) {
            sb.append(String.format(Locale.ROOT, "  %-30s %-20s %s%n", s[0], s[1], s[2]));
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
        return "ServerConfig[http=" + httpHost + ":" + httpPort + ", udpPort=" + bridge.udpPort() + ", bind="
                + bridge.bindAddresses() + ", allowed=" + bridge.allowedNetworks() + ", mediaThreads="
                + bridge.mediaThreads() + "]";
    }
}
