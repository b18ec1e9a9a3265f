package dev.switchboard.core.api;

import java.util.List;
import java.util.Optional;
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

    /**
     * Restarts ICE for an endpoint (RFC 8445 section 9): the peer sent new credentials; the bridge answers
     * with new ones of its own and the same DTLS fingerprint. Media continues on the old path until the new one
     * is up; DTLS and SRTP are kept. Completes with the bridge's new transport description, or exceptionally
     * with IllegalArgumentException for an unknown endpoint.
     */
    CompletionStage<TransportDescription> restartIce(String endpointId, IceParameters remoteIce,
            List<IceCandidate> remoteCandidates);

    /** Replaces what the endpoint sends (after a renegotiation). Unknown endpoints are ignored. */
    void updateMedia(String endpointId, MediaDescription media);

    /**
     * The candidate pair ICE last selected for an endpoint (after an ICE restart, the new one once selected);
     * empty until ICE selected one, and for an unknown endpoint.
     */
    Optional<SelectedPair> selectedPair(String endpointId);

    /** Adds a trickled remote candidate. Candidates outside the allowed networks are ignored. */
    void addRemoteCandidate(String endpointId, IceCandidate candidate);

    /** Removes the endpoint and frees its transport; its listener gets {@link EndpointEvent.Removed}. */
    void removeEndpoint(String endpointId);

    Set<String> endpointIds();

    /**
     * Last-N for every receiver: only the video of the N most recent dominant speakers is forwarded to each
     * (-1 = unlimited, the default; 0 = no video).
     */
    void setLastN(int n);

    /** A receiver's own last-N, applied when smaller than the conference's (-1 = follow the conference). */
    void setReceiverLastN(String endpointId, int n);

    /**
     * What {@code endpointId} wants of the others' simulcast video (replaces what it said before); see
     * {@link VideoConstraints}. Without a call, {@link VideoConstraints#DEFAULT} applies. Unknown endpoints
     * are ignored.
     */
    void setVideoConstraints(String endpointId, VideoConstraints constraints);
}
