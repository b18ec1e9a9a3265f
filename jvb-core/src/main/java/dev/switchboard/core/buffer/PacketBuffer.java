package dev.switchboard.core.buffer;

/**
 * A mutable view (array, offset, length) over a pooled byte range, large enough for a full datagram plus
 * head and tail room (tail room lets SRTP append its authentication tag in place).
 *
 * <p>The range may be a slice of a larger array shared with other buffers (the pool's slab): offsets are
 * always positions in {@link #array()}, a fresh buffer's data starts at {@link #start()}, and nothing may be
 * read or written outside {@code [start() - HEADROOM, start() - HEADROOM + capacity())}.
 *
 * <p>Not thread-safe: it belongs to one owner at a time (see the package documentation).
 */
public final class PacketBuffer {
    private final PacketPool pool;
    private final byte[] array;
    /** First byte of this buffer's range in {@link #array}. */
    private final int base;
    private final int capacity;
    private int offset;
    private int length;
    private boolean inUse;
    /** Free for the current owner to use (e.g. the endpoint that received it); cleared on release. */
    private Object tag;
    /** When the datagram arrived, on the receiving component's nanosecond clock; cleared on release. */
    private long receivedAtNanos;
    private java.nio.ByteBuffer nioView;

    /** A buffer over {@code array[base, base + capacity)}. */
    PacketBuffer(PacketPool pool, byte[] array, int base, int capacity) {
        if (base < 0 || capacity < PacketPool.HEADROOM + PacketPool.TAILROOM || base + capacity > array.length) {
            throw new IllegalArgumentException("range " + base + "+" + capacity + " of " + array.length);
        }
        this.pool = pool;
        this.array = array;
        this.base = base;
        this.capacity = capacity;
        this.offset = base;
    }

    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Bytes of this buffer's range, head and tail room included. */
    public int capacity() {
        return capacity;
    }

    /** Where data starts in a fresh buffer: {@link PacketPool#HEADROOM} bytes into its range. */
    public int start() {
        return base + PacketPool.HEADROOM;
    }

    /** Bytes available after the current end of data. */
    public int tailRoom() {
        return base + capacity - offset - length;
    }

    /** Sets the data's position in {@link #array()}; it must lie within this buffer's range. */
    public void setOffsetAndLength(int offset, int length) {
        if (offset < base || length < 0 || offset + length > base + capacity) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " outside "
                    + base + "+" + capacity);
        }
        this.offset = offset;
        this.length = length;
    }

    public void setLength(int length) {
        setOffsetAndLength(offset, length);
    }

    /** Copies {@code len} bytes in at {@link #start()}; fails when they do not fit. */
    public void copyFrom(byte[] src, int srcOffset, int len) {
        int off = start();
        if (len > capacity - PacketPool.HEADROOM - PacketPool.TAILROOM) {
            throw new IllegalArgumentException("datagram of " + len + " bytes does not fit");
        }
        System.arraycopy(src, srcOffset, array, off, len);
        this.offset = off;
        this.length = len;
    }

    /**
     * A {@link java.nio.ByteBuffer} over the same array with position and limit set to the data, for channel
     * writes. Created once per buffer and reused: valid until the buffer changes or is released.
     */
    public java.nio.ByteBuffer nioView() {
        if (nioView == null) {
            nioView = java.nio.ByteBuffer.wrap(array);
        }
        nioView.limit(offset + length).position(offset);
        return nioView;
    }

    public Object tag() {
        return tag;
    }

    public void setTag(Object tag) {
        this.tag = tag;
    }

    /**
     * When the datagram was received (set by the socket thread from the conference's clock, so that
     * arrival-time measurements such as jitter and transport-cc do not include media loop queueing).
     */
    public long receivedAtNanos() {
        return receivedAtNanos;
    }

    public void setReceivedAtNanos(long nanos) {
        this.receivedAtNanos = nanos;
    }

    /** Returns the buffer to its pool; the caller must not touch it afterwards. */
    public void release() {
        pool.giveBack(this);
    }

    boolean markInUse() {
        boolean was = inUse;
        inUse = true;
        return was;
    }

    boolean markFree() {
        boolean was = inUse;
        inUse = false;
        tag = null;
        receivedAtNanos = 0;
        offset = base;
        length = 0;
        return was;
    }
}
