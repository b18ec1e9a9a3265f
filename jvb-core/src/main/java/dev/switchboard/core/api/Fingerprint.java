package dev.switchboard.core.api;

import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint (RFC 8122): hash function name such as {@code sha-256} and the digest as
 * upper-case hex bytes separated by colons.
 */
public record Fingerprint(String algorithm, String value) {
    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
    }
}
