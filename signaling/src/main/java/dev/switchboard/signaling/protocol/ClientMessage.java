package dev.switchboard.signaling.protocol;

/** A message from the browser, already validated by {@link MessageCodec}. */
public sealed interface ClientMessage {
    /** {@code {"type":"join","room":R,"name":N}}: enter a room (the room is created when absent). */
    record Join(String room, String name) implements ClientMessage {}

    /** {@code {"type":"offer","sdp":S}}: a full SDP offer; the server replies with {@code answer}. */
    record Offer(String sdp) implements ClientMessage {}

    /**
     * {@code {"type":"candidate","candidate":C,"sdpMid":M,"sdpMLineIndex":I}}: a trickled ICE candidate;
     * {@code candidate} null or empty means end of candidates.
     */
    record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex) implements ClientMessage {
        public boolean isEndOfCandidates() {
            return candidate == null || candidate.isEmpty();
        }
    }

    /**
     * {@code {"type":"resume","token":T}}: on a new WebSocket, take over the participant whose {@code joined}
     * carried {@code resumeToken} T, while its reconnect grace period runs (or while its old socket is still
     * open); the server replies with the messages the participant missed and then {@code resumed}, or with
     * an {@code error} {@code resume-failed}.
     */
    record Resume(String token) implements ClientMessage {}

    /** {@code {"type":"leave"}}: leave the room; the socket stays open and may join again. */
    record Leave() implements ClientMessage {}

    /**
     * {@code {"type":"set-last-n","n":N}}: receive video from at most the N most recent speakers (-1 =
     * unlimited, 0 = no video).
     */
    record SetLastN(int n) implements ClientMessage {}

    /**
     * {@code {"type":"video-constraints","defaultMaxHeight":H,"constraints":{"<endpointId>":{"maxHeight":H}}}}:
     * the largest video height this receiver wants from each sender (others: {@code defaultMaxHeight}, absent =
     * 360). Replaces what the client said before.
     */
    record VideoConstraints(int defaultMaxHeight, java.util.Map<String, Integer> maxHeights) implements ClientMessage {
        public VideoConstraints {
            maxHeights = java.util.Map.copyOf(maxHeights);
        }
    }
}
