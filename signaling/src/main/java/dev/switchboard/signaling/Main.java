package dev.switchboard.signaling;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry point: {@code java -jar switchboard.jar [--option=value ...]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // ice4j and other libraries log through java.util.logging: send it to SLF4J/logback.
        JulBridge.install();
        Logger log = LoggerFactory.getLogger(Main.class);
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println("Usage: java -jar switchboard.jar [--option=value ...]\n\n" + ServerConfig.usage());
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard: " + e.getMessage() + "\n\n" + ServerConfig.usage());
            System.exit(2);
            return;
        }
        log.info("Starting Switchboard: {}", config);
        SwitchboardServer server;
        try {
            server = SwitchboardServer.start(config);
        } catch (RuntimeException e) {
            log.error("Switchboard failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down");
            server.close();
        }, "switchboard-shutdown"));
        String host = config.httpHost().contains(":") ? "[" + config.httpHost() + "]" : config.httpHost();
        log.info("Switchboard is up: open http://{}:{}/?room=test&name=Alice (media UDP port {})", host,
                server.httpPort(), config.bridge().udpPort());
    }
}
