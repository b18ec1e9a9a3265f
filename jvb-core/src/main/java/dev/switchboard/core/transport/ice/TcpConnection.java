package dev.switchboard.core.transport.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted TCP connection on a {@link SharedTcpPort}: RFC 4571 framing in both directions.
 *
 * <p>Reading happens on the port's selector thread only ({@link #in}, {@link #skipRemaining}). Sending is
 * thread-safe: a whole frame (2-byte length + data) is appended to a bounded outgoing buffer under
 * {@link #outLock} and written non-blockingly at once; what the socket does not take is written by the selector
 * thread when the socket becomes writable. A frame that does not fit is refused with an {@link IOException}
 * (never half-written), so a media thread never blocks on a slow peer: the packet is lost, as it would be on
 * UDP. A pending interrupt of the sending thread (ice4j cancels its pacer with {@code cancel(true)}, DTLS
 * handshakes are cancelled on close) is set aside during the write, so that it cannot close the channel.
 */
final class TcpConnection {
    /** Receive buffer before a valid check (Binding Requests are a few hundred bytes). */
    static final int UNAUTHENTICATED_READ_BUFFER = 1024;
    /** Receive buffer of an ICE session: frames up to this size minus 2 are delivered, longer ones skipped. */
    static final int READ_BUFFER = 8192;
    /** Frames waiting for the socket, per connection; about half a second of a 2 Mbit/s stream. */
    static final int WRITE_BUFFER = 128 * 1024;

    final SharedTcpPort port;
    final SocketChannel channel;
    final InetSocketAddress remote;
    final long acceptedNanos;
    SelectionKey key;

    /** Selector thread: the frames received so far (write mode). */
    ByteBuffer in = ByteBuffer.allocate(UNAUTHENTICATED_READ_BUFFER);
    /** Selector thread: bytes of an oversized frame still to discard. */
    int skipRemaining;

    /** The ICE session this connection feeds; null until its first frame was a valid check. */
    volatile Binding binding;

    private final Object outLock = new Object();
    private ByteBuffer out;
    private boolean writeInterest;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Which agent's candidate the connection belongs to, and the virtual socket its STUN goes to. */
    record Binding(TcpPortCandidate candidate, TcpSessionSocket socket) {}

    TcpConnection(SharedTcpPort port, SocketChannel channel, InetSocketAddress remote, long acceptedNanos) {
        this.port = port;
        this.channel = channel;
        this.remote = remote;
        this.acceptedNanos = acceptedNanos;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Sends one frame carrying {@code buf[off, off+len)}. Thread-safe, never blocks. */
    void send(byte[] buf, int off, int len) throws IOException {
        checkLength(len);
        IOException failure;
        synchronized (outLock) {
            ByteBuffer b = reserve(len);
            b.put((byte) (len >>> 8)).put((byte) len).put(buf, off, len);
            failure = flushLocked();
        }
        failed(failure);
    }

    /** Sends one frame carrying {@code data}'s position..limit (the position advances). */
    void send(ByteBuffer data) throws IOException {
        int len = data.remaining();
        checkLength(len);
        IOException failure;
        synchronized (outLock) {
            ByteBuffer b = reserve(len);
            b.put((byte) (len >>> 8)).put((byte) len).put(data);
            failure = flushLocked();
        }
        failed(failure);
    }

    /** Outside the lock: a failed write closes the connection. */
    private void failed(IOException failure) throws IOException {
        if (failure != null) {
            port.closeConnection(this, "write failed: " + failure.getMessage());
            throw failure;
        }
    }

    private static void checkLength(int len) throws IOException {
        if (len > 0xFFFF) {
            throw new IOException("a frame carries at most 65535 bytes, not " + len);
        }
    }

    private ByteBuffer reserve(int len) throws IOException {
        if (closed.get()) {
            throw new IOException("TCP connection to " + remote + " closed");
        }
        if (out == null) {
            out = ByteBuffer.allocate(WRITE_BUFFER);
        }
        if (out.remaining() < len + 2) {
            port.sendOverflow();
            throw new IOException("TCP send buffer to " + remote + " is full");
        }
        return out;
    }

    /** Selector thread: the socket can take more. */
    void onWritable() {
        IOException failure;
        synchronized (outLock) {
            failure = out == null ? null : flushLocked();
        }
        if (failure != null) {
            port.closeConnection(this, "write failed: " + failure.getMessage());
        }
    }

    /** Writes what the socket takes now; returns the write's failure (the caller closes), or null. */
    private IOException flushLocked() {
        out.flip();
        boolean interrupted = Thread.interrupted();
        try {
            if (out.hasRemaining()) {
                channel.write(out);
            }
            out.compact();
        } catch (IOException e) {
            out.clear();
            return e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        boolean pending = out.position() > 0;
        if (pending != writeInterest && !closed.get()) {
            writeInterest = pending;
            try {
                key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            } catch (RuntimeException cancelled) {
                return null; // closed meanwhile
            }
            if (pending) {
                key.selector().wakeup();
            }
        }
        return null;
    }

    /** Marks the connection closed; true for the first caller. The port closes the channel. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "tcp " + remote;
    }
}
