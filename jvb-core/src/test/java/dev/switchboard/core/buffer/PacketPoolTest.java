package dev.switchboard.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertSame(a, b, "a released buffer is handed out again");
        assertEquals(1, pool.created());
        b.release();
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
        assertEquals(PacketPool.HEADROOM, a.offset());
        assertEquals(PacketPool.TAILROOM, a.tailRoom());
        assertThrows(IllegalArgumentException.class, () -> a.copyFrom(new byte[1501], 0, 1501));
        a.release();
    }
}
