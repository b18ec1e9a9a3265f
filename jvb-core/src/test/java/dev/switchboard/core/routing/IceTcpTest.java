package dev.switchboard.core.routing;

import static dev.switchboard.core.routing.TestBridgeConfigs.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.TransportDescription;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ICE over TCP (RFC 6544) against a real bridge on 127.0.0.1, with a hand-built client that speaks RFC 4571
 * framing (a 2-byte length before every packet) on a plain socket.
 */
class IceTcpTest {
    private static final Fingerprint PEER_FINGERPRINT = new Fingerprint("sha-256",
            "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");

    private RoutingBridge bridge;

    private RoutingBridge start() throws Exception {
        bridge = RoutingBridge.start(testConfig().tcpPort(0).build());
        return bridge;
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
            assertEquals(0, bridge.outstandingBuffers(), "pooled buffers leaked");
        }
    }

    private TransportDescription addEndpoint(String room, String id, String peerUfrag) throws Exception {
        TransportDescription remote = new TransportDescription(
                new IceParameters(peerUfrag, "peerpasswordpeerpassword"), List.of(), List.of(PEER_FINGERPRINT),
                DtlsRole.CLIENT);
        return bridge.conference(room).addEndpoint(new EndpointRequest(id, remote, MediaDescription.NONE, e -> { }))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void advertisesAPassiveTcpCandidateBelowUdp() throws Exception {
        start();
        TransportDescription local = addEndpoint("tcp1", "alice", "peerufrag");
        assertEquals(2, local.candidates().size(), local.candidates().toString());
        IceCandidate udp = local.candidates().stream().filter(c -> c.protocol().equals("udp")).findFirst()
                .orElseThrow();
        IceCandidate tcp = local.candidates().stream().filter(c -> c.protocol().equals("tcp")).findFirst()
                .orElseThrow();
        assertEquals("passive", tcp.tcpType());
        assertEquals("host", tcp.type());
        assertEquals("127.0.0.1", tcp.address());
        assertEquals(bridge.tcpPort(), tcp.port(), "the real port, not the discard port 9");
        assertTrue(bridge.tcpPort() > 0);
        assertEquals(null, udp.tcpType());
        assertTrue(tcp.priority() < udp.priority(), "UDP ranks above TCP: " + udp + " / " + tcp);
        assertEquals((90L << 24) + (((4L << 13) + 8191) << 8) + 255, tcp.priority(),
                "type preference 90, RFC 6544 local preference with direction-pref 4 (passive)");
        assertTrue(bridge.statistics().dropped().containsKey("tcp-idle-timeout"));
    }

    @Test
    void answersAFramedCheckWithAFramedSuccessResponseAndTakesPayloadOnTheConnection() throws Exception {
        start();
        TransportDescription local = addEndpoint("tcp2", "bob", "peerufrag");
        long added = System.nanoTime();
        try (Socket socket = connect()) {
            byte[] check = StunRequests.bindingRequest(local.ice().ufrag() + ":peerufrag", local.ice().password(),
                    12345);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            // split the frame over two writes: the bridge must reassemble it
            out.writeShort(check.length);
            out.write(check, 0, 7);
            out.flush();
            Thread.sleep(50);
            out.write(check, 7, check.length - 7);
            out.flush();
            assertSuccessResponse(socket, check);
            assertTrue(System.nanoTime() - added >= TimeUnit.MILLISECONDS.toNanos(900),
                    "checks over TCP are answered only after the 1 s UDP head start");

            long before = bridge.statistics().packetsReceived();
            byte[] dtlsLike = new byte[100];
            dtlsLike[0] = 22; // RFC 7983: 20..63 is DTLS
            out.writeShort(dtlsLike.length);
            out.write(dtlsLike);
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (bridge.statistics().packetsReceived() == before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(before + 1, bridge.statistics().packetsReceived(),
                    "a non-STUN frame goes to the endpoint like a datagram on the UDP port");
        }
    }

    @Test
    void anIceRestartMovesTheSameConnectionToTheNewAgent() throws Exception {
        start();
        TransportDescription first = addEndpoint("tcp3", "carol", "peerufrag");
        try (Socket socket = connect()) {
            byte[] check = StunRequests.bindingRequest(first.ice().ufrag() + ":peerufrag", first.ice().password(), 1);
            send(socket, check);
            assertSuccessResponse(socket, check);

            TransportDescription second = bridge.conference("tcp3").restartIce("carol",
                    new IceParameters("peerufrag2", "peerpassword2peerpassword2"), List.of())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            byte[] restartCheck = StunRequests.bindingRequest(second.ice().ufrag() + ":peerufrag2",
                    second.ice().password(), 1);
            send(socket, restartCheck);
            assertSuccessResponse(socket, restartCheck);
        }
    }

    @Test
    void garbageIsRefusedAndCounted() throws Exception {
        start();
        addEndpoint("tcp4", "dave", "peerufrag");
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            socket.setSoTimeout(3000);
            assertEquals(-1, readUntilClosed(socket), "the bridge closes a connection that starts with garbage");
        }
        assertEquals(1L, bridge.statistics().dropped().get("tcp-invalid"));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", bridge.tcpPort()), 3000);
        socket.setSoTimeout(3000);
        return socket;
    }

    private static void send(Socket socket, byte[] frame) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(frame.length);
        out.write(frame);
        out.flush();
    }

    /**
     * Reads frames until the Binding Success Response to {@code check}, skipping the bridge's own checks, and
     * sends the check again every 250 ms meanwhile, as a browser keeps pinging: the bridge answers checks over
     * TCP only after its UDP head start ({@code SharedTcpPort.DEFAULT_UDP_HEAD_START}, 1 s).
     */
    private static void assertSuccessResponse(Socket socket, byte[] check) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        socket.setSoTimeout(250);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        try {
            while (System.nanoTime() < deadline) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (java.net.SocketTimeoutException e) {
                    send(socket, check); // no frame yet (a timeout here never cuts a frame: frames come whole)
                    continue;
                }
                byte[] frame = new byte[length];
                in.readFully(frame);
                assertTrue(length >= 20, "a STUN message in the frame");
                if (frame[0] == 0x01 && frame[1] == 0x01 && Arrays.equals(frame, 8, 20, check, 8, 20)) {
                    assertEquals(length, 20 + (((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)),
                            "exactly one STUN message per frame");
                    return;
                }
            }
        } finally {
            socket.setSoTimeout(3000);
        }
        throw new AssertionError("no framed Binding Success Response");
    }

    private static int readUntilClosed(Socket socket) throws IOException {
        byte[] buf = new byte[1024];
        int n;
        do {
            n = socket.getInputStream().read(buf);
        } while (n > 0);
        return n;
    }

    @Test
    void noTcpCandidateWhenDisabled() throws Exception {
        bridge = RoutingBridge.start(testConfig().tcpPort(BridgeConfig.TCP_DISABLED).build());
        TransportDescription local = addEndpoint("tcp5", "erin", "peerufrag");
        assertEquals(List.of("udp"), local.candidates().stream().map(IceCandidate::protocol).toList());
        assertEquals(-1, bridge.tcpPort());
        assertNotNull(local.ice());
    }
}
