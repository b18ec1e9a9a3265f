package dev.switchboard.core.api;

import java.util.Objects;

/**
 * Everything needed to add a participant's media transport to a conference.
 *
 * @param endpointId unique within the conference; letters, digits, '-' and '_' only
 * @param remote     the participant's transport description
 * @param media      what the participant sends
 * @param listener   receives this endpoint's events
 */
public record EndpointRequest(
        String endpointId, TransportDescription remote, MediaDescription media, EndpointListener listener) {
    public EndpointRequest {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(listener, "listener");
        if (!endpointId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("invalid endpoint id: " + endpointId);
        }
    }
}
