package dev.switchboard.signaling.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.protocol.ServerMessage.IceServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TURN REST credentials. Expected values were computed independently with OpenSSL, e.g.
 * {@code echo -n "1700086400:q3XbT0aLmZ" | openssl dgst -sha1 -hmac north-wind -binary | base64}.
 */
class IceServersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    private static final List<String> STUN = List.of("stun:turn.example.org:3478");
    private static final List<String> TURN = List.of("turn:turn.example.org:3478?transport=udp",
            "turn:turn.example.org:3478?transport=tcp", "turns:turn.example.org:5349?transport=tcp");

    @Test
    void credentialIsBase64OfHmacSha1OfTheUsername() {
        assertEquals("sbYRbRhfJYV4LKMp7D7nJFTNyiQ=", IceServers.credential("north-wind", "1700086400:q3XbT0aLmZ"));
        assertEquals("1IokRI7yUQ1WPvxcOyPGnACPPSk=", IceServers.credential("s3cr3t", "1700000060:abc"));
        // the secret is used as UTF-8 bytes
        assertEquals("OzsBU52kOrnhdPMZTkBfgP4Xi24=", IceServers.credential("\u00e9", "1:x"));
    }

    @Test
    void stunThenTurnWithAnExpiringUsernamePerEndpoint() {
        IceServers servers = new IceServers(new IceServersConfig(STUN, TURN, "north-wind", Duration.ofDays(1)), CLOCK);

        List<IceServer> alice = servers.forEndpoint("q3XbT0aLmZ");
        assertEquals(List.of(new IceServer(STUN, null, null),
                new IceServer(TURN, "1700086400:q3XbT0aLmZ", "sbYRbRhfJYV4LKMp7D7nJFTNyiQ=")), alice);

        List<IceServer> bob = servers.forEndpoint("Zr81kQw2Pc");
        assertEquals("1700086400:Zr81kQw2Pc", bob.get(1).username());
        assertEquals("0qgH7bXhgO+ciDZi+aeDGSmAQKQ=", bob.get(1).credential());
    }

    @Test
    void theExpiryFollowsTheClockAndTheTtl() {
        IceServersConfig config = new IceServersConfig(List.of(), TURN, "s3cr3t", Duration.ofSeconds(60));
        List<IceServer> list = new IceServers(config, CLOCK).forEndpoint("abc");
        assertEquals(1, list.size(), "no STUN entry when no STUN URL is configured");
        assertEquals("1700000060:abc", list.get(0).username());
        assertEquals("1IokRI7yUQ1WPvxcOyPGnACPPSk=", list.get(0).credential());

        Clock later = Clock.offset(CLOCK, Duration.ofSeconds(3600));
        assertEquals("1700003660:abc", new IceServers(config, later).forEndpoint("abc").get(0).username());
    }

    @Test
    void nothingConfiguredGivesAnEmptyList() {
        assertEquals(List.of(), new IceServers(IceServersConfig.none(), CLOCK).forEndpoint("abc"));
        List<IceServer> stunOnly = new IceServers(
                new IceServersConfig(STUN, List.of(), null, Duration.ofDays(1)), CLOCK).forEndpoint("abc");
        assertEquals(List.of(new IceServer(STUN, null, null)), stunOnly);
    }

    @Test
    void jsonFormIsWhatRtcPeerConnectionTakes() {
        IceServers servers = new IceServers(new IceServersConfig(STUN, TURN, "north-wind", Duration.ofDays(1)), CLOCK);
        String json = new ServerMessage.Joined("q3XbT0aLmZ", "r", List.of(), servers.forEndpoint("q3XbT0aLmZ"))
                .toJson().encode();
        assertEquals("{\"type\":\"joined\",\"endpointId\":\"q3XbT0aLmZ\",\"room\":\"r\",\"participants\":[],"
                + "\"iceServers\":[{\"urls\":[\"stun:turn.example.org:3478\"]},"
                + "{\"urls\":[\"turn:turn.example.org:3478?transport=udp\",\"turn:turn.example.org:3478?transport=tcp\","
                + "\"turns:turn.example.org:5349?transport=tcp\"],\"username\":\"1700086400:q3XbT0aLmZ\","
                + "\"credential\":\"sbYRbRhfJYV4LKMp7D7nJFTNyiQ=\"}]}", json);
    }

    @Test
    void configIsValidated() {
        Duration day = Duration.ofDays(1);
        assertThrows(IllegalArgumentException.class, () -> new IceServersConfig(List.of(), TURN, null, day));
        assertThrows(IllegalArgumentException.class, () -> new IceServersConfig(List.of(), TURN, "", day));
        assertThrows(IllegalArgumentException.class, () -> new IceServersConfig(List.of(), List.of(), "s", day));
        assertThrows(IllegalArgumentException.class, () -> new IceServersConfig(List.of("turn:x"), List.of(), null, day));
        assertThrows(IllegalArgumentException.class, () -> new IceServersConfig(List.of(), List.of("stun:x"), "s", day));
        assertThrows(IllegalArgumentException.class, () -> new IceServersConfig(List.of(), List.of("turn:"), "s", day));
        assertThrows(IllegalArgumentException.class,
                () -> new IceServersConfig(List.of(), List.of("turn:a b"), "s", day));
        assertThrows(IllegalArgumentException.class, () -> new IceServersConfig(List.of(), TURN, "s", Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new IceServersConfig(List.of(), TURN, "s", Duration.ofDays(366)));
        assertTrue(new IceServersConfig(List.of("STUNS:x:5349"), List.of("TURNS:x"), "s", day).hasTurn());
        assertFalse(IceServersConfig.none().hasTurn());
    }

    @Test
    void theSecretNeverAppearsInToString() {
        IceServersConfig config = new IceServersConfig(STUN, TURN, "north-wind", Duration.ofDays(1));
        assertFalse(config.toString().contains("north-wind"), config.toString());
        IceServer turn = new IceServers(config, CLOCK).forEndpoint("q3XbT0aLmZ").get(1);
        assertFalse(turn.toString().contains(turn.credential()), turn.toString());
        assertNull(new IceServer(STUN, null, null).username());
    }
}
