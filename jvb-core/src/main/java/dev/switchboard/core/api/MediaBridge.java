package dev.switchboard.core.api;

import java.util.Optional;

/** The media plane: conferences of endpoints on one shared UDP port. Thread-safe. */
public interface MediaBridge extends AutoCloseable {
    /** Returns the conference with this id, creating it when absent. Empty conferences are dropped. */
    Conference conference(String id);

    Optional<Conference> findConference(String id);

    /** A consistent-enough snapshot of the counters. */
    BridgeStatistics statistics();

    /** Stops all media, frees every transport and closes the port. */
    @Override
    void close();
}
