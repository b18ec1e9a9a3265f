package dev.switchboard.core.api;

/** Something that happened to an endpoint's media transport. Delivered on core threads. */
public sealed interface EndpointEvent {
    String endpointId();

    /** ICE and DTLS completed; SRTP keys are installed and media flows. */
    record Connected(String endpointId) implements EndpointEvent {}

    /** ICE or DTLS failed; the endpoint no longer carries media and has been removed. */
    record Failed(String endpointId, String reason) implements EndpointEvent {}

    /** The endpoint was removed (by request or because its conference closed). */
    record Removed(String endpointId) implements EndpointEvent {}
}
