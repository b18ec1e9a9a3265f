package dev.switchboard.signaling;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Routes java.util.logging (used by ice4j) to SLF4J/logback, once per JVM. */
final class JulBridge {
    private JulBridge() {}

    static synchronized void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
