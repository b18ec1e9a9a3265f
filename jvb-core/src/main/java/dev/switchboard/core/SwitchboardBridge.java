package dev.switchboard.core;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.MediaBridge;
import dev.switchboard.core.routing.RoutingBridge;
import java.io.IOException;

/** Entry point of the media core. */
public final class SwitchboardBridge {
    private SwitchboardBridge() {}

    /** Binds the shared UDP port and starts the media threads. */
    public static MediaBridge start(BridgeConfig config) throws IOException {
        return RoutingBridge.start(config);
    }
}
