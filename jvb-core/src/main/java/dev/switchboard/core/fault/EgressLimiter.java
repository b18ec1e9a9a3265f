package dev.switchboard.core.fault;

/**
 * Test/diagnostic only: a token bucket that polices what the bridge sends one endpoint to a rate, as a limited
 * downlink would (whatever exceeds the rate and the burst is dropped, not queued). Used through
 * {@code FaultInjectionConfig.egressLimits}; never in production. One thread (the endpoint's media loop);
 * allocation-free.
 */
public final class EgressLimiter {
    private final double bytesPerNano;
    private final double burstBytes;
    private double tokens;
    private long lastNanos = Long.MIN_VALUE;

    /**
     * @param bitsPerSecond the rate, above 0
     * @param burstBytes    how much may go at once after a quiet period, at least one datagram
     */
    public EgressLimiter(long bitsPerSecond, int burstBytes) {
        if (bitsPerSecond <= 0 || burstBytes < 1500) {
            throw new IllegalArgumentException("need a positive rate and a burst of at least 1500 bytes: "
                    + bitsPerSecond + " bit/s, " + burstBytes + " bytes");
        }
        this.bytesPerNano = bitsPerSecond / 8e9;
        this.burstBytes = burstBytes;
        this.tokens = burstBytes;
    }

    /** Whether a datagram of {@code size} bytes may be sent at {@code nowNanos} (then its bytes are spent). */
    public boolean allow(int size, long nowNanos) {
        if (lastNanos != Long.MIN_VALUE) {
            tokens = Math.min(burstBytes, tokens + Math.max(0, nowNanos - lastNanos) * bytesPerNano);
        }
        lastNanos = nowNanos;
        if (tokens < size) {
            return false;
        }
        tokens -= size;
        return true;
    }
}
