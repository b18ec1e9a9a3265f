package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MediaLoopTest {
    private final PacketPool pool = new PacketPool(16);
    private final List<String> order = new CopyOnWriteArrayList<>();

    /** Tags packets so that the loop records their handling. */
    private PacketBuffer packet(String name) {
        PacketBuffer p = pool.acquire();
        p.setTag((MediaLoop.PacketHandler) handled -> {
            order.add(name);
            handled.release();
        });
        return p;
    }

    @Test
    void controlTasksRunBeforeQueuedPacketsInTheirOwnOrderAndNeverWaitForRoom() throws Exception {
        try (MediaLoop loop = new MediaLoop("test-media", 4, pool)) {
            CountDownLatch release = block(loop);
            assertTrue(loop.offerPacket(packet("packet-1")));
            loop.execute(() -> order.add("task-1"));
            assertTrue(loop.offerPacket(packet("packet-2")));
            assertTrue(loop.offerPacket(packet("packet-3")));
            PacketBuffer refused = pool.acquire();
            assertFalse(loop.offerPacket(refused), "the packet queue should be full");
            refused.release();
            loop.execute(() -> order.add("task-2")); // returns at once although the queue is full
            release.countDown();
            CountDownLatch done = new CountDownLatch(1);
            while (!loop.tryExecute(done::countDown)) { // a periodic task queues behind the packets
                Thread.onSpinWait();
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(List.of("task-1", "task-2", "packet-1", "packet-2", "packet-3"), order);
        }
        assertEquals(0, pool.outstanding());
    }

    @Test
    void controlTasksStillRunWhenTheLoopStops() throws Exception {
        MediaLoop loop = new MediaLoop("test-media", 4, pool);
        CountDownLatch release = block(loop);
        loop.execute(() -> order.add("task"));
        Thread closer = new Thread(loop::close);
        closer.start();
        release.countDown();
        closer.join(5000);
        assertEquals(List.of("task"), order);
    }

    /** Keeps the loop busy in a task until the returned latch is counted down. */
    private static CountDownLatch block(MediaLoop loop) throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            awaitQuietly(release);
        });
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        return release;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
