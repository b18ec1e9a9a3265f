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
 * @param rtxSsrc    for video, the SSRC of the RTX stream (RFC 4588) the bridge retransmits it on to receivers
 *                   (chosen by signaling, kept across renegotiations like a simulcast {@code ssrc}); -1 for audio
 * @param senderRtxSsrc for single-stream video, the SSRC of the sender's own RTX stream (its offer's
 *                   {@code a=ssrc-group:FID}), which the bridge turns back into the original; -1 when none
 */
public record PublishedSource(String endpointId, String mid, MediaKind kind, long ssrc, String cname,
        String trackId, java.util.List<String> rids, long rtxSsrc, long senderRtxSsrc) {
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
