package dev.switchboard.core.routing;

import dev.switchboard.core.api.BridgeConfig;
import java.time.Duration;
import java.util.List;

/** Settings for bridges started by tests: any free UDP port on 127.0.0.1, one media thread, no ICE-TCP. */
final class TestBridgeConfigs {
    private TestBridgeConfigs() {
    }

    static BridgeConfig.Builder testConfig() {
        return BridgeConfig.builder().udpPort(0).bindAddresses(List.of("127.0.0.1"))
                .allowedNetworks(List.of("127.0.0.0/8")).mediaThreads(1).iceFailureTimeout(Duration.ofSeconds(30))
                .packetQueueSize(256).tcpPort(BridgeConfig.TCP_DISABLED);
    }
}
