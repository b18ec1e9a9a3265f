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
 */
public record SendTrack(long ssrc, String cname, String streamId, String trackId) {
    public SendTrack {
        Objects.requireNonNull(cname, "cname");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(trackId, "trackId");
    }
}
