package dev.switchboard.bench.gen;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator thread that sends: for every connected participant, audio every 20 ms, video frames at
 * the frame rate released through the participant's pacer, RTCP reports, feedback and retransmissions. It
 * sleeps until the earliest thing due (park, so about 50-100 us of timer slack). It owns every sending SRTP
 * context.
 */
final class SendLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SendLoop.class);
    private static final long MAX_SLEEP = 2_000_000L;

    private final Thread thread;
    private final PacketBuffer scratch;
    private volatile Participant[] participants = new Participant[0];
    private volatile boolean running = true;
    volatile boolean sending = true;
    long lateWakeups;
    long maxLatenessNanos;

    SendLoop(PacketPool pool) {
        this.scratch = pool.acquire();
        this.thread = new Thread(this, "bench-send");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    synchronized void add(Participant p) {
        Participant[] list = Arrays.copyOf(participants, participants.length + 1);
        list[list.length - 1] = p;
        participants = list;
    }

    synchronized void remove(Participant p) {
        participants = Arrays.stream(participants).filter(x -> x != p).toArray(Participant[]::new);
    }

    /** Starts the lateness figures afresh (at the start of the measured window). */
    void resetStats() {
        resetRequested = true;
    }

    private volatile boolean resetRequested;

    @Override
    public void run() {
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (resetRequested) {
                resetRequested = false;
                lateWakeups = 0;
                maxLatenessNanos = 0;
                next = now;
            }
            if (now - next > 1_000_000L) {
                lateWakeups++;
            }
            maxLatenessNanos = Math.max(maxLatenessNanos, now - next);
            long earliest = now + MAX_SLEEP;
            boolean on = sending;
            for (Participant p : participants) {
                try {
                    earliest = Math.min(earliest, p.service(now, scratch, on));
                } catch (RuntimeException e) {
                    LOG.warn("send loop: participant {} failed", p.name, e);
                }
            }
            next = earliest;
            long sleep = earliest - System.nanoTime();
            if (sleep > 20_000) {
                LockSupport.parkNanos(sleep);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
