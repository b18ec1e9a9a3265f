package dev.switchboard.core.transport.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.api.TurnRelayConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bridge's own TURN credentials (TURN REST scheme, as coturn's use-auth-secret checks them). */
class TurnRelayCredentialsTest {
    @Test
    void restCredentialsFromTheSharedSecret() {
        // Known answer: printf '1700086400:switchboard' | openssl dgst -sha1 -hmac north-wind -binary | base64
        TurnRelayConfig config = TurnRelayConfig.withSharedSecret("192.0.2.7", 3478, "north-wind");
        assertArrayEquals(new String[] {"1700086400:switchboard", "F3sQUgTZtGpKaX7fsKD3dkb0iO8="},
                TurnRelay.credentials(config, Instant.ofEpochSecond(1_700_000_000L)));
    }

    @Test
    void fixedCredentialsAreUsedAsGiven() {
        assertArrayEquals(new String[] {"bridge", "pw"}, TurnRelay.credentials(
                TurnRelayConfig.withPassword("192.0.2.7", 3478, "bridge", "pw"), Instant.EPOCH));
    }

    @Test
    void aRelayNeedsExactlyOneKindOfCredentials() {
        assertThrows(IllegalArgumentException.class,
                () -> new TurnRelayConfig("192.0.2.7", 3478, null, null, null, Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new TurnRelayConfig("192.0.2.7", 3478, "u", "p", "s", Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class,
                () -> TurnRelayConfig.withSharedSecret("192.0.2.7", 0, "s"));
    }
}
