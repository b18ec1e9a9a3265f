package dev.switchboard.core.routing;

import dev.switchboard.core.api.ThreadPriority;
import dev.switchboard.core.stats.TransitRecorder;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media thread: it owns the SRTP state of every endpoint of the conferences assigned to it and does all
 * their decrypting, routing and encrypting, one item at a time, so that state needs no locks.
 *
 * <p>Its queue holds received packets (ownership passes to the loop; the loop releases them) and periodic
 * tasks ({@link #tryExecute}, dropped when the queue is full). Packets are offered without blocking and dropped
 * when the queue is full; the array-backed queue allocates nothing per packet.
 *
 * <p>Control tasks ({@link #execute}: an endpoint's media description, its SRTP keys, its removal, speaker and
 * last-N changes) have an unbounded queue of their own that the loop empties before each item of the packet
 * queue, in the order they were queued. So a caller never blocks and no control task is lost while the loop
 * runs: when a room saturates its loop, as 50 participants joining at once do, a bounded shared queue made the
 * signaling thread wait up to a second per call for room, dropped the task after that second, and made a late
 * joiner's keys wait behind thousands of queued packets. Control tasks still run when the loop stops, so they
 * can release what they own.
 */
public final class MediaLoop implements AutoCloseable {
    /** Handles one received packet on the loop; must release it. Implemented by the packet's tag. */
    public interface PacketHandler {
        void handlePacket(PacketBuffer packet);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MediaLoop.class);
    private static final Object STOP = new Object();
    /** Wakes the loop for a control task; carries nothing. */
    private static final Object WAKE_UP = new Object();

    private final ArrayBlockingQueue<Object> queue;
    private final ConcurrentLinkedQueue<Runnable> controlTasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final PacketBuffer scratch;
    private final int nice;
    private final TransitRecorder transit = new TransitRecorder();
    private volatile boolean running = true;

    public MediaLoop(String name, int queueSize, PacketPool pool) {
        this(name, queueSize, pool, 0);
    }

    /**
     * @param nice the Linux nice value the loop's thread asks for itself at start (0: none asked), see
     *     {@link ThreadPriority}
     */
    public MediaLoop(String name, int queueSize, PacketPool pool, int nice) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.scratch = pool.acquire();
        this.nice = nice;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Loop thread records in it how long each forwarded packet spent in the bridge; see {@link TransitRecorder}. */
    public TransitRecorder transit() {
        return transit;
    }

    /** Hands a packet whose tag is a {@link PacketHandler} to the loop; false (caller keeps it) when full. */
    public boolean offerPacket(PacketBuffer packet) {
        return running && queue.offer(packet);
    }

    /**
     * Runs a control task on the loop before the packets and periodic tasks queued now; control tasks keep their
     * order among themselves. Never blocks; the task is lost only when the loop has stopped.
     */
    public void execute(Runnable task) {
        if (!running) {
            return;
        }
        controlTasks.add(task);
        // When the queue is full the loop is busy: it looks at the control tasks before its next item anyway.
        queue.offer(WAKE_UP);
    }

    /** Queues a periodic control task without waiting; false (not queued) when the loop is stopped or full. */
    public boolean tryExecute(Runnable task) {
        return running && queue.offer(task);
    }

    /** Items waiting in the queue now. */
    public int queued() {
        return queue.size();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** A buffer only the loop thread uses, to build outgoing packets. Never released while the loop runs. */
    PacketBuffer scratch() {
        assert inLoop();
        return scratch;
    }

    private void run() {
        if (nice != 0) {
            ThreadPriority.Result result = ThreadPriority.setCurrentThreadNice(nice);
            if (result == ThreadPriority.Result.SET) {
                LOG.info("{} runs at nice {}", thread.getName(), nice);
            } else {
                LOG.info("{} could not set nice {} ({}): it runs at normal priority; a negative value needs root, "
                        + "CAP_SYS_NICE or a nice limit (RLIMIT_NICE, e.g. 'ulimits: nice: 30' in Docker compose)",
                        thread.getName(), nice, result);
            }
        }
        while (running) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            runControlTasks();
            if (item == STOP) {
                break;
            }
            if (item == WAKE_UP) {
                continue;
            }
            try {
                if (item instanceof PacketBuffer packet) {
                    ((PacketHandler) packet.tag()).handlePacket(packet);
                } else {
                    ((Runnable) item).run();
                }
            } catch (RuntimeException | AssertionError e) {
                LOG.error("{}: unexpected failure while processing", thread.getName(), e);
            }
        }
        drain();
    }

    private void runControlTasks() {
        Runnable task;
        while ((task = controlTasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | AssertionError e) {
                LOG.error("{}: unexpected failure while processing", thread.getName(), e);
            }
        }
    }

    /**
     * After stopping: releases queued packets and still runs queued control tasks, since those release what
     * loop-confined state owns (an endpoint's SRTP contexts, its retransmission caches).
     */
    private void drain() {
        runControlTasks();
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof PacketBuffer packet) {
                packet.release();
            } else if (item instanceof Runnable task) {
                try {
                    task.run();
                } catch (RuntimeException | AssertionError e) {
                    LOG.warn("{}: control task failed while stopping", thread.getName(), e);
                }
            }
        }
        scratch.release();
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        queue.offer(STOP); // when the queue is full the loop still stops: it checks running after each item
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
