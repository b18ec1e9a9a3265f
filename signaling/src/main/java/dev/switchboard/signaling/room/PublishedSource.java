package dev.switchboard.signaling.room;

import dev.switchboard.core.api.MediaKind;

/**
 * A media source a participant sends: one of its sendonly (or sendrecv) sections with a signaled SSRC.
 *
 * @param endpointId the sender
 * @param mid        the sender's mid for it
 * @param kind       audio or video
 * @param ssrc       its primary SSRC
 * @param cname      its RTCP CNAME
 * @param trackId    the track id receivers see in {@code a=msid}
 */
public record PublishedSource(String endpointId, String mid, MediaKind kind, long ssrc, String cname,
        String trackId) {
    /** Identifies the source across renegotiations. */
    public SourceKey key() {
        return new SourceKey(endpointId, mid);
    }

    /** A source is identified by its sender and the sender's mid. */
    public record SourceKey(String endpointId, String mid) {}
}
