package dev.switchboard.core.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketPoolTest {
    @Test
    void reusesReleasedBuffersAndTracksOutstanding() {
        PacketPool pool = new PacketPool(4);
        PacketBuffer a = pool.acquire();
        assertEquals(1, pool.outstanding());
        a.release();
        assertEquals(0, pool.outstanding());
        PacketBuffer b = pool.acquire();
        assertSame(a, b, "the buffer released last is handed out first");
        assertEquals(0, pool.created(), "the slab's buffers are not counted as created");
        b.release();
    }

    @Test
    void slabBuffersShareOneArrayAndCreatesMoreWhenEmpty() {
        PacketPool pool = new PacketPool(3);
        List<PacketBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            taken.add(pool.acquire());
        }
        assertSame(taken.get(0).array(), taken.get(2).array(), "one slab");
        assertEquals(0, pool.created());
        PacketBuffer extra = pool.acquire();
        assertNotSame(taken.get(0).array(), extra.array(), "beyond the slab: a buffer of its own");
        assertEquals(1, pool.created());
        assertEquals(4, pool.outstanding());
        extra.release();
        taken.forEach(PacketBuffer::release);
        assertEquals(0, pool.outstanding());
        for (int i = 0; i < 3; i++) { // only 3 are retained: the extra buffer went back first, then 2 of the slab
            pool.acquire();
        }
        assertEquals(1, pool.created(), "nothing new was needed");
    }

    @Test
    void neighboursInTheSlabDoNotOverlap() {
        PacketPool pool = new PacketPool(3);
        PacketBuffer a = pool.acquire();
        PacketBuffer b = pool.acquire();
        PacketBuffer c = pool.acquire();
        byte[] full = new byte[PacketPool.MAX_DATAGRAM];
        Arrays.fill(full, (byte) 0x5A);
        byte[] ones = new byte[PacketPool.MAX_DATAGRAM];
        Arrays.fill(ones, (byte) 0x11);
        a.copyFrom(full, 0, full.length);
        c.copyFrom(full, 0, full.length);
        b.copyFrom(ones, 0, ones.length);
        b.setLength(b.length() + b.tailRoom()); // b's whole range up to its end
        Arrays.fill(b.array(), b.offset() + ones.length, b.offset() + b.length(), (byte) 0x22);
        assertArrayEquals(full, Arrays.copyOfRange(a.array(), a.offset(), a.offset() + a.length()));
        assertArrayEquals(full, Arrays.copyOfRange(c.array(), c.offset(), c.offset() + c.length()));
        assertThrows(IndexOutOfBoundsException.class, () -> b.setOffsetAndLength(b.start() - PacketPool.HEADROOM - 1, 1),
                "before its range");
        assertThrows(IndexOutOfBoundsException.class, () -> b.setLength(b.length() + 1), "past its range");
    }

    @Test
    void releaseResetsToTheStartOfTheBuffersOwnRange() {
        PacketPool pool = new PacketPool(2);
        PacketBuffer a = pool.acquire();
        PacketBuffer b = pool.acquire();
        assertEquals(b.start(), b.offset());
        assertEquals(PacketPool.BUFFER_CAPACITY, Math.abs(a.start() - b.start()));
        assertEquals(PacketPool.MAX_DATAGRAM + PacketPool.TAILROOM, b.tailRoom());
        b.setOffsetAndLength(b.start() - 4, 10);
        b.release();
        PacketBuffer again = pool.acquire();
        assertSame(b, again);
        assertEquals(again.start(), again.offset());
        assertEquals(0, again.length());
        a.release();
        again.release();
    }

    @Test
    void doubleReleaseThrows() {
        PacketPool pool = new PacketPool(4);
        PacketBuffer a = pool.acquire();
        a.release();
        assertThrows(IllegalStateException.class, a::release);
    }

    @Test
    void copyLeavesHeadAndTailRoom() {
        PacketPool pool = new PacketPool(4);
        PacketBuffer a = pool.acquire();
        byte[] datagram = new byte[PacketPool.MAX_DATAGRAM];
        a.copyFrom(datagram, 0, datagram.length);
        assertEquals(a.start(), a.offset());
        assertEquals(PacketPool.TAILROOM, a.tailRoom());
        assertThrows(IllegalArgumentException.class, () -> a.copyFrom(new byte[1501], 0, 1501));
        a.release();
    }
}
