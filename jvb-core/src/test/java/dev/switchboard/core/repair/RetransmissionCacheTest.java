package dev.switchboard.core.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.testing.ManualClock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetransmissionCacheTest {
    private static final long SECOND = 1_000_000_000L;

    private final PacketPool pool = new PacketPool(64);
    private final ManualClock clock = new ManualClock();
    private RetransmissionCache cache;

    @AfterEach
    void noLeaks() {
        if (cache != null) {
            cache.close();
        }
        assertEquals(0, pool.outstanding(), "every cached buffer went back to the pool");
    }

    /** An RTP packet of {@code size} bytes with this sequence number; payload bytes are {@code fill}. */
    static byte[] packet(int seq, int size, int fill) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) fill);
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        return p;
    }

    private void insert(int seq, int size) {
        byte[] p = packet(seq, size, seq);
        cache.insert(p, 0, p.length);
    }

    private static byte[] bytesOf(PacketBuffer buffer) {
        return Arrays.copyOfRange(buffer.array(), buffer.offset(), buffer.offset() + buffer.length());
    }

    @Test
    void storesACopyAndFindsItBySequenceNumber() {
        cache = new RetransmissionCache(pool, clock, 16, SECOND, 100_000);
        byte[] p = packet(1000, 200, 7);
        byte[] expected = p.clone();
        cache.insert(p, 0, p.length);
        Arrays.fill(p, (byte) 0); // the caller reuses its buffer (e.g. encrypts in place)
        PacketBuffer cached = cache.get(1000);
        assertNotNull(cached);
        assertArrayEquals(expected, bytesOf(cached));
        assertEquals(1000, RtpHeader.sequenceNumber(cached.array(), cached.offset()));
        assertNull(cache.get(1001));
        assertNull(cache.get(1000 + 16), "same slot, other sequence number");
        assertEquals(1, cache.size());
        assertEquals(200, cache.bytes());
        assertEquals(1, pool.outstanding());
    }

    @Test
    void boundedByCount() {
        cache = new RetransmissionCache(pool, clock, 4, SECOND, 100_000);
        for (int seq = 0; seq < 6; seq++) {
            insert(seq, 100);
        }
        assertEquals(4, cache.size());
        assertNull(cache.get(0));
        assertNull(cache.get(1));
        for (int seq = 2; seq < 6; seq++) {
            assertNotNull(cache.get(seq), "seq " + seq);
        }
        assertEquals(4, pool.outstanding());
    }

    @Test
    void capacityIsRoundedUpToAPowerOfTwo() {
        cache = new RetransmissionCache(pool, clock, 5, SECOND, 100_000);
        assertEquals(8, cache.maxCapacity());
        assertEquals(8, cache.capacity(), "smaller than the initial size: all of it at once");
        assertEquals(1, new RetransmissionCache(pool, clock, 1, SECOND, 1).maxCapacity());
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionCache(pool, clock, 0, SECOND, 1));
    }

    @Test
    void growsWhileItsPacketsAreYoungKeepingEveryOneAndTheirRetransmissionTimes() {
        cache = new RetransmissionCache(pool, clock, 512, SECOND, 10_000_000);
        assertEquals(RetransmissionCache.INITIAL_CAPACITY, cache.capacity());
        for (int seq = 65_500; seq < 65_500 + 100; seq++) { // across the wrap, all within the age limit
            insert(seq & 0xFFFF, 100);
        }
        assertEquals(128, cache.capacity(), "grew once the 64 slots were full");
        assertEquals(100, cache.size());
        assertNotNull(cache.getForRetransmission(65_510, SECOND));
        insert(220, 100); // slot 92 of 128 and slot 220 of 256 hold 65,500: grows twice, to 512
        assertEquals(512, cache.capacity());
        assertNotNull(cache.get(220));
        for (int seq = 65_500; seq < 65_500 + 100; seq++) {
            assertNotNull(cache.get(seq & 0xFFFF), "seq " + (seq & 0xFFFF));
        }
        assertNull(cache.getForRetransmission(65_510, SECOND), "its last retransmission moved with it");
        assertEquals(101, cache.size());
        assertEquals(101, pool.outstanding());
    }

    @Test
    void stopsGrowingAtItsBoundAndEvictsTheOldestThen() {
        cache = new RetransmissionCache(pool, clock, 128, SECOND, 10_000_000);
        for (int seq = 0; seq < 200; seq++) {
            insert(seq, 100);
        }
        assertEquals(128, cache.capacity());
        assertEquals(128, cache.size());
        assertNull(cache.get(71));
        assertNotNull(cache.get(72));
        assertEquals(128, pool.outstanding());
    }

    @Test
    void boundedByBytesEvictingTheOldest() {
        cache = new RetransmissionCache(pool, clock, 64, SECOND, 1000);
        for (int seq = 0; seq < 10; seq++) {
            insert(seq, 300);
        }
        assertEquals(3, cache.size());
        assertEquals(900, cache.bytes());
        assertNull(cache.get(6));
        assertNotNull(cache.get(7));
        assertNotNull(cache.get(9));
        byte[] tooBig = packet(50, 1001, 0);
        cache.insert(tooBig, 0, tooBig.length);
        assertNull(cache.get(50), "a packet above maxBytes is not cached");
        assertEquals(3, cache.size());
    }

    @Test
    void boundedByAge() {
        cache = new RetransmissionCache(pool, clock, 64, 500_000_000L, 100_000);
        insert(1, 100);
        clock.advanceMillis(300);
        insert(2, 100);
        clock.advanceMillis(200);
        assertNotNull(cache.get(1), "exactly max age is still served");
        clock.advanceMillis(1);
        assertNull(cache.get(1));
        assertNotNull(cache.get(2));
        assertEquals(1, pool.outstanding(), "expired buffers are released, not just hidden");
        clock.advanceMillis(400);
        assertNull(cache.get(2));
        assertEquals(0, cache.size());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void sequenceNumbersWrapAround() {
        cache = new RetransmissionCache(pool, clock, 8, SECOND, 100_000);
        for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2}) {
            insert(seq, 50);
        }
        for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2}) {
            assertEquals(seq & 0xFF, bytesOf(cache.get(seq))[20] & 0xFF);
        }
    }

    @Test
    void reinsertingASequenceNumberReplacesTheCopy() {
        cache = new RetransmissionCache(pool, clock, 4, SECOND, 100_000);
        byte[] first = packet(9, 100, 1);
        byte[] second = packet(9, 120, 2);
        cache.insert(first, 0, first.length);
        cache.insert(second, 0, second.length);
        assertEquals(1, cache.size());
        assertEquals(120, cache.bytes());
        assertArrayEquals(second, bytesOf(cache.get(9)));
        // the stale queue entry of the first copy must not evict the second one
        insert(10, 100);
        insert(11, 100);
        insert(12, 100);
        assertNotNull(cache.get(9));
        insert(13, 100);
        assertNull(cache.get(9));
        assertEquals(4, cache.size());
        assertEquals(4, pool.outstanding());
    }

    @Test
    void retransmissionIsPacedPerPacket() {
        cache = new RetransmissionCache(pool, clock, 8, SECOND, 100_000);
        insert(5, 100);
        long rtt = 50_000_000L;
        PacketBuffer first = cache.getForRetransmission(5, rtt);
        assertNotNull(first);
        clock.advanceMillis(20);
        assertNull(cache.getForRetransmission(5, rtt), "resent 20 ms ago, RTT 50 ms");
        assertSame(first, cache.get(5), "plain get is not paced");
        clock.advanceMillis(30);
        assertNotNull(cache.getForRetransmission(5, rtt));
        assertNull(cache.getForRetransmission(6, rtt));
    }

    @Test
    void ignoresWhatIsNotRtp() {
        cache = new RetransmissionCache(pool, clock, 8, SECOND, 100_000);
        byte[] notRtp = packet(1, 100, 0);
        notRtp[0] = 0x40;
        cache.insert(notRtp, 0, notRtp.length);
        cache.insert(notRtp, 0, 5);
        assertEquals(0, cache.size());
    }

    @Test
    void clearReleasesEverything() {
        cache = new RetransmissionCache(pool, clock, 32, SECOND, 100_000);
        for (int seq = 0; seq < 20; seq++) {
            insert(seq, 100);
        }
        assertEquals(20, pool.outstanding());
        cache.clear();
        assertEquals(0, pool.outstanding());
        assertEquals(0, cache.size());
        assertEquals(0, cache.bytes());
        insert(3, 100);
        assertNotNull(cache.get(3), "usable after clear");
    }

    @Test
    void randomTrafficKeepsItsBoundsAndItsContents() {
        cache = new RetransmissionCache(pool, clock, 32, 300_000_000L, 20_000);
        Random random = new Random(3);
        Map<Integer, byte[]> sent = new HashMap<>();
        Map<Integer, Long> sentAt = new HashMap<>();
        int seq = 65000;
        for (int i = 0; i < 5000; i++) {
            clock.advanceMillis(random.nextInt(20));
            int s = random.nextInt(10) == 0 ? (seq - random.nextInt(40)) & 0xFFFF : (seq = (seq + 1) & 0xFFFF);
            byte[] p = packet(s, 20 + random.nextInt(1200), random.nextInt(256));
            cache.insert(p, 0, p.length);
            sent.put(s, p);
            sentAt.put(s, clock.getAsLong());
            assertTrue(cache.size() <= 32);
            assertTrue(cache.bytes() <= 20_000);
            assertEquals(cache.size(), pool.outstanding());
            int probe = (seq - random.nextInt(50)) & 0xFFFF;
            PacketBuffer hit = cache.get(probe);
            if (hit != null) {
                assertArrayEquals(sent.get(probe), bytesOf(hit), "latest copy of " + probe);
                assertTrue(clock.getAsLong() - sentAt.get(probe) <= 300_000_000L);
            }
        }
    }
}
