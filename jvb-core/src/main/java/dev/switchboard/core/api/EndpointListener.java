package dev.switchboard.core.api;

/** Receives an endpoint's events, on a core thread: hop to your own executor before touching your state. */
@FunctionalInterface
public interface EndpointListener {
    void onEvent(EndpointEvent event);
}
