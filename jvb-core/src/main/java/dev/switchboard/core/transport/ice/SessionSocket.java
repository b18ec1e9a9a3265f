package dev.switchboard.core.transport.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The view ice4j gets of one remote address on the shared port: a virtual, unbound {@link DatagramSocket}
 * whose {@code receive} yields the STUN messages the port's reader queued for it and whose {@code send} goes
 * out of the shared port. Payload never passes through here (it goes to the {@link PayloadHandler}).
 *
 * <p>The agent's STUN stack reads the session socket itself. ice4j's component socket also reads the socket the
 * candidate gives for a pair ({@link PortCandidate#getCandidateIceSocketWrapper}); that one is the
 * {@link #sendOnlyTwin}, which sends the same way and never yields anything, so the two readers never take
 * each other's messages. (ice4j's own multiplexing sockets would do the same with two 10,000-entry queues per
 * remote address, about 80 KB per participant that every young collection after a join has to copy.)
 */
final class SessionSocket extends DatagramSocket {
    private static final int QUEUE_SIZE = 64;

    private final SharedUdpPort port;
    private final InetSocketAddress remote;
    private final PayloadHandler handler;
    private final ArrayBlockingQueue<byte[]> queue;
    private volatile boolean closed;

    SessionSocket(SharedUdpPort port, InetSocketAddress remote, PayloadHandler handler) throws SocketException {
        this(port, remote, handler, QUEUE_SIZE);
    }

    private SessionSocket(SharedUdpPort port, InetSocketAddress remote, PayloadHandler handler, int queueSize)
            throws SocketException {
        super((SocketAddress) null);
        this.port = port;
        this.remote = remote;
        this.handler = handler;
        this.queue = new ArrayBlockingQueue<>(queueSize);
    }

    /** A socket for the same remote address that sends like this one and receives nothing until closed. */
    SessionSocket sendOnlyTwin() throws SocketException {
        return new SessionSocket(port, remote, handler, 1);
    }

    /** Socket thread: queues a copy of a STUN message; drops the oldest when ice4j falls behind. */
    void deliver(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        while (!queue.offer(copy)) {
            queue.poll();
        }
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        byte[] data = null;
        while (data == null) {
            if (closed) {
                throw new SocketException("Socket closed");
            }
            try {
                data = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketException("interrupted");
            }
        }
        int len = Math.min(data.length, p.getData().length - p.getOffset());
        System.arraycopy(data, 0, p.getData(), p.getOffset(), len);
        p.setLength(len);
        p.setSocketAddress(remote);
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
        port.send(p.getData(), p.getOffset(), p.getLength(), remote);
        byte[] b = p.getData();
        if (p.getLength() >= 2 && b[p.getOffset()] == 0x01 && b[p.getOffset() + 1] == 0x01) {
            handler.checkAnswered(); // a Binding Success Response
        }
    }

    @Override
    public InetAddress getLocalAddress() {
        return port.localAddress().getAddress();
    }

    @Override
    public int getLocalPort() {
        return port.localAddress().getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return port.localAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote;
    }

    @Override
    public InetAddress getInetAddress() {
        return remote.getAddress();
    }

    @Override
    public int getPort() {
        return remote.getPort();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        super.close();
    }
}
