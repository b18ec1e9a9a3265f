package dev.switchboard.core.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import org.junit.jupiter.api.Test;

class EgressShaperTest {
    private final PacketPool pool = new PacketPool(16);
    private final byte[] datagram = new byte[1000];

    @Test
    void delaysEachDatagramByTheLinkRateAndDropsWhatOverflowsTheQueue() {
        EgressShaper shaper = new EgressShaper(800_000, 3000, pool); // 100 bytes per ms: 10 ms per datagram
        long t = 1_000_000_000L;
        assertTrue(shaper.offer(datagram, 0, 1000, t));
        assertTrue(shaper.offer(datagram, 0, 1000, t));
        assertTrue(shaper.offer(datagram, 0, 1000, t));
        assertFalse(shaper.offer(datagram, 0, 1000, t), "a fourth does not fit in 3000 bytes of queue");
        assertNull(shaper.poll(t + 9_999_999L), "the first is on the link for 10 ms");
        sendAndRelease(shaper.poll(t + 10_000_000L));
        assertNull(shaper.poll(t + 19_000_000L));
        assertTrue(shaper.offer(datagram, 0, 1000, t + 19_000_000L), "room again");
        sendAndRelease(shaper.poll(t + 20_000_000L));
        sendAndRelease(shaper.poll(t + 30_000_000L));
        assertNull(shaper.poll(t + 39_000_000L), "the late one queued behind the others: leaves at 40 ms");
        sendAndRelease(shaper.poll(t + 40_000_000L));
        assertTrue(shaper.isEmpty());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void anIdleLinkStartsAfreshAndClearReleasesTheQueue() {
        EgressShaper shaper = new EgressShaper(800_000, 10_000, pool);
        long t = 5_000_000_000L;
        assertTrue(shaper.offer(datagram, 0, 1000, t));
        sendAndRelease(shaper.poll(t + 10_000_000L));
        assertTrue(shaper.offer(datagram, 0, 500, t + 1_000_000_000L));
        assertNull(shaper.poll(t + 1_004_000_000L));
        sendAndRelease(shaper.poll(t + 1_005_000_000L));
        shaper.offer(datagram, 0, 1000, t + 2_000_000_000L);
        shaper.offer(datagram, 0, 1000, t + 2_000_000_000L);
        assertEquals(2000, shaper.queuedBytes());
        shaper.clear();
        assertTrue(shaper.isEmpty());
        assertEquals(0, pool.outstanding(), "cleared buffers go back to the pool");
    }

    @Test
    void whatIsQueuedCanLeaveAtOnceWhateverTheClock() {
        EgressShaper shaper = new EgressShaper(800_000, 10_000, pool);
        long t = -9_000_000_000L; // System.nanoTime may be negative
        shaper.offer(datagram, 0, 1000, t);
        shaper.offer(datagram, 0, 500, t);
        assertNull(shaper.poll(t));
        sendAndRelease(shaper.pollFirst());
        sendAndRelease(shaper.pollFirst());
        assertNull(shaper.pollFirst());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new EgressShaper(0, 10_000, pool));
        assertThrows(IllegalArgumentException.class, () -> new EgressShaper(1000, 100, pool));
    }

    private static void sendAndRelease(PacketBuffer sent) {
        assertNotNull(sent);
        assertTrue(sent.length() == 1000 || sent.length() == 500);
        sent.release();
    }
}
