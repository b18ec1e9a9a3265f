package dev.switchboard.core.api;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/** A set of endpoints that receive each other's media. Thread-safe. */
public interface Conference {
    String id();

    /**
     * Creates the endpoint's transport (ICE agent on the shared port, DTLS, SRTP) and starts connectivity
     * checks. Completes with the bridge's side of the transport, or exceptionally (IllegalArgumentException
     * for a duplicate id or bad description, IllegalStateException when the conference is closed).
     */
    CompletionStage<TransportDescription> addEndpoint(EndpointRequest request);

    /** Replaces what the endpoint sends (after a renegotiation). Unknown endpoints are ignored. */
    void updateMedia(String endpointId, MediaDescription media);

    /** Adds a trickled remote candidate. Candidates outside the allowed networks are ignored. */
    void addRemoteCandidate(String endpointId, IceCandidate candidate);

    /** Removes the endpoint and frees its transport; its listener gets {@link EndpointEvent.Removed}. */
    void removeEndpoint(String endpointId);

    Set<String> endpointIds();
}
