package dev.switchboard.core.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.packet.AllowedNetworks;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ICE-TCP port's defences: idle and garbage connections, the connection cap, allowed networks. */
class SharedTcpPortTest {
    private static final AllowedNetworks LOOPBACK = new AllowedNetworks(List.of("127.0.0.0/8"));

    private SharedTcpPort port;
    private final List<Socket> sockets = new ArrayList<>();
    private IceTransport transport;

    @AfterEach
    void close() throws IOException {
        if (transport != null) {
            transport.close();
        }
        for (Socket s : sockets) {
            s.close();
        }
        if (port != null) {
            port.close();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", port.port()), 3000);
        socket.setSoTimeout(3000);
        return socket;
    }

    /** Reads until the bridge closes the connection; fails when it stays open longer than the socket timeout. */
    private static void assertClosedByBridge(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[256];
        int n;
        try {
            do {
                n = in.read(buf);
            } while (n > 0);
        } catch (java.net.SocketException reset) {
            return; // closed with unread data: a reset, also a close
        }
        assertEquals(-1, n);
    }

    private static void awaitCount(LongSupplier counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (counter.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, counter.getAsLong());
    }

    @Test
    void aSilentConnectionIsClosedAfterTheAuthenticationTimeout() throws Exception {
        port = SharedTcpPort.bind("127.0.0.1", 0, LOOPBACK, 10, Duration.ofMillis(300), Duration.ZERO);
        Socket socket = connect();
        long start = System.nanoTime();
        assertClosedByBridge(socket);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 250 && millis < 2000, "closed after " + millis + " ms");
        awaitCount(port::idleTimeouts, 1);
        assertEquals(0, port.openConnections());
    }

