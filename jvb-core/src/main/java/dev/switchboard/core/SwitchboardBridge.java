package dev.switchboard.core;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.MediaBridge;
import java.io.IOException;

/** Entry point of the media core. */
public final class SwitchboardBridge {
    private SwitchboardBridge() {}

    /** Binds the shared UDP port and starts the media threads. */
    public static MediaBridge start(BridgeConfig config) throws IOException {
        throw new UnsupportedOperationException("media core under construction");
    }
}
