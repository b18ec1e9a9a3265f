package dev.switchboard.core.transport.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BouncyCastle's view of the peer: datagrams pushed by the socket thread into a bounded queue (the oldest
 * dropped when full, never blocking the pusher), sends going straight to the {@link DatagramSender}.
 * {@link #receive} returns -1 on timeout so that BouncyCastle retransmits its flight (RFC 6347 section
 * 4.2.4); after {@link #shutDown()} it throws, which ends a blocked handshake.
 */
final class QueuedDatagramTransport implements DatagramTransport {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedDatagramTransport.class);
    /** Wakes a blocked receiver on shutdown; never handed to BouncyCastle. */
    private static final byte[] WAKE_UP = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(DtlsParameters.QUEUE_CAPACITY);
    private final DatagramSender sender;
    private final String logPrefix;
    private final AtomicLong overflowDrops = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile boolean shutDown;

    QueuedDatagramTransport(DatagramSender sender, String logPrefix) {
        this.sender = sender;
        this.logPrefix = logPrefix;
    }

    /** Copies and queues one received datagram; drops the oldest queued one when full. Never blocks. */
    void push(byte[] buf, int off, int len) {
        if (shutDown) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        while (!queue.offer(copy)) {
            if (queue.poll() != null) {
                overflowDrops.incrementAndGet();
            }
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
    }

    /** Makes every later {@link #receive} throw, wakes a blocked one and silences {@link #send}. */
    void shutDown() {
        shutDown = true;
        queue.clear();
        queue.offer(WAKE_UP);
    }

    boolean isShutDown() {
        return shutDown;
    }

    long overflowDrops() {
        return overflowDrops.get();
    }

    long sendFailures() {
        return sendFailures.get();
    }

    @Override
    public int getReceiveLimit() {
        return DtlsParameters.RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return DtlsParameters.MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (shutDown) {
            throw new IOException("DTLS session closed");
        }
        byte[] datagram;
        try {
            datagram = waitMillis > 0 ? queue.poll(waitMillis, TimeUnit.MILLISECONDS) : queue.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        }
        if (shutDown || datagram == WAKE_UP) {
            throw new IOException("DTLS session closed");
        }
        if (datagram == null) {
            return -1;
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    /** Hands a datagram to the sender; failures are logged and swallowed (UDP semantics, BC retransmits). */
    @Override
    public void send(byte[] buf, int off, int len) {
        if (shutDown) {
            return;
        }
        try {
            sender.send(buf, off, len);
        } catch (IOException | RuntimeException e) {
            sendFailures.incrementAndGet();
            LOG.debug("{} could not send a DTLS datagram of {} bytes: {}", logPrefix, len, e.toString());
        }
    }

    /** Called by BouncyCastle when it closes the connection; the session decides about shutting down. */
    @Override
    public void close() {
    }
}
