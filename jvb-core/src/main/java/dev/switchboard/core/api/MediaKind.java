package dev.switchboard.core.api;

/** The kind of a media source. */
public enum MediaKind {
    AUDIO,
    VIDEO
}
