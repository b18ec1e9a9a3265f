package dev.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void defaultsWhenNothingIsSet() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(), new String[0]);
        assertEquals("127.0.0.1", config.httpHost());
        assertEquals(8080, config.httpPort());
        BridgeConfig defaults = BridgeConfig.loopbackDefaults();
        assertEquals(defaults, config.bridge());
        assertEquals(ServerConfig.defaults(), config);
    }

    @Test
    void readsEnvironmentVariables() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(
                "SWITCHBOARD_HTTP_HOST", "0.0.0.0",
                "SWITCHBOARD_HTTP_PORT", "9090",
                "SWITCHBOARD_UDP_PORT", "0",
                "SWITCHBOARD_BIND_ADDRESSES", "127.0.0.1, 192.0.2.10",
                "SWITCHBOARD_ALLOWED_NETWORKS", "127.0.0.0/8,192.0.2.0/24,::1/128",
                "SWITCHBOARD_MEDIA_THREADS", "3",
                "UNRELATED", "x"), new String[0]);
        assertEquals("0.0.0.0", config.httpHost());
        assertEquals(9090, config.httpPort());
        assertEquals(0, config.bridge().udpPort());
        assertEquals(List.of("127.0.0.1", "192.0.2.10"), config.bridge().bindAddresses());
        assertEquals(List.of("127.0.0.0/8", "192.0.2.0/24", "::1/128"), config.bridge().allowedNetworks());
        assertEquals(3, config.bridge().mediaThreads());
    }

    @Test
    void argumentsOverrideTheEnvironment() {
        ServerConfig config = ServerConfig.fromEnvironment(
                Map.of("SWITCHBOARD_HTTP_PORT", "9090", "SWITCHBOARD_MEDIA_THREADS", "3"),
                new String[] {"--http-port=0", "--udp-port=20000", "--bind-addresses=::1", "--media-threads=1",
                    "--allowed-networks=0.0.0.0/0", "--http-host=::"});
        assertEquals(0, config.httpPort());
        assertEquals(20000, config.bridge().udpPort());
        assertEquals(List.of("::1"), config.bridge().bindAddresses());
        assertEquals(List.of("0.0.0.0/0"), config.bridge().allowedNetworks());
        assertEquals(1, config.bridge().mediaThreads());
        assertEquals("::", config.httpHost());
    }

    @Test
    void invalidValuesNameTheSetting() {
        assertMessage(Map.of("SWITCHBOARD_HTTP_PORT", "http"), new String[0], "SWITCHBOARD_HTTP_PORT");
        assertMessage(Map.of("SWITCHBOARD_UDP_PORT", "70000"), new String[0], "SWITCHBOARD_UDP_PORT");
        assertMessage(Map.of("SWITCHBOARD_MEDIA_THREADS", "0"), new String[0], "SWITCHBOARD_MEDIA_THREADS");
        assertMessage(Map.of("SWITCHBOARD_BIND_ADDRESSES", "localhost"), new String[0], "not an IP address");
        assertMessage(Map.of("SWITCHBOARD_BIND_ADDRESSES", "999.1.1.1"), new String[0], "not an IP address");
        assertMessage(Map.of("SWITCHBOARD_ALLOWED_NETWORKS", "10.0.0.0"), new String[0], "CIDR");
        assertMessage(Map.of("SWITCHBOARD_ALLOWED_NETWORKS", "10.0.0.0/33"), new String[0], "CIDR");
        assertMessage(Map.of("SWITCHBOARD_ALLOWED_NETWORKS", " , "), new String[0], "empty list");
        assertMessage(Map.of(), new String[] {"--nope=1"}, "unknown option '--nope'");
        assertMessage(Map.of(), new String[] {"--http-port"}, "needs a value");
    }

    @Test
    void usageListsEverySetting() {
        String usage = ServerConfig.usage();
        for (String key : List.of("SWITCHBOARD_HTTP_HOST", "SWITCHBOARD_HTTP_PORT", "SWITCHBOARD_UDP_PORT",
                "SWITCHBOARD_BIND_ADDRESSES", "SWITCHBOARD_ALLOWED_NETWORKS", "SWITCHBOARD_MEDIA_THREADS",
                "--http-host", "--media-threads")) {
            assertTrue(usage.contains(key), key);
        }
    }

    private static void assertMessage(Map<String, String> env, String[] args, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(env, args));
        assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " should contain " + fragment);
    }
}
