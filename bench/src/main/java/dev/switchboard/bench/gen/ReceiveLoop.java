package dev.switchboard.bench.gen;

import dev.switchboard.bench.media.LatencyHistogram;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A generator thread that receives for a set of participants: one selector over their non-blocking,
 * connected UDP sockets; each ready socket is drained into one reusable buffer, then the datagram is
 * demultiplexed (RFC 7983), decrypted and accounted by its participant. Latencies go to this loop's own
 * histogram while the runner measures.
 *
 * <p>The runner asks for marks (statistics snapshots); the loop takes them itself, between datagrams, so
 * that no statistics field is ever read while it changes.
 */
final class ReceiveLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);
    private static final int MAX_PER_SOCKET = 64;

    enum Mark { START, END, FINAL }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Participant> pending = new ConcurrentLinkedQueue<>();
    private final List<Participant> participants = new ArrayList<>();
    private final PacketBuffer buffer;
    private final ByteBuffer view;
    final LatencyHistogram histogram = new LatencyHistogram();
    volatile boolean measuring;
    private volatile Mark requestedMark;
    private volatile int requestedEpoch;
    private volatile int doneEpoch;
    private volatile boolean running = true;
    long readErrors;

    ReceiveLoop(String name, PacketPool pool) throws IOException {
        this.selector = Selector.open();
        this.buffer = pool.acquire();
        this.view = ByteBuffer.wrap(buffer.array());
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Any thread: adds a participant whose channel is connected. */
    void register(Participant p) {
        pending.add(p);
        selector.wakeup();
    }

    /** Asks the loop for a mark and waits until it is taken (or 2 s passed). */
    void mark(Mark mark) throws InterruptedException {
        int epoch;
        synchronized (this) {
            requestedMark = mark;
            epoch = ++requestedEpoch;
        }
        selector.wakeup();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (doneEpoch < epoch && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(this::onReady, 20);
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warn("receive loop failed: {}", e.toString());
                }
            }
            Participant p;
            while ((p = pending.poll()) != null) {
                try {
                    p.channel.register(selector, SelectionKey.OP_READ, p);
                    participants.add(p);
                } catch (ClosedChannelException e) {
                    // left before it was registered
                }
            }
            int epoch = requestedEpoch;
            if (doneEpoch != epoch) {
                takeMark(requestedMark);
                doneEpoch = epoch;
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing
        }
    }

    private void takeMark(Mark mark) {
        for (Participant p : participants) {
            for (RxStream s : p.rxList) {
                switch (mark) {
                    case START -> s.markStart();
                    case END -> s.markEnd();
                    case FINAL -> s.markFinal();
                }
            }
        }
    }

    private void onReady(SelectionKey key) {
        Participant p = (Participant) key.attachment();
        for (int i = 0; i < MAX_PER_SOCKET; i++) {
            view.limit(buffer.start() + PacketPool.MAX_DATAGRAM).position(buffer.start());
            int n;
            try {
                n = p.channel.read(view);
            } catch (IOException e) {
                // e.g. ICMP port unreachable once the bridge is gone
                readErrors++;
                if (!p.channel.isOpen()) {
                    key.cancel();
                }
                return;
            }
            if (n <= 0) {
                return;
            }
            long now = System.nanoTime();
            buffer.setOffsetAndLength(buffer.start(), n);
            try {
                p.onDatagram(buffer, now, this);
            } catch (RuntimeException e) {
                readErrors++;
                LOG.debug("datagram handling failed", e);
            }
        }
    }

    List<Participant> participants() {
        return participants;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
