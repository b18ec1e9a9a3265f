package dev.switchboard.signaling.ice;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The STUN and TURN servers the web client is told to use ({@code iceServers} of the {@code joined} message).
 *
 * <p>TURN uses the "REST API" ephemeral credentials of coturn's {@code use-auth-secret} mode: Switchboard and
 * the TURN server share {@code turnSecret}; each participant gets the username
 * {@code <expiry-unix-time>:<endpointId>} and the password base64(HMAC-SHA1(secret, username)), valid for
 * {@code turnTtl}. See {@link IceServers}.
 *
 * @param stunUrls   {@code stun:}/{@code stuns:} URLs, given to the browser without credentials (may be empty)
 * @param turnUrls   {@code turn:}/{@code turns:} URLs, given with credentials (may be empty)
 * @param turnSecret the shared secret; required when {@code turnUrls} is not empty, null otherwise
 * @param turnTtl    how long a credential stays valid (positive)
 */
public record IceServersConfig(List<String> stunUrls, List<String> turnUrls, String turnSecret, Duration turnTtl) {
    public static final Duration DEFAULT_TURN_TTL = Duration.ofDays(1);
    /** Longest accepted credential lifetime (one year). */
    public static final Duration MAX_TURN_TTL = Duration.ofDays(365);

    public IceServersConfig {
        stunUrls = List.copyOf(Objects.requireNonNull(stunUrls, "stunUrls"));
        turnUrls = List.copyOf(Objects.requireNonNull(turnUrls, "turnUrls"));
        Objects.requireNonNull(turnTtl, "turnTtl");
        checkUrls(stunUrls, false);
        checkUrls(turnUrls, true);
        if (turnTtl.isNegative() || turnTtl.isZero() || turnTtl.compareTo(MAX_TURN_TTL) > 0) {
            throw new IllegalArgumentException("TURN credential lifetime must be 1 s to " + MAX_TURN_TTL.toDays()
                    + " days, not " + turnTtl.toSeconds() + " s");
        }
        if (turnSecret != null && turnSecret.isEmpty()) {
            turnSecret = null;
        }
        if (!turnUrls.isEmpty() && turnSecret == null) {
            throw new IllegalArgumentException("TURN URLs need the TURN shared secret (SWITCHBOARD_TURN_SECRET)");
        }
        if (turnUrls.isEmpty() && turnSecret != null) {
            throw new IllegalArgumentException(
                    "a TURN secret is set but no TURN URL (SWITCHBOARD_TURN_URLS) to use it with");
        }
    }

    /** No STUN or TURN server: browsers use their host candidates only (fine on a LAN or localhost). */
    public static IceServersConfig none() {
        return new IceServersConfig(List.of(), List.of(), null, DEFAULT_TURN_TTL);
    }

    public boolean hasTurn() {
        return !turnUrls.isEmpty();
    }

    public boolean isEmpty() {
        return stunUrls.isEmpty() && turnUrls.isEmpty();
    }

    /**
     * Checks that each URL has the scheme {@code stun:}/{@code stuns:} (or {@code turn:}/{@code turns:} when
     * {@code turn}) followed by something, and no blank or control character.
     *
     * @throws IllegalArgumentException naming the first bad URL
     */
    public static void checkUrls(List<String> urls, boolean turn) {
        for (String url : urls) {
            if (turn) {
                requireScheme(url, "TURN", "turn:", "turns:");
            } else {
                requireScheme(url, "STUN", "stun:", "stuns:");
            }
        }
    }

    private static void requireScheme(String url, String what, String... schemes) {
        Objects.requireNonNull(url, what + " URL");
        String lower = url.toLowerCase(Locale.ROOT);
        boolean ok = false;
        for (String scheme : schemes) {
            ok |= lower.startsWith(scheme) && lower.length() > scheme.length();
        }
        if (!ok || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("'" + url + "' is not a " + what + " URL (" + String.join(" or ",
                    schemes) + "host[:port]" + ("TURN".equals(what) ? "[?transport=udp|tcp]" : "") + ")");
        }
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "IceServersConfig[stun=" + stunUrls + ", turn=" + turnUrls + ", secret="
                + (turnSecret == null ? "none" : "set") + ", ttl=" + turnTtl.toSeconds() + "s]";
    }
}
