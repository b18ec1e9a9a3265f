package dev.switchboard.core.fault;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;

/**
 * Test/diagnostic only: a narrow downlink in front of one endpoint, modelled as a bottleneck link of a fixed rate
 * with a drop-tail queue (what a shrunken access link or a shaping router does). A datagram the bridge sends is
 * copied into a pooled buffer and leaves when the link has transmitted everything queued before it and itself
 * ({@code size * 8 / rate} each); one that does not fit in the queue ({@code queueBytes}) is dropped. So a
 * sender above the rate sees delay grow first, then loss, as on a real link (a policer that passes bursts would
 * also pass short bandwidth probes and fool them).
 *
 * <p>Used through {@code FaultInjectionConfig.egressLimits}; never in production. One thread (the endpoint's
 * media loop); time is passed in; the queue is a preallocated ring, and the buffers are the pool's (released
 * when sent or by {@link #clear}).
 */
public final class EgressShaper {
    private static final int CAPACITY = 512;

    private final PacketPool pool;
    private final double nanosPerByte;
    private final int queueBytes;
    private final PacketBuffer[] queue = new PacketBuffer[CAPACITY];
    private final long[] departureNanos = new long[CAPACITY];
    private int head;
    private int size;
    private int queuedBytes;
    private long lastDepartureNanos = Long.MIN_VALUE;

    /**
     * @param bitsPerSecond the link's rate, above 0
     * @param queueBytes    the queue, at least one datagram
     */
    public EgressShaper(long bitsPerSecond, int queueBytes, PacketPool pool) {
        if (bitsPerSecond <= 0 || queueBytes < PacketPool.MAX_DATAGRAM) {
            throw new IllegalArgumentException("need a positive rate and a queue of at least one datagram: "
                    + bitsPerSecond + " bit/s, " + queueBytes + " bytes");
        }
        this.pool = pool;
        this.nanosPerByte = 8e9 / bitsPerSecond;
        this.queueBytes = queueBytes;
    }

    /** Queues a copy of the datagram {@code [off, off+len)} sent at {@code nowNanos}; false when it is dropped. */
    public boolean offer(byte[] a, int off, int len, long nowNanos) {
        if (size == CAPACITY || queuedBytes + len > queueBytes) {
            return false;
        }
        PacketBuffer copy = pool.acquire();
        copy.copyFrom(a, off, len);
        long start = lastDepartureNanos == Long.MIN_VALUE ? nowNanos : Math.max(nowNanos, lastDepartureNanos);
        lastDepartureNanos = start + (long) (len * nanosPerByte);
        int slot = (head + size) % CAPACITY;
        queue[slot] = copy;
        departureNanos[slot] = lastDepartureNanos;
        size++;
        queuedBytes += len;
        return true;
    }

    /**
     * The oldest queued datagram if the link has transmitted it by {@code nowNanos}, else null. It becomes the
     * caller's: send it, then release it.
     */
    public PacketBuffer poll(long nowNanos) {
        if (size == 0 || nowNanos - departureNanos[head] < 0) {
            return null;
        }
        return pollFirst();
    }

    /** The oldest queued datagram whatever its time (the link is gone: everything leaves now), or null. */
    public PacketBuffer pollFirst() {
        if (size == 0) {
            return null;
        }
        PacketBuffer next = queue[head];
        queue[head] = null;
        head = (head + 1) % CAPACITY;
        size--;
        queuedBytes -= next.length();
        return next;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Bytes waiting now. */
    public int queuedBytes() {
        return queuedBytes;
    }

    /** Releases everything still queued (the endpoint closed, or the limit changed). */
    public void clear() {
        while (size > 0) {
            queue[head].release();
            queue[head] = null;
            head = (head + 1) % CAPACITY;
            size--;
        }
        queuedBytes = 0;
    }
}
