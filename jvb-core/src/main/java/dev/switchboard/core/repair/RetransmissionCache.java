package dev.switchboard.core.repair;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.packet.RtpHeader;
import java.util.function.LongSupplier;

/**
 * The packets recently sent on one outgoing RTP stream, kept to answer NACKs (RFC 4585 section 6.2.1) with a
 * retransmission (RFC 4588 RTX, or the packet itself). Keyed by sequence number; bounded by count, total
 * bytes and age (older packets would arrive too late to be played anyway).
 *
 * <p>Each packet is copied into a {@link PacketBuffer} from the injected pool; the cache owns those buffers
 * and releases them on eviction, replacement and {@link #clear()}. {@link #get} returns the cached buffer
 * itself as a read-only view: the caller copies from it and must not keep, modify or release it (it is
 * valid until the next call that mutates the cache). Nothing is allocated per packet once the pool is warm.
 *
 * <p>The slot arrays start at {@link #INITIAL_CAPACITY} and double, up to {@code maxPackets} rounded up to a
 * power of two, when a packet still in the cache would otherwise be pushed out by count or by a slot collision:
 * a 1 Mbit/s stream keeps about 128 slots rather than 512, and the arrays live as long as the stream (young
 * collections after a join copy them). Growing allocates, a few times per stream.
 *
 * <p>Not thread-safe: confined to the media loop that sends the stream.
 */
public final class RetransmissionCache implements AutoCloseable {
    private static final long NEVER = Long.MIN_VALUE;
    /** Slots at first (or {@code maxPackets} rounded up, when smaller). */
    public static final int INITIAL_CAPACITY = 64;

    private final PacketPool pool;
    private final LongSupplier nanoClock;
    private final long maxAgeNanos;
    private final long maxBytes;
    private final int maxCapacity;
    private int mask;

    /** Slot {@code seq & mask}: the cached copy, its sequence number, insertion time, generation. */
    private PacketBuffer[] buffers;
    private int[] seqs;
    private long[] insertedAt;
    private long[] lastResentAt;
    private long[] generations;
    /** Insertion order, oldest first: slot index and the generation it had (stale when the slot moved on). */
    private int[] fifoSlots;
    private long[] fifoGenerations;
    private int fifoHead;
    private int fifoCount;
    private long nextGeneration = 1;
    private int size;
    private long bytes;

    /**
     * @param maxPackets most packets kept, rounded up to a power of two (one second of 2.5 Mbit/s video in
     *     1200-byte packets is ~260 packets)
     * @param maxAgeNanos packets older than this are dropped
     * @param maxBytes total bytes of the cached packets at most
     */
    public RetransmissionCache(PacketPool pool, LongSupplier nanoClock, int maxPackets, long maxAgeNanos,
            long maxBytes) {
        if (maxPackets < 1 || maxPackets > 1 << 15 || maxAgeNanos <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("maxPackets " + maxPackets + " maxAge " + maxAgeNanos + " maxBytes "
                    + maxBytes);
        }
        this.maxCapacity = maxPackets == 1 ? 1 : Integer.highestOneBit(maxPackets - 1) << 1;
        this.pool = pool;
        this.nanoClock = nanoClock;
        this.maxAgeNanos = maxAgeNanos;
        this.maxBytes = maxBytes;
        allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
    }

    private void allocate(int capacity) {
        mask = capacity - 1;
        buffers = new PacketBuffer[capacity];
        seqs = new int[capacity];
        insertedAt = new long[capacity];
        lastResentAt = new long[capacity];
        generations = new long[capacity];
        fifoSlots = new int[capacity];
        fifoGenerations = new long[capacity];
    }

    /** Doubles the slot arrays, moving every live packet (in insertion order) to its slot under the new mask. */
    private void grow() {
        PacketBuffer[] oldBuffers = buffers;
        int[] oldSeqs = seqs;
        long[] oldInsertedAt = insertedAt;
        long[] oldLastResentAt = lastResentAt;
        long[] oldGenerations = generations;
        int[] oldFifoSlots = fifoSlots;
        long[] oldFifoGenerations = fifoGenerations;
        int oldMask = mask;
        int oldHead = fifoHead;
        int oldCount = fifoCount;
        allocate(oldBuffers.length * 2);
        fifoHead = 0;
        fifoCount = 0;
        for (int k = 0; k < oldCount; k++) {
            int f = (oldHead + k) & oldMask;
            int from = oldFifoSlots[f];
            if (oldBuffers[from] == null || oldGenerations[from] != oldFifoGenerations[f]) {
                continue; // stale entry
            }
            int to = oldSeqs[from] & mask;
            buffers[to] = oldBuffers[from];
            seqs[to] = oldSeqs[from];
            insertedAt[to] = oldInsertedAt[from];
            lastResentAt[to] = oldLastResentAt[from];
            generations[to] = oldGenerations[from];
            fifoSlots[fifoCount] = to;
            fifoGenerations[fifoCount++] = oldGenerations[from];
        }
    }

