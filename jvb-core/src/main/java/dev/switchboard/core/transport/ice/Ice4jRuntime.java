package dev.switchboard.core.transport.ice;

import java.util.concurrent.ArrayBlockingQueue;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

/**
 * ice4j's process-wide settings. ice4j keeps them in static fields and reads its configuration once, so
 * they are applied here, once, before the first ice4j class does any work:
 * <ul>
 *   <li>the push API (payload datagrams are handed to {@code Component}'s buffer callback, not queued);</li>
 *   <li>a pool for the {@link Buffer}s ice4j receives into (it allocates one per datagram otherwise);</li>
 *   <li>no AWS address probe and no dynamic host ports: the bridge only uses its shared port.</li>
 * </ul>
 * These are ice4j's globals, not ours: the bridge itself keeps no static mutable state.
 */
public final class Ice4jRuntime {
    private static final int BUFFER_SIZE = 1500;
    private static final Object LOCK = new Object();
    private static boolean initialized;

    private Ice4jRuntime() {}

    public static void initialize() {
        synchronized (LOCK) {
            if (initialized) {
                return;
            }
            System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
            System.setProperty("ice4j.harvest.udp.use-dynamic-ports", "false");
            System.setProperty("ice4j.use-component-socket", "false");
            AbstractUdpListener.USE_PUSH_API = true;
            ArrayBlockingQueue<Buffer> free = new ArrayBlockingQueue<>(1024);
            BufferPool.getBuffer = size -> {
                Buffer buffer = size <= BUFFER_SIZE ? free.poll() : null;
                if (buffer == null) {
                    buffer = new Buffer(new byte[Math.max(size, BUFFER_SIZE)], 0, 0);
                }
                return buffer;
            };
            BufferPool.returnBuffer = buffer -> {
                if (buffer.getBuffer().length == BUFFER_SIZE) {
                    buffer.setRemoteAddress(null);
                    buffer.setReceivedTime(null);
                    free.offer(buffer);
                }
                return kotlin.Unit.INSTANCE;
            };
            initialized = true;
        }
    }

    /** Gives a received buffer back to ice4j's pool. */
    public static void release(Buffer buffer) {
        BufferPool.returnBuffer.invoke(buffer);
    }
}
