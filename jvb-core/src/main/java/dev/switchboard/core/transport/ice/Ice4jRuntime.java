package dev.switchboard.core.transport.ice;

/**
 * ice4j reads its configuration once, at first use, from system properties (below an application.conf).
 * The bridge sets what it relies on before any ice4j class does work: no AWS address probe and no
 * dynamically bound host ports (the only host candidates are the {@link SharedUdpPort}s and
 * {@link SharedTcpPort}s).
 */
public final class Ice4jRuntime {
    private static final Object LOCK = new Object();
    private static boolean initialized;

    private Ice4jRuntime() {}

    public static void initialize() {
        synchronized (LOCK) {
            if (initialized) {
                return;
            }
            System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
            System.setProperty("ice4j.harvest.udp.use-dynamic-ports", "false");
            System.setProperty("ice4j.use-component-socket", "false");
            initialized = true;
        }
    }
}
