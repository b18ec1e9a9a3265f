package dev.switchboard.core.buffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of equally sized {@link PacketBuffer}s. Thread-safe; acquiring and releasing allocate
 * nothing once the pool is warm. When the pool is empty a new buffer is created (and counted), so a burst
 * degrades to allocation instead of loss; buffers beyond the retained maximum are left to the GC.
 *
 * <p>The {@code retained} buffers are made up front as slices of one array (the slab). Pooled buffers live
 * as long as the process, and retransmission caches hold thousands of them: made one by one as a call
 * starts, they would be copied by every young collection until the JVM tenures them. A slab of several MiB is
 * allocated straight into the old generation (G1 "humongous") and never copied. (G1's pauses after a join
 * wave are still 7-11 ms on one GC worker: per-participant state is most of what they copy; docs/benchmark.md.)
 * Free buffers are handed out last-in first-out, so a quiet pool keeps reusing the same, cache-warm ones.
 */
public final class PacketPool {
    /** Bytes kept free before the data (room for header growth, e.g. RTX's OSN). */
    public static final int HEADROOM = 32;
    /** Bytes kept free after the largest datagram (SRTP/SRTCP tag + index). */
    public static final int TAILROOM = 32;
    /** Largest datagram accepted. */
    public static final int MAX_DATAGRAM = 1500;
    public static final int BUFFER_CAPACITY = HEADROOM + MAX_DATAGRAM + TAILROOM;

    /** Free buffers, a stack: {@code free[0, freeCount)}; guarded by {@code this}. */
    private final PacketBuffer[] free;
    private int freeCount;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong created = new AtomicLong();

    /** @param retained how many buffers the pool makes up front (in one slab) and keeps free at most */
    public PacketPool(int retained) {
        if (retained < 1) {
            throw new IllegalArgumentException("retained " + retained);
        }
        this.free = new PacketBuffer[retained];
        byte[] slab = new byte[Math.multiplyExact(retained, BUFFER_CAPACITY)];
        for (int i = retained - 1; i >= 0; i--) {
            free[freeCount++] = new PacketBuffer(this, slab, i * BUFFER_CAPACITY, BUFFER_CAPACITY);
        }
    }

    /** Takes a buffer; the caller owns it until it calls {@link PacketBuffer#release()}. */
    public PacketBuffer acquire() {
        PacketBuffer buffer = pop();
        if (buffer == null) {
            buffer = new PacketBuffer(this, new byte[BUFFER_CAPACITY], 0, BUFFER_CAPACITY);
            created.incrementAndGet();
        }
        if (buffer.markInUse()) {
            throw new IllegalStateException("pool handed out a buffer that is in use");
        }
        buffer.setOffsetAndLength(buffer.start(), 0);
        outstanding.incrementAndGet();
        return buffer;
    }

    void giveBack(PacketBuffer buffer) {
        if (!buffer.markFree()) {
            throw new IllegalStateException("buffer released twice");
        }
        outstanding.decrementAndGet();
        push(buffer);
    }

    private synchronized PacketBuffer pop() {
        if (freeCount == 0) {
            return null;
        }
        PacketBuffer buffer = free[--freeCount];
        free[freeCount] = null;
        return buffer;
    }

    private synchronized void push(PacketBuffer buffer) {
        if (freeCount < free.length) {
            free[freeCount++] = buffer;
        }
    }

    /** Buffers acquired and not yet released. Zero when idle, else something leaked. */
    public long outstanding() {
        return outstanding.get();
    }

    /**
     * Buffers created beyond the slab because the pool was empty (a growing figure at steady state means the
     * pool is too small).
     */
    public long created() {
        return created.get();
    }
}
