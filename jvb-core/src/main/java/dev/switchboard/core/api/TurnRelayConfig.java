package dev.switchboard.core.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A TURN server (RFC 8656, over UDP) on which the bridge allocates a relay candidate for every endpoint, for
 * clients that cannot reach the bridge's own addresses but can reach the TURN server. A mode, off by default:
 * each endpoint then costs one more UDP socket, a TURN allocation kept alive by refreshes, and a few threads.
 * Credentials are either a fixed long-term username and password, or coturn's {@code static-auth-secret} from
 * which the bridge computes ephemeral TURN REST credentials itself (username {@code <expiry>:switchboard},
 * password base64(HMAC-SHA1(secret, username))).
 *
 * @param host               the TURN server's IP address (a literal: no DNS lookup on the media path)
 * @param port               its UDP port (usually 3478)
 * @param username           long-term username, or null with {@code sharedSecret}
 * @param password           long-term password, or null with {@code sharedSecret}
 * @param sharedSecret       coturn {@code static-auth-secret}, or null with a username and password
 * @param credentialLifetime lifetime of credentials computed from the shared secret
 */
public record TurnRelayConfig(String host, int port, String username, String password, String sharedSecret,
        Duration credentialLifetime) {
    public TurnRelayConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentialLifetime, "credentialLifetime");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TURN port out of range: " + port);
        }
        if ((sharedSecret == null) == (username == null || password == null)) {
            throw new IllegalArgumentException("a TURN relay needs a username and password, or a shared secret");
        }
        if (credentialLifetime.isNegative() || credentialLifetime.isZero()) {
            throw new IllegalArgumentException("credentialLifetime must be positive");
        }
    }

    /** With a fixed long-term username and password. */
    public static TurnRelayConfig withPassword(String host, int port, String username, String password) {
        return new TurnRelayConfig(host, port, username, password, null, Duration.ofDays(1));
    }

    /** With coturn's {@code static-auth-secret}: ephemeral credentials valid for one day. */
    public static TurnRelayConfig withSharedSecret(String host, int port, String sharedSecret) {
        return new TurnRelayConfig(host, port, null, null, sharedSecret, Duration.ofDays(1));
    }

    /** Leaves the password and secret out (logs). */
    @Override
    public String toString() {
        return "TurnRelayConfig[" + host + ":" + port + (sharedSecret != null ? ", shared secret"
                : ", username=" + username + ", password=***") + "]";
    }
}
