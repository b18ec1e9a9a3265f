package dev.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.DtlsCertificateFiles;
import dev.switchboard.core.api.FaultInjectionConfig;
import dev.switchboard.signaling.ice.IceServersConfig;
import java.nio.file.Path;
import java.time.Duration;
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
                "SWITCHBOARD_STUN_URLS", "SWITCHBOARD_TURN_URLS", "SWITCHBOARD_TURN_SECRET", "SWITCHBOARD_TURN_TTL",
                "--http-host", "--media-threads")) {
            assertTrue(usage.contains(key), key);
        }
    }

    @Test
    void readsTheIceTcpPort() {
        assertEquals(BridgeConfig.DEFAULT_TCP_PORT, ServerConfig.defaults().bridge().tcpPort());
        assertEquals(4443, ServerConfig.fromEnvironment(Map.of(), new String[0]).bridge().tcpPort());
        assertTrue(ServerConfig.defaults().bridge().tcpEnabled());
        ServerConfig env = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_TCP_PORT", "443"), new String[0]);
        assertEquals(443, env.bridge().tcpPort());
        ServerConfig arg = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_TCP_PORT", "443"),
                new String[] {"--tcp-port=0"});
        assertEquals(0, arg.bridge().tcpPort(), "0 = any free port");
        for (String off : List.of("-1", "off", "OFF")) {
            BridgeConfig bridge = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_TCP_PORT", off), new String[0])
                    .bridge();
            assertFalse(bridge.tcpEnabled(), off);
            assertEquals(BridgeConfig.TCP_DISABLED, bridge.tcpPort());
        }
        assertTrue(arg.toString().contains("tcpPort=0"), arg.toString());
        assertMessage(Map.of("SWITCHBOARD_TCP_PORT", "65536"), new String[0], "SWITCHBOARD_TCP_PORT");
        assertMessage(Map.of("SWITCHBOARD_TCP_PORT", "tcp"), new String[0], "SWITCHBOARD_TCP_PORT");
        assertTrue(ServerConfig.usage().contains("--tcp-port"));
        // the core API: constructors without the TCP port keep ICE-TCP off, negative values mean off
        assertFalse(BridgeConfig.builder().tcpPort(BridgeConfig.TCP_DISABLED).build().tcpEnabled());
        assertEquals(BridgeConfig.TCP_DISABLED, BridgeConfig.loopbackDefaults().withTcpPort(-5).tcpPort());
    }

    @Test
    void readsStunAndTurnSettings() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(
                "SWITCHBOARD_STUN_URLS", "stun:turn.example.org:3478",
                "SWITCHBOARD_TURN_URLS", "turn:turn.example.org:3478?transport=udp, turn:turn.example.org:3478?transport=tcp,"
                        + "turns:turn.example.org:5349",
                "SWITCHBOARD_TURN_SECRET", "north-wind"), new String[0]);
        IceServersConfig ice = config.iceServers();
        assertEquals(List.of("stun:turn.example.org:3478"), ice.stunUrls());
        assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turn:turn.example.org:3478?transport=tcp",
                "turns:turn.example.org:5349"), ice.turnUrls());
        assertEquals("north-wind", ice.turnSecret());
        assertEquals(Duration.ofSeconds(86400), ice.turnTtl());
        assertFalse(config.toString().contains("north-wind"), config.toString());

        ServerConfig overridden = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_TURN_SECRET", "env-secret",
                "SWITCHBOARD_TURN_URLS", "turn:a:3478"), new String[] {"--turn-secret=arg-secret", "--turn-ttl=600",
                    "--stun-urls=stun:b:3478,stuns:b:5349"});
        assertEquals("arg-secret", overridden.iceServers().turnSecret());
        assertEquals(Duration.ofMinutes(10), overridden.iceServers().turnTtl());
        assertEquals(List.of("stun:b:3478", "stuns:b:5349"), overridden.iceServers().stunUrls());
        assertEquals(IceServersConfig.none(), ServerConfig.defaults().iceServers());
    }

    @Test
    void invalidStunAndTurnSettingsNameTheSetting() {
        assertMessage(Map.of("SWITCHBOARD_TURN_URLS", "turn:a:3478"), new String[0], "SWITCHBOARD_TURN_SECRET");
        assertMessage(Map.of("SWITCHBOARD_TURN_SECRET", "s"), new String[0], "SWITCHBOARD_TURN_URLS");
        assertMessage(Map.of("SWITCHBOARD_TURN_URLS", "http://a", "SWITCHBOARD_TURN_SECRET", "s"), new String[0],
                "SWITCHBOARD_TURN_URLS: 'http://a' is not a TURN URL");
        assertMessage(Map.of("SWITCHBOARD_STUN_URLS", "turn:a"), new String[0],
                "SWITCHBOARD_STUN_URLS: 'turn:a' is not a STUN URL");
        assertMessage(Map.of("SWITCHBOARD_TURN_TTL", "0"), new String[0], "SWITCHBOARD_TURN_TTL");
        assertMessage(Map.of("SWITCHBOARD_TURN_TTL", "day"), new String[0], "SWITCHBOARD_TURN_TTL");
    }

    @Test
    void readsFaultInjectionSettings() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_FAULT_DROP_IN_PERCENT", "5",
                "SWITCHBOARD_FAULT_DROP_OUT_PERCENT", "2.5", "SWITCHBOARD_FAULT_SEED", "42"), new String[0]);
        assertEquals(new FaultInjectionConfig(5, 2.5, 42), config.bridge().faultInjection());
        assertTrue(config.toString().contains("FAULT INJECTION"), config.toString());

        ServerConfig args = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_FAULT_DROP_IN_PERCENT", "5"),
                new String[] {"--fault-drop-in-percent=0.5", "--fault-drop-out-percent=100", "--fault-seed=-7"});
        assertEquals(new FaultInjectionConfig(0.5, 100, -7), args.bridge().faultInjection());

        // without a seed, each start draws one (the bridge logs it)
        FaultInjectionConfig unseeded = ServerConfig.fromEnvironment(
                Map.of("SWITCHBOARD_FAULT_DROP_OUT_PERCENT", "1"), new String[0]).bridge().faultInjection();
        assertEquals(0, unseeded.dropIncomingPercent());
        assertEquals(1, unseeded.dropOutgoingPercent());
        assertTrue(unseeded.enabled());

        assertEquals(FaultInjectionConfig.NONE, ServerConfig.defaults().bridge().faultInjection());
        assertEquals(FaultInjectionConfig.NONE, ServerConfig.fromEnvironment(
                Map.of("SWITCHBOARD_FAULT_DROP_IN_PERCENT", "0"), new String[0]).bridge().faultInjection());
        assertFalse(ServerConfig.defaults().toString().contains("FAULT"));
        for (String key : List.of("SWITCHBOARD_FAULT_DROP_IN_PERCENT", "--fault-drop-out-percent", "--fault-seed")) {
            assertTrue(ServerConfig.usage().contains(key), key);
        }
    }

    @Test
    void invalidFaultInjectionSettingsNameTheSetting() {
        assertMessage(Map.of("SWITCHBOARD_FAULT_DROP_IN_PERCENT", "-1"), new String[0],
                "SWITCHBOARD_FAULT_DROP_IN_PERCENT: -1 is not in 0..100");
        assertMessage(Map.of("SWITCHBOARD_FAULT_DROP_OUT_PERCENT", "100.1"), new String[0],
                "SWITCHBOARD_FAULT_DROP_OUT_PERCENT");
        assertMessage(Map.of("SWITCHBOARD_FAULT_DROP_OUT_PERCENT", "NaN"), new String[0],
                "SWITCHBOARD_FAULT_DROP_OUT_PERCENT");
        assertMessage(Map.of(), new String[] {"--fault-drop-in-percent=5%"}, "SWITCHBOARD_FAULT_DROP_IN_PERCENT: '5%'");
        assertMessage(Map.of("SWITCHBOARD_FAULT_SEED", "x"), new String[0], "SWITCHBOARD_FAULT_SEED");
    }

    @Test
    void readsTheDtlsCertificateFilesOnlyAsAPair() {
        assertNull(ServerConfig.fromEnvironment(Map.of(), new String[0]).bridge().dtlsCertificateFiles(),
                "generated at start-up by default");
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_DTLS_CERTIFICATE", "/etc/sb/cert.pem"),
                new String[] {"--dtls-private-key=/etc/sb/key.pem"});
        assertEquals(new DtlsCertificateFiles(Path.of("/etc/sb/cert.pem"), Path.of("/etc/sb/key.pem")),
                config.bridge().dtlsCertificateFiles());
        assertMessage(Map.of("SWITCHBOARD_DTLS_CERTIFICATE", "/etc/sb/cert.pem"), new String[0], "set together");
        assertMessage(Map.of(), new String[] {"--dtls-private-key=/k.pem"}, "set together");
    }

    @Test
    void readsTheReconnectGracePeriod() {
        assertEquals(java.time.Duration.ofSeconds(5),
                ServerConfig.fromEnvironment(Map.of(), new String[0]).reconnectGrace());
        assertEquals(java.time.Duration.ofMillis(2500), ServerConfig.fromEnvironment(
                Map.of("SWITCHBOARD_RECONNECT_GRACE", "2.5"), new String[0]).reconnectGrace());
        assertEquals(java.time.Duration.ZERO, ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_RECONNECT_GRACE", "9"),
                new String[] {"--reconnect-grace=0"}).reconnectGrace());
        assertMessage(Map.of("SWITCHBOARD_RECONNECT_GRACE", "-1"), new String[0], "SWITCHBOARD_RECONNECT_GRACE");
        assertMessage(Map.of("SWITCHBOARD_RECONNECT_GRACE", "301"), new String[0], "0..300");
        assertMessage(Map.of("SWITCHBOARD_RECONNECT_GRACE", "soon"), new String[0], "not a number");
    }

    @Test
    void readsTheConsentTimeout() {
        assertEquals(java.time.Duration.ofSeconds(30),
                ServerConfig.fromEnvironment(Map.of(), new String[0]).bridge().consentTimeout());
        assertEquals(java.time.Duration.ofMillis(7500), ServerConfig.fromEnvironment(
                Map.of("SWITCHBOARD_CONSENT_TIMEOUT", "7.5"), new String[0]).bridge().consentTimeout());
        assertFalse(ServerConfig.fromEnvironment(Map.of(), new String[] {"--consent-timeout=0"}).bridge()
                .consentEnabled());
        assertMessage(Map.of("SWITCHBOARD_CONSENT_TIMEOUT", "0.5"), new String[0], "at least 1 second");
        assertMessage(Map.of("SWITCHBOARD_CONSENT_TIMEOUT", "x"), new String[0], "SWITCHBOARD_CONSENT_TIMEOUT");
    }

    @Test
    void readsTheBridgeTurnServer() {
        assertNull(ServerConfig.fromEnvironment(Map.of(), new String[0]).bridge().turnRelay(), "off by default");
        var secret = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_BRIDGE_TURN_SERVER", "192.0.2.7:3478",
                "SWITCHBOARD_BRIDGE_TURN_SECRET", "s3cret"), new String[0]).bridge().turnRelay();
        assertEquals("192.0.2.7", secret.host());
        assertEquals(3478, secret.port());
        assertEquals("s3cret", secret.sharedSecret());
        assertFalse(secret.toString().contains("s3cret"), secret.toString());
        var fixed = ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_BRIDGE_TURN_SERVER", "192.0.2.7:3479",
                "SWITCHBOARD_BRIDGE_TURN_USERNAME", "bridge", "SWITCHBOARD_BRIDGE_TURN_PASSWORD", "pw"),
                new String[0]).bridge().turnRelay();
        assertEquals("bridge", fixed.username());
        assertEquals("pw", fixed.password());
        assertFalse(fixed.toString().contains("pw"), fixed.toString());
        assertMessage(Map.of("SWITCHBOARD_BRIDGE_TURN_SERVER", "turn.example.org:3478",
                "SWITCHBOARD_BRIDGE_TURN_SECRET", "s"), new String[0], "not IP:PORT");
        assertMessage(Map.of("SWITCHBOARD_BRIDGE_TURN_SERVER", "192.0.2.7:3478"), new String[0],
                "needs SWITCHBOARD_BRIDGE_TURN_SECRET");
        assertMessage(Map.of("SWITCHBOARD_BRIDGE_TURN_SECRET", "s"), new String[0],
                "need SWITCHBOARD_BRIDGE_TURN_SERVER");
    }

    private static void assertMessage(Map<String, String> env, String[] args, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(env, args));
        assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " should contain " + fragment);
    }

    @Test
    void readsTheVideoCodecPreference() {
        assertTrue(ServerConfig.fromEnvironment(Map.of(), new String[0]).videoCodecs().offerOrder(),
                "by default each offer's order");
        assertEquals(List.of("h264", "vp8"), ServerConfig.fromEnvironment(
                Map.of("SWITCHBOARD_VIDEO_CODECS", "h264,vp8"), new String[0]).videoCodecs().codecs());
        assertEquals(List.of("vp8"), ServerConfig.fromEnvironment(Map.of("SWITCHBOARD_VIDEO_CODECS", "h264"),
                new String[] {"--video-codecs=vp8"}).videoCodecs().codecs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnvironment(
                Map.of("SWITCHBOARD_VIDEO_CODECS", "h265"), new String[0]));
        assertTrue(e.getMessage().contains("SWITCHBOARD_VIDEO_CODECS"), e.getMessage());
    }
}
