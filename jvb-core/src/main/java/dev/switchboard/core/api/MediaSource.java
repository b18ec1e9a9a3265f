package dev.switchboard.core.api;

import java.util.List;
import java.util.Objects;

/**
 * One stream an endpoint sends: its kind and the SSRCs it uses (the first is the primary SSRC; others are
 * e.g. RTX or FEC SSRCs of the same source), or, for a simulcast video source, its layers ({@code ssrcs} is
 * then empty: the bridge learns the layers' SSRCs from the packets).
 *
 * @param kind      audio or video
 * @param ssrcs     the signaled SSRCs; empty only for a simulcast source
 * @param simulcast the simulcast layers, or null for a single-stream source
 */
public record MediaSource(MediaKind kind, List<Long> ssrcs, Simulcast simulcast) {
    public MediaSource {
        Objects.requireNonNull(kind, "kind");
        ssrcs = List.copyOf(ssrcs);
        if (simulcast != null && kind != MediaKind.VIDEO) {
            throw new IllegalArgumentException("only video can be simulcast");
        }
        if (simulcast != null && !ssrcs.isEmpty()) {
            throw new IllegalArgumentException("a simulcast source's SSRCs are learned from its packets");
        }
        if (ssrcs.isEmpty() && simulcast == null) {
            throw new IllegalArgumentException("a media source needs at least one SSRC");
        }
        for (long ssrc : ssrcs) {
            if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("SSRC out of range: " + ssrc);
            }
        }
    }

    /** A single-stream source. */
    public MediaSource(MediaKind kind, List<Long> ssrcs) {
        this(kind, ssrcs, null);
    }

    /** A simulcast video source. */
    public static MediaSource simulcast(Simulcast layers) {
        return new MediaSource(MediaKind.VIDEO, List.of(), Objects.requireNonNull(layers, "layers"));
    }

    public boolean isSimulcast() {
        return simulcast != null;
    }

    /** The primary SSRC; -1 for a simulcast source (each layer is its own primary SSRC). */
    public long primarySsrc() {
        return ssrcs.isEmpty() ? -1 : ssrcs.get(0);
    }
}
