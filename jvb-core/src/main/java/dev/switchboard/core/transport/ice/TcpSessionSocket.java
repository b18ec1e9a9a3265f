package dev.switchboard.core.transport.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ice4j.socket.IceSocketWrapper;

/**
 * The view an ice4j agent gets of one TCP connection on a {@link SharedTcpPort} (the TCP twin of
 * {@link SessionSocket}): {@code receive} yields the STUN frames the port's selector thread queued for it,
 * {@code send} frames the message (RFC 4571) onto the connection. It is neither a UDP nor a real TCP socket
 * for ice4j ({@link #getUDPSocket()} and {@link #getTCPSocket()} are null), which makes its STUN stack treat
 * it as a TCP transport. Payload never passes through here (it goes to the {@link PayloadHandler}).
 *
 * <p>Closing it (ice4j does when the agent frees its candidate) does not close the connection: the port
 * decides that, since an ICE restart may move the connection to another agent.
 */
final class TcpSessionSocket extends IceSocketWrapper {
    private static final int QUEUE_SIZE = 64;

    private final TcpConnection connection;
    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private volatile boolean closed;

    TcpSessionSocket(TcpConnection connection) {
        this.connection = connection;
    }

    TcpConnection connection() {
        return connection;
    }

    /** Selector thread: queues a copy of a STUN message; drops the oldest when ice4j falls behind. */
    void deliver(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        while (!queue.offer(copy)) {
            queue.poll();
        }
    }

    /** Sends payload (DTLS, SRTP, SRTCP) as one frame. */
    void sendPayload(byte[] buf, int off, int len) throws IOException {
        connection.send(buf, off, len);
    }

    /** Sends {@code data} (position..limit) as one frame. */
    void sendPayload(ByteBuffer data) throws IOException {
        connection.send(data);
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        byte[] data = null;
        while (data == null) {
            if (closed) {
                throw new SocketException("Socket closed");
            }
            try {
                data = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketException("interrupted");
            }
        }
        int len = Math.min(data.length, p.getData().length - p.getOffset());
        System.arraycopy(data, 0, p.getData(), p.getOffset(), len);
        p.setLength(len);
        p.setSocketAddress(connection.remote);
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
        connection.send(p.getData(), p.getOffset(), p.getLength());
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public InetAddress getLocalAddress() {
        return connection.port.localAddress().getAddress();
    }

    @Override
    public int getLocalPort() {
        return connection.port.localAddress().getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return connection.port.localAddress();
    }

    /** Null: ice4j must not touch a real socket (it has none, the port owns the channel). */
    @Override
    public Socket getTCPSocket() {
        return null;
    }

    /** Null: this is no UDP socket, so ice4j's STUN stack files it under TCP. */
    @Override
    public DatagramSocket getUDPSocket() {
        return null;
    }
}
