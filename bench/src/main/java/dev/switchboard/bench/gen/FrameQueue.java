package dev.switchboard.bench.gen;

/** Frames waiting for the pacer: a fixed ring of reusable entries (no allocation per frame). */
final class FrameQueue {
    static final class Frame {
        VideoLayer layer;
        int packets;
        int lastPacketSize;
        boolean keyFrame;
        int pictureId;
        int tl0PicIdx;
        int temporalId;
        boolean layerSync;
        long rtpTimestamp;
        int nextPacket;
    }

    private final Frame[] ring;
    private int head;
    private int size;
    long overflows;

    FrameQueue(int capacity) {
        ring = new Frame[capacity];
        for (int i = 0; i < capacity; i++) {
            ring[i] = new Frame();
        }
    }

    /** An entry to fill at the tail, or null when full (the frame is dropped and counted). */
    Frame addLast() {
        if (size == ring.length) {
            overflows++;
            return null;
        }
        Frame f = ring[(head + size) % ring.length];
        f.nextPacket = 0;
        size++;
        return f;
    }

    Frame peek() {
        return size == 0 ? null : ring[head];
    }

    void removeFirst() {
        head = (head + 1) % ring.length;
        size--;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }
}
