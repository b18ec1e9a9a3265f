package dev.switchboard.core.api;

import java.util.List;

/**
 * All media sources one endpoint currently sends.
 *
 * @param sources                 the sources
 * @param audioLevelExtensionId   the RTP header extension id (RFC 8285) the endpoint uses for the
 *                                client-to-mixer audio level (RFC 6464), or 0 when not negotiated; it drives
 *                                dominant speaker detection
 */
public record MediaDescription(List<MediaSource> sources, int audioLevelExtensionId) {
    public static final MediaDescription NONE = new MediaDescription(List.of());

    public MediaDescription {
        sources = List.copyOf(sources);
        if (audioLevelExtensionId < 0 || audioLevelExtensionId > 255) {
            throw new IllegalArgumentException("header extension id out of range: " + audioLevelExtensionId);
        }
    }

    /** Sources without an audio level extension. */
    public MediaDescription(List<MediaSource> sources) {
        this(sources, 0);
    }
}
