package dev.switchboard.core.api;

import java.util.List;

/** All media sources one endpoint currently sends. */
public record MediaDescription(List<MediaSource> sources) {
    public static final MediaDescription NONE = new MediaDescription(List.of());

    public MediaDescription {
        sources = List.copyOf(sources);
    }
}
