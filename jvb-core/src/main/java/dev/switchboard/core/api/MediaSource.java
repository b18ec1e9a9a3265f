package dev.switchboard.core.api;

import java.util.List;
import java.util.Objects;

/**
 * One stream an endpoint sends: its kind and the SSRCs it uses (the first is the primary SSRC; others are
 * e.g. FEC SSRCs of the same source), or, for a simulcast video source, its layers ({@code ssrcs} is then empty:
 * the bridge learns the layers' SSRCs from the packets).
 *
 * <p>A single-stream video source may have RTX streams (RFC 4588) on both sides of the bridge:
 * {@code rtxSsrc} is the sender's own (its {@code a=ssrc-group:FID primary rtx}; the bridge turns its packets
 * back into the originals), {@code rtxOutputSsrc} the one the bridge retransmits the source on to receivers that
 * negotiated RTX (announced to them in {@code a=ssrc-group:FID primary rtxOutputSsrc}; each receiver gets its
 * own sequence numbers on it). A simulcast source has its output RTX SSRC in {@link Simulcast#rtxOutputSsrc}
 * and its layers' RTX SSRCs are learned from the packets.
 *
 * @param kind          audio or video
 * @param ssrcs         the signaled SSRCs; empty only for a simulcast source
 * @param simulcast     the simulcast layers, or null for a single-stream source
 * @param rtxSsrc       the SSRC of the sender's RTX stream repairing the primary SSRC, or -1 (single-stream
 *                      video only; not one of {@code ssrcs})
 * @param rtxOutputSsrc the SSRC of the bridge's RTX stream of this source toward receivers, or -1: plain
 *                      retransmissions (single-stream video only)
 */
public record MediaSource(MediaKind kind, List<Long> ssrcs, Simulcast simulcast, long rtxSsrc, long rtxOutputSsrc) {
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
            checkSsrc(ssrc);
        }
        for (long rtx : new long[] {rtxSsrc, rtxOutputSsrc}) {
            if (rtx == -1) {
                continue;
            }
            checkSsrc(rtx);
            if (kind != MediaKind.VIDEO || simulcast != null) {
                throw new IllegalArgumentException("only single-stream video has RTX SSRCs here: " + rtx);
            }
            if (ssrcs.contains(rtx)) {
                throw new IllegalArgumentException("an RTX SSRC must differ from the source's SSRCs: " + rtx);
            }
        }
        if (rtxSsrc != -1 && rtxSsrc == rtxOutputSsrc) {
            throw new IllegalArgumentException("the bridge's RTX SSRC must differ from the sender's: " + rtxSsrc);
        }
    }

    /** A single-stream source without RTX. */
    public MediaSource(MediaKind kind, List<Long> ssrcs) {
        this(kind, ssrcs, null, -1, -1);
    }

    /** A single-stream video source with RTX streams (either may be -1). */
    public static MediaSource video(long primarySsrc, long rtxSsrc, long rtxOutputSsrc) {
        return new MediaSource(MediaKind.VIDEO, List.of(primarySsrc), null, rtxSsrc, rtxOutputSsrc);
    }

    /** A simulcast video source. */
    public static MediaSource simulcast(Simulcast layers) {
        return new MediaSource(MediaKind.VIDEO, List.of(), Objects.requireNonNull(layers, "layers"), -1, -1);
    }

    public boolean isSimulcast() {
        return simulcast != null;
    }

    /** The primary SSRC; -1 for a simulcast source (each layer is its own primary SSRC). */
    public long primarySsrc() {
        return ssrcs.isEmpty() ? -1 : ssrcs.get(0);
    }

    private static void checkSsrc(long ssrc) {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC out of range: " + ssrc);
        }
    }
}
