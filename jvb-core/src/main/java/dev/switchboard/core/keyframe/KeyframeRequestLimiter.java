package dev.switchboard.core.keyframe;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Rate-limits keyframe requests (PLI, RFC 4585 section 6.3.1, or FIR, RFC 5104 section 4.3.1) per source
 * SSRC: many receivers asking for a keyframe of the same source within one interval cause one request to the
 * sender. A source is <em>pending</em> from an allowed request until a keyframe from it is seen; requests
 * while pending are allowed again once the interval has passed (the request or the keyframe may have been
 * lost).
 *
 * <p>Receivers' requests name the SSRC they receive (the rewritten one); the caller maps it to the source
 * actually forwarded (or being switched to) before asking here.
 *
 * <p>Time comes from the injected nanosecond clock. Not thread-safe: confined to the media loop.
 */
public final class KeyframeRequestLimiter {
    private static final long NEVER = Long.MIN_VALUE;

    private static final class Source {
        long lastRequestAt = NEVER;
        long lastKeyframeAt = NEVER;
        boolean pending;
    }

    private final LongSupplier nanoClock;
    private final long minIntervalNanos;
    private final Map<Long, Source> sources = new HashMap<>();
    private long suppressed;

    /** @param minIntervalNanos at most one request per source within this interval, e.g. 300 ms */
    public KeyframeRequestLimiter(LongSupplier nanoClock, long minIntervalNanos) {
        if (minIntervalNanos < 0) {
            throw new IllegalArgumentException("interval " + minIntervalNanos);
        }
        this.nanoClock = nanoClock;
        this.minIntervalNanos = minIntervalNanos;
    }

    /**
     * Someone wants a keyframe from {@code ssrc}.
     *
     * @return true when the caller should send the request now (the source is then pending); false when one
     *     was sent less than the interval ago
     */
    public boolean tryRequest(long ssrc) {
        long now = nanoClock.getAsLong();
        Source source = sources.computeIfAbsent(ssrc, k -> new Source());
        if (source.lastRequestAt != NEVER && now - source.lastRequestAt < minIntervalNanos) {
            suppressed++;
            return false;
        }
        source.lastRequestAt = now;
        source.pending = true;
        return true;
    }

    /** A keyframe from {@code ssrc} was received: it is no longer pending. */
    public void onKeyframe(long ssrc) {
        Source source = sources.get(ssrc);
        if (source == null) {
            source = new Source();
            sources.put(ssrc, source);
        }
        source.pending = false;
        source.lastKeyframeAt = nanoClock.getAsLong();
    }

    /** Whether a request for {@code ssrc} was sent and no keyframe has been seen since. */
    public boolean isPending(long ssrc) {
        Source source = sources.get(ssrc);
        return source != null && source.pending;
    }

    /** Nanoseconds since the last keyframe of {@code ssrc}, or -1 when none was seen. */
    public long sinceLastKeyframe(long ssrc) {
        Source source = sources.get(ssrc);
        return source == null || source.lastKeyframeAt == NEVER ? -1 : nanoClock.getAsLong() - source.lastKeyframeAt;
    }

    /** Forgets a source (its sender left). */
    public void remove(long ssrc) {
        sources.remove(ssrc);
    }

    /** Requests refused because of the interval, since creation. */
    public long suppressedCount() {
        return suppressed;
    }
}