    /**
     * Copies a sent RTP packet (as it went to the receiver, before SRTP) into the cache, replacing any
     * packet with the same sequence number and evicting the oldest ones when a bound is reached. Packets that
     * are not valid RTP or larger than {@code maxBytes} or {@link PacketPool#MAX_DATAGRAM} are not cached.
     */
    public void insert(byte[] buf, int off, int len) {
        if (RtpHeader.headerLength(buf, off, len) < 0 || len > maxBytes || len > PacketPool.MAX_DATAGRAM) {
            return;
        }
        long now = nanoClock.getAsLong();
        evictExpired(now);
        int seq = RtpHeader.sequenceNumber(buf, off);
        int slot = seq & mask;
        while (buffers.length < maxCapacity
                && ((buffers[slot] != null && seqs[slot] != seq) || fifoCount == fifoSlots.length)) {
            grow(); // a packet younger than the age limit would be pushed out by the ring's size
            slot = seq & mask;
        }
        if (buffers[slot] != null) {
            releaseSlot(slot); // a duplicate, or an older packet sharing the slot; its FIFO entry goes stale
        }
        while (fifoCount == fifoSlots.length || bytes + len > maxBytes) {
            evictOldest();
        }
        PacketBuffer copy = pool.acquire();
        copy.copyFrom(buf, off, len);
        buffers[slot] = copy;
        seqs[slot] = seq;
        insertedAt[slot] = now;
        lastResentAt[slot] = NEVER;
        generations[slot] = nextGeneration;
        int tail = (fifoHead + fifoCount) & mask;
        fifoSlots[tail] = slot;
        fifoGenerations[tail] = nextGeneration++;
        fifoCount++;
        size++;
        bytes += len;
    }

    /** The cached packet with this sequence number, or null (never sent, evicted or too old). A view: see above. */
    public PacketBuffer get(int seq) {
        evictExpired(nanoClock.getAsLong());
        int slot = seq & mask;
        PacketBuffer buffer = buffers[slot];
        return buffer != null && seqs[slot] == (seq & 0xFFFF) ? buffer : null;
    }

    /**
     * Like {@link #get} but for answering a NACK: returns null as well when the packet was already
     * retransmitted less than {@code minIntervalNanos} ago (typically the RTT: an earlier retransmission may
     * still be in flight), and otherwise records this retransmission.
     */
    public PacketBuffer getForRetransmission(int seq, long minIntervalNanos) {
        PacketBuffer buffer = get(seq);
        if (buffer == null) {
            return null;
        }
        int slot = seq & mask;
        long now = nanoClock.getAsLong();
        if (lastResentAt[slot] != NEVER && now - lastResentAt[slot] < minIntervalNanos) {
            return null;
        }
        lastResentAt[slot] = now;
        return buffer;
    }

    /** Packets cached. */
    public int size() {
        return size;
    }

    /** Bytes of the cached packets. */
    public long bytes() {
        return bytes;
    }

    /** Slots now (they grow to {@link #maxCapacity()} as needed). */
    public int capacity() {
        return buffers.length;
    }

    /** Most slots: {@code maxPackets} rounded up to a power of two. */
    public int maxCapacity() {
        return maxCapacity;
    }

    /** Releases every cached buffer; the cache stays usable. */
    public void clear() {
        for (int slot = 0; slot < buffers.length; slot++) {
            if (buffers[slot] != null) {
                releaseSlot(slot);
            }
        }
        fifoHead = 0;
        fifoCount = 0;
    }

    @Override
    public void close() {
        clear();
    }

    private void evictExpired(long now) {
        while (fifoCount > 0) {
            int slot = fifoSlots[fifoHead];
            boolean stale = buffers[slot] == null || generations[slot] != fifoGenerations[fifoHead];
            if (!stale && now - insertedAt[slot] <= maxAgeNanos) {
                return;
            }
            popFifo(!stale);
        }
    }

    private void evictOldest() {
        int slot = fifoSlots[fifoHead];
        boolean live = buffers[slot] != null && generations[slot] == fifoGenerations[fifoHead];
        popFifo(live);
    }

    private void popFifo(boolean releaseSlot) {
        int slot = fifoSlots[fifoHead];
        fifoHead = (fifoHead + 1) & mask;
        fifoCount--;
        if (releaseSlot) {
            releaseSlot(slot);
        }
    }

    private void releaseSlot(int slot) {
        PacketBuffer buffer = buffers[slot];
        buffers[slot] = null;
        generations[slot] = 0;
        size--;
        bytes -= buffer.length();
        buffer.release();
    }
}
