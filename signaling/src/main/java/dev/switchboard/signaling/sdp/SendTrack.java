package dev.switchboard.signaling.sdp;

import java.util.Objects;

/**
 * A remote source the bridge sends on one of the participant's receive-only sections: the answer signals it
 * with {@code a=msid:<streamId> <trackId>} and {@code a=ssrc:<ssrc> cname/msid} so the browser demuxes the
 * forwarded packets by SSRC and groups them into a MediaStream whose id is {@code streamId}.
 *
 * @param ssrc     the source's primary SSRC
 * @param cname    its RTCP CNAME (the sender's own, which keeps audio and video of a sender in sync)
 * @param streamId the sending participant's endpoint id
 * @param trackId  a track id unique within the room
 * @param rtxSsrc  the SSRC of the bridge's RTX stream for it (RFC 4588; answered with {@code a=ssrc-group:FID}
 *                 and the offer's RTX payload types when the participant offered them), or -1
 */
public record SendTrack(long ssrc, String cname, String streamId, String trackId, long rtxSsrc) {
    public SendTrack {
        Objects.requireNonNull(cname, "cname");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(trackId, "trackId");
    }

    /** Without RTX. */
    public SendTrack(long ssrc, String cname, String streamId, String trackId) {
        this(ssrc, cname, streamId, trackId, -1);
    }
}
