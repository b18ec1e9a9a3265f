package dev.switchboard.signaling.sdp;

import java.util.List;
import dev.switchboard.core.api.MediaKind;

/**
 * What one media section of an offer asks for, as far as the bridge is concerned.
 *
 * @param index        position of the section in the offer (0-based)
 * @param mid          its {@code a=mid}, or null (only possible for a rejected section)
 * @param kind         audio or video; null for other media (e.g. {@code application})
 * @param direction    the offered direction
 * @param rejected     true when the answer must reject it (port 0): stopped in the offer, or not something the
 *                     bridge can carry
 * @param rejectReason why it is rejected, null otherwise
 * @param ssrc         primary SSRC the participant sends on it (first {@code a=ssrc} that is not the second
 *                     member of an {@code a=ssrc-group}, e.g. the RTX SSRC of a FID group), or -1
 * @param cname        the CNAME of that SSRC, or null
 * @param rids         the simulcast layers the participant offers to send on it ({@code a=simulcast:send} with
 *                     {@code a=rid:<id> send}), lowest first as listed; empty when it does not simulcast (or the
 *                     bridge cannot take it: not video, no VP8, malformed)
 * @param rtxSsrc      the SSRC of the RTX stream (RFC 4588) repairing it: the second member of the offer's
 *                     {@code a=ssrc-group:FID <ssrc> <rtx>}, or -1
 */
public record OfferedMedia(
        int index,
        String mid,
        MediaKind kind,
        Direction direction,
        boolean rejected,
        String rejectReason,
        long ssrc,
        String cname,
        List<String> rids,
        long rtxSsrc) {
    public OfferedMedia {
        rids = List.copyOf(rids);
    }

    /** True for a single-stream video section the participant publishes with an RTX stream (an FID group). */
    public boolean singleStreamRtx() {
        return publishes() && kind == MediaKind.VIDEO && rids.isEmpty() && ssrc >= 0 && rtxSsrc >= 0;
    }

    /** True for a section the participant publishes simulcast on. */
    public boolean simulcast() {
        return publishes() && !rids.isEmpty();
    }

    /** True for an accepted section on which the participant sends media (offer sendonly or sendrecv). */
    public boolean publishes() {
        return !rejected && direction.sends();
    }

    /** True for an accepted section on which the participant only receives (offer recvonly). */
    public boolean receivesOnly() {
        return !rejected && direction == Direction.RECVONLY;
    }

    /**
     * True when the participant sends on it with a signaled SSRC or simulcast layers, so it can become a media
     * source.
     */
    public boolean hasSource() {
        return publishes() && (ssrc >= 0 || !rids.isEmpty());
    }
}
