package dev.switchboard.signaling.room;

import dev.switchboard.core.api.MediaKind;

/**
 * A media source a participant sends: one of its sendonly (or sendrecv) sections with a signaled SSRC.
 *
 * @param endpointId the sender
 * @param mid        the sender's mid for it
 * @param kind       audio or video
 * @param ssrc       the SSRC receivers see: its primary SSRC, or for simulcast the one the bridge rewrites
 *                   every layer to (chosen by signaling, kept across renegotiations)
 * @param cname      its RTCP CNAME
 * @param trackId    the track id receivers see in {@code a=msid}
 * @param rids       its simulcast layers, lowest first; empty for a single-stream source
 * @param rtxSsrc    for simulcast, the SSRC of the RTX stream the bridge retransmits it on (chosen by
 *                   signaling like {@code ssrc}); -1 otherwise
 */
public record PublishedSource(String endpointId, String mid, MediaKind kind, long ssrc, String cname,
        String trackId, java.util.List<String> rids, long rtxSsrc) {
    public PublishedSource {
        rids = java.util.List.copyOf(rids);
    }

    /** Identifies the source across renegotiations. */
    public SourceKey key() {
        return new SourceKey(endpointId, mid);
    }

    /** A source is identified by its sender and the sender's mid. */
    public record SourceKey(String endpointId, String mid) {}
}
