package dev.switchboard.core.buffer;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of equally sized {@link PacketBuffer}s. Thread-safe; acquiring and releasing allocate
 * nothing once the pool is warm. When the pool is empty a new buffer is created (and counted), so a burst
 * degrades to allocation instead of loss; buffers beyond the retained maximum are left to the GC.
 */
public final class PacketPool {
    /** Bytes kept free before the data (room for header growth, e.g. RTX's OSN). */
    public static final int HEADROOM = 32;
    /** Bytes kept free after the largest datagram (SRTP/SRTCP tag + index). */
    public static final int TAILROOM = 32;
    /** Largest datagram accepted. */
    public static final int MAX_DATAGRAM = 1500;
    public static final int BUFFER_CAPACITY = HEADROOM + MAX_DATAGRAM + TAILROOM;

    private final ArrayBlockingQueue<PacketBuffer> free;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong created = new AtomicLong();

    /** @param retained how many free buffers the pool keeps at most */
    public PacketPool(int retained) {
        this.free = new ArrayBlockingQueue<>(retained);
    }

    /** Takes a buffer; the caller owns it until it calls {@link PacketBuffer#release()}. */
    public PacketBuffer acquire() {
        PacketBuffer buffer = free.poll();
        if (buffer == null) {
            buffer = new PacketBuffer(this, BUFFER_CAPACITY);
            created.incrementAndGet();
        }
        if (buffer.markInUse()) {
            throw new IllegalStateException("pool handed out a buffer that is in use");
        }
        buffer.setOffsetAndLength(HEADROOM, 0);
        outstanding.incrementAndGet();
        return buffer;
    }

    void giveBack(PacketBuffer buffer) {
        if (!buffer.markFree()) {
            throw new IllegalStateException("buffer released twice");
        }
        outstanding.decrementAndGet();
        free.offer(buffer);
    }

    /** Buffers acquired and not yet released. Zero when idle, else something leaked. */
    public long outstanding() {
        return outstanding.get();
    }

    /** Buffers ever created (a growing figure at steady state means the pool is too small). */
    public long created() {
        return created.get();
    }
}
