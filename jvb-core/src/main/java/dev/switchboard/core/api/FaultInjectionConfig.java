package dev.switchboard.core.api;

/**
 * Test and diagnostic setting: the bridge drops a random share of the datagrams it receives and sends, as a
 * lossy network would. Only RTP, RTCP and DTLS are dropped, never STUN, so ICE connectivity checks and consent
 * keep working (see {@code dev.switchboard.core.fault.FaultInjection}). Never enable it in production.
 *
 * @param dropIncomingPercent share of received non-STUN datagrams dropped before the bridge looks at them,
 *                            0 to 100 (0 = off)
 * @param dropOutgoingPercent share of non-STUN datagrams the bridge sends that are dropped instead of sent,
 *                            0 to 100 (0 = off)
 * @param seed                seed of the pseudo-random decisions: the same seed gives the same sequence of
 *                            decisions in each direction (which packet each decision meets still depends on
 *                            timing)
 * @param egressLimits        test-only, off by default: allows per-endpoint egress rate limits to be set at run
 *                            time ({@code RoutingBridge.setEgressLimitForTesting}), which put a link of that
 *                            rate with a drop-tail queue between the bridge and an endpoint, as a limited
 *                            downlink would (delay first, then loss); there is no environment variable for it
 */
public record FaultInjectionConfig(double dropIncomingPercent, double dropOutgoingPercent, long seed,
        boolean egressLimits) {
    /** No fault injection, the default. */
    public static final FaultInjectionConfig NONE = new FaultInjectionConfig(0, 0, 0);

    public FaultInjectionConfig {
        check(dropIncomingPercent, "dropIncomingPercent");
        check(dropOutgoingPercent, "dropOutgoingPercent");
    }

    /** Random drop only, no egress limits. */
    public FaultInjectionConfig(double dropIncomingPercent, double dropOutgoingPercent, long seed) {
        this(dropIncomingPercent, dropOutgoingPercent, seed, false);
    }

    private static void check(double percent, String name) {
        if (!(percent >= 0 && percent <= 100)) { // also refuses NaN
            throw new IllegalArgumentException(name + " must be within 0..100: " + percent);
        }
    }

    /** Whether any datagram may be dropped at random (egress limits are separate: {@link #egressLimits}). */
    public boolean enabled() {
        return dropIncomingPercent > 0 || dropOutgoingPercent > 0;
    }
}
