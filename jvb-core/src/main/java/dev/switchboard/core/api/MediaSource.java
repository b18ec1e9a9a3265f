package dev.switchboard.core.api;

import java.util.List;
import java.util.Objects;

/**
 * One stream an endpoint sends: its kind and the SSRCs it uses (the first is the primary SSRC; others are
 * e.g. RTX or FEC SSRCs of the same source).
 */
public record MediaSource(MediaKind kind, List<Long> ssrcs) {
    public MediaSource {
        Objects.requireNonNull(kind, "kind");
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.isEmpty()) {
            throw new IllegalArgumentException("a media source needs at least one SSRC");
        }
        for (long ssrc : ssrcs) {
            if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("SSRC out of range: " + ssrc);
            }
        }
    }

    public long primarySsrc() {
        return ssrcs.get(0);
    }
}
