package dev.switchboard.core.api;

import java.util.Objects;

/** ICE username fragment and password of one side (RFC 8445 section 5.3). */
public record IceParameters(String ufrag, String password) {
    public IceParameters {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
    }
}
