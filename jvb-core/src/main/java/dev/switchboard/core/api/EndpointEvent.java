package dev.switchboard.core.api;

import java.util.List;

/**
 * Something that happened to an endpoint's media transport, or in its conference that concerns what it
 * receives. Delivered on core threads.
 */
public sealed interface EndpointEvent {
    String endpointId();

    /** ICE and DTLS completed; SRTP keys are installed and media flows. */
    record Connected(String endpointId) implements EndpointEvent {}

    /** ICE or DTLS failed; the endpoint no longer carries media and has been removed. */
    record Failed(String endpointId, String reason) implements EndpointEvent {}

    /** The endpoint was removed (by request or because its conference closed). */
    record Removed(String endpointId) implements EndpointEvent {}

    /** The conference's dominant speaker changed (null: nobody, e.g. the speaker left). */
    record DominantSpeakerChanged(String endpointId, String speakerId) implements EndpointEvent {}

    /**
     * The set of endpoints whose video this endpoint receives changed (last-N); most recent speakers first.
     * Others' video is paused for this receiver, not sent.
     */
    record ForwardedVideoChanged(String endpointId, List<String> forwardedEndpointIds) implements EndpointEvent {
        public ForwardedVideoChanged {
            forwardedEndpointIds = List.copyOf(forwardedEndpointIds);
        }
    }
}
