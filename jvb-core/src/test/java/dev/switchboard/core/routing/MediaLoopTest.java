package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void tasksQueuedAheadRunBeforeQueuedPacketsAndTasksInTheirOwnOrder() throws Exception {
        try (MediaLoop loop = new MediaLoop("test-media", 4, pool)) {
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                blocked.countDown();
                awaitQuietly(release);
            });
            assertTrue(blocked.await(5, TimeUnit.SECONDS));
            assertTrue(loop.offerPacket(packet("packet-1")));
            loop.execute(() -> order.add("task"));
            assertTrue(loop.offerPacket(packet("packet-2")));
            // The queue (4) is now full: a task queued ahead neither waits nor is lost.
            assertTrue(loop.offerPacket(packet("packet-3")));
            loop.executeAhead(() -> order.add("ahead-1"));
            loop.executeAhead(() -> order.add("ahead-2"));
            release.countDown();
            CountDownLatch done = new CountDownLatch(1);
            loop.execute(done::countDown);
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(List.of("ahead-1", "ahead-2", "packet-1", "task", "packet-2", "packet-3"), order);
        }
        assertEquals(0, pool.outstanding());
    }

    @Test
    void tasksQueuedAheadStillRunWhenTheLoopStops() throws Exception {
        MediaLoop loop = new MediaLoop("test-media", 4, pool);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            awaitQuietly(release);
        });
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        loop.executeAhead(() -> order.add("ahead"));
        Thread closer = new Thread(loop::close);
        closer.start();
        release.countDown();
        closer.join(5000);
        assertEquals(List.of("ahead"), order);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