    @Test
    void aFirstFrameThatIsNoCheckForAKnownUfragClosesTheConnection() throws Exception {
        port = SharedTcpPort.bind("127.0.0.1", 0, LOOPBACK, 10, Duration.ofSeconds(10), Duration.ZERO);
        Socket garbage = connect();
        garbage.getOutputStream().write(new byte[] {0, 4, 1, 2, 3, 4});
        assertClosedByBridge(garbage);

        Socket unknownUfrag = connect();
        frame(unknownUfrag, bindingRequest("nobody:peer"));
        assertClosedByBridge(unknownUfrag);

        Socket huge = connect();
        huge.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, 0});
        assertClosedByBridge(huge);

        awaitCount(port::invalidConnections, 3);
        assertEquals(0, port.idleTimeouts());
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
        port = SharedTcpPort.bind("127.0.0.1", 0, LOOPBACK, 2, Duration.ofSeconds(10), Duration.ZERO);
        connect();
        connect();
        awaitCount(port::openConnections, 2);
        Socket third = connect();
        assertClosedByBridge(third);
        assertEquals(1, port.overCapacityConnections());
        assertEquals(2, port.openConnections());
    }

    @Test
    void connectionsFromOutsideTheAllowedNetworksAreClosedAtOnce() throws Exception {
        port = SharedTcpPort.bind("127.0.0.1", 0, new AllowedNetworks(List.of("10.0.0.0/8")), 10,
                Duration.ofSeconds(10), Duration.ZERO);
        assertClosedByBridge(connect());
        assertEquals(1, port.refusedConnections());
    }

    @Test
    void aConnectionWhoseFirstFrameNamesAnAgentStaysOpenAndSkipsOversizedFrames() throws Exception {
        port = SharedTcpPort.bind("127.0.0.1", 0, LOOPBACK, 10, Duration.ofMillis(300), Duration.ZERO);
        List<Integer> payloadSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        transport = new IceTransport("t", List.of(), List.of(port), LOOPBACK,
                (buf, off, len) -> payloadSizes.add(len), new IceTransport.Listener() {
                    @Override
                    public void iceConnected() {}

                    @Override
                    public void iceFailed(String reason) {}
                });
        assertEquals(1, transport.localCandidates().size());
        assertEquals("passive", transport.localCandidates().get(0).tcpType());
        String ufrag = transport.localParameters().ufrag();

        Socket socket = connect();
        // the check (its integrity is not checked by the port, the agent answers or not) and a payload frame,
        // then an oversized frame and another payload frame, in one write
        ByteBuffer b = ByteBuffer.allocate(20000);
        byte[] check = bindingRequest(ufrag + ":peer");
        b.putShort((short) check.length).put(check);
        b.putShort((short) 3).put(new byte[] {(byte) 128, 0, 0});
        b.putShort((short) 9000).put(new byte[9000]);
        b.putShort((short) 5).put(new byte[] {(byte) 128, 1, 2, 3, 4});
        socket.getOutputStream().write(b.array(), 0, b.position());

        Thread.sleep(800); // well past the authentication timeout
        assertEquals(1, port.openConnections(), "an ICE session is not subject to the authentication timeout");
        assertEquals(0, port.idleTimeouts());
        assertEquals(List.of(3, 5), payloadSizes, "payload frames reach the payload handler, oversized are skipped");
        assertEquals(1, port.oversizedFrames());

        transport.close(); // frees the agent: its connections go
        transport = null;
        socket.setSoTimeout(3000);
        assertClosedByBridge(socket);
        awaitCount(() -> port.openConnections() == 0 ? 1 : 0, 1);
    }

    @Test
    void checksOverTcpWaitForTheUdpHeadStart() throws Exception {
        port = SharedTcpPort.bind("127.0.0.1", 0, LOOPBACK, 10, Duration.ofSeconds(10), Duration.ofMillis(400));
        transport = new IceTransport("t", List.of(), List.of(port), LOOPBACK, (buf, off, len) -> { },
                new IceTransport.Listener() {
                    @Override
                    public void iceConnected() {}

                    @Override
                    public void iceFailed(String reason) {}
                });
        Socket socket = connect();
        byte[] check = bindingRequest(transport.localParameters().ufrag() + ":peer");
        frame(socket, check);
        awaitCount(port::heldChecks, 1);
        assertEquals(1, port.openConnections(), "a held check still makes the connection a session");
        Thread.sleep(500);
        frame(socket, check);
        Thread.sleep(200);
        assertEquals(1, port.heldChecks(), "after the head start checks go to the agent");
    }

    @Test
    void closingThePortClosesItsConnections() throws Exception {
        port = SharedTcpPort.bind("127.0.0.1", 0, LOOPBACK, 10, Duration.ofSeconds(10), Duration.ZERO);
        Socket socket = connect();
        awaitCount(port::openConnections, 1);
        port.close();
        assertClosedByBridge(socket);
        Socket late = new Socket();
        sockets.add(late);
        assertThrows(IOException.class, () -> late.connect(new InetSocketAddress("127.0.0.1", port.port()), 1000));
    }

    private static void frame(Socket socket, byte[] message) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(message.length);
        out.write(message);
        out.flush();
    }

    /** A Binding Request with only a USERNAME (what the port reads to find the agent). */
    private static byte[] bindingRequest(String username) {
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        int padded = (name.length + 3) / 4 * 4;
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + padded);
        b.putShort((short) 0x0001).putShort((short) (4 + padded)).putInt(0x2112A442);
        b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        b.putShort((short) 0x0006).putShort((short) name.length).put(name);
        return b.array();
    }

    @Test
    void aSocketTimeoutMeansOpen() {
        // guards assertClosedByBridge's contract: a connection that stays open makes it fail, not pass
        assertThrows(SocketTimeoutException.class, () -> {
            port = SharedTcpPort.bind("127.0.0.1", 0, LOOPBACK, 10, Duration.ofSeconds(10), Duration.ZERO);
            Socket socket = connect();
            socket.setSoTimeout(200);
            assertClosedByBridge(socket);
        });
    }
}
