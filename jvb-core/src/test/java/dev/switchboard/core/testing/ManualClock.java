package dev.switchboard.core.testing;

import java.util.function.LongSupplier;

/** A nanosecond clock that only moves when told to: inject it instead of {@code System::nanoTime}. */
public final class ManualClock implements LongSupplier {
    private long nanos;

    public ManualClock() {
        this(1_000_000_000_000L); // an arbitrary non-zero origin, so code cannot rely on time starting at 0
    }

    public ManualClock(long startNanos) {
        this.nanos = startNanos;
    }

    @Override
    public long getAsLong() {
        return nanos;
    }

    public void advanceMillis(long millis) {
        nanos += millis * 1_000_000L;
    }

    public void advanceNanos(long delta) {
        nanos += delta;
    }
}
