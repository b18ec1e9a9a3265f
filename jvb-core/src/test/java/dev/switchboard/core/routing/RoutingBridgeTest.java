package dev.switchboard.core.routing;

import static dev.switchboard.core.routing.TestBridgeConfigs.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.Conference;
import dev.switchboard.core.api.DtlsCertificateFiles;
import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.TransportDescription;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core API against a real bridge on 127.0.0.1 with a hand-built ICE peer (no browser). */
class RoutingBridgeTest {
    private static final Fingerprint PEER_FINGERPRINT = new Fingerprint("sha-256",
            "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");

    private RoutingBridge bridge;
    private final LinkedBlockingQueue<EndpointEvent> events = new LinkedBlockingQueue<>();

    private RoutingBridge start(List<String> allowed, Duration timeout) throws Exception {
        bridge = RoutingBridge.start(testConfig().allowedNetworks(allowed).iceFailureTimeout(timeout).build());
        return bridge;
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
            assertEquals(0, bridge.outstandingBuffers(), "pooled buffers leaked");
        }
    }

    private EndpointRequest request(String id) {
        TransportDescription remote = new TransportDescription(new IceParameters("peerufrag", "peerpasswordpeerpassword"),
                List.of(), List.of(PEER_FINGERPRINT), DtlsRole.CLIENT);
        return new EndpointRequest(id, remote, MediaDescription.NONE, events::add);
    }

    @Test
    void addEndpointDescribesTheBridgeSideOnTheSharedPort() throws Exception {
        start(List.of("127.0.0.0/8"), Duration.ofSeconds(30));
        Conference conference = bridge.conference("room1");
        TransportDescription local = conference.addEndpoint(request("alice")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(DtlsRole.SERVER, local.dtlsRole(), "the bridge answers an active/actpass peer as server");
        assertEquals(1, local.candidates().size());
        IceCandidate candidate = local.candidates().get(0);
        assertEquals("127.0.0.1", candidate.address());
        assertEquals(bridge.udpPort(), candidate.port());
        assertEquals("host", candidate.type());
        assertEquals("sha-256", local.fingerprints().get(0).algorithm());
        assertEquals(95, local.fingerprints().get(0).value().length(), "32 hex bytes with colons");
        assertTrue(local.ice().ufrag().length() >= 4 && local.ice().password().length() >= 22);

        assertEquals(java.util.Set.of("alice"), conference.endpointIds());
        assertEquals(1, bridge.statistics().endpoints());
        ExecutionException duplicate = assertThrows(ExecutionException.class,
                () -> conference.addEndpoint(request("alice")).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, duplicate.getCause());
    }

    @Test
    void removingTheLastEndpointNotifiesAndDropsTheConference() throws Exception {
        start(List.of("127.0.0.0/8"), Duration.ofSeconds(30));
        Conference conference = bridge.conference("room2");
        conference.addEndpoint(request("bob")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        conference.removeEndpoint("bob");
        EndpointEvent event = events.poll(5, TimeUnit.SECONDS);
        assertEquals(new EndpointEvent.Removed("bob"), event);
        assertTrue(bridge.findConference("room2").isEmpty());
        assertEquals(0, bridge.statistics().conferences());
    }

    @Test
    void endpointThatNeverConnectsFailsAfterTheTimeout() throws Exception {
        start(List.of("127.0.0.0/8"), Duration.ofMillis(300));
        bridge.conference("room3").addEndpoint(request("carol")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        EndpointEvent event = events.poll(5, TimeUnit.SECONDS);
        assertInstanceOf(EndpointEvent.Failed.class, event);
        assertTrue(((EndpointEvent.Failed) event).reason().contains("did not complete"));
    }

    @Test
    void answersChecksFromAllowedNetworksOnly() throws Exception {
        start(List.of("127.0.0.0/8"), Duration.ofSeconds(30));
        TransportDescription local = bridge.conference("room4").addEndpoint(request("dave"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(3000);
            assertBindingSuccess(peer, local.ice().ufrag() + ":peerufrag", local.ice().password());
        }
    }

    @Test
    void iceRestartGivesNewCredentialsAndTheSamePeerAddressReachesTheNewAgent() throws Exception {
        start(List.of("127.0.0.0/8"), Duration.ofSeconds(30));
        Conference conference = bridge.conference("room7");
        TransportDescription first = conference.addEndpoint(request("gina")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(3000);
            assertBindingSuccess(peer, first.ice().ufrag() + ":peerufrag", first.ice().password());

            TransportDescription second = conference.restartIce("gina", new IceParameters("peerufrag2",
                    "peerpassword2peerpassword2"), List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertFalse(second.ice().ufrag().equals(first.ice().ufrag()), "a restart brings a new ufrag");
            assertFalse(second.ice().password().equals(first.ice().password()), "and a new password");
            assertEquals(first.fingerprints(), second.fingerprints(), "DTLS is kept");
            assertEquals(bridge.udpPort(), second.candidates().get(0).port(), "on the same shared port");
            // the same peer address now checks the new agent, which must answer
            assertBindingSuccess(peer, second.ice().ufrag() + ":peerufrag2", second.ice().password());
        }
        ExecutionException unknown = assertThrows(ExecutionException.class, () -> conference.restartIce("nobody",
                new IceParameters("u", "p"), List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, unknown.getCause());
    }

    private void assertBindingSuccess(DatagramSocket peer, String username, String password) throws Exception {
        byte[] check = StunRequests.bindingRequest(username, password, 12345);
        peer.send(new DatagramPacket(check, check.length, InetAddress.getByName("127.0.0.1"), bridge.udpPort()));
        DatagramPacket response = new DatagramPacket(new byte[1500], 1500);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) { // skip the bridge's own checks toward us; wait for the answer to ours
            peer.receive(response);
            byte[] d = response.getData();
            if (d[0] == 0x01 && d[1] == 0x01 && java.util.Arrays.equals(d, 8, 20, check, 8, 20)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no Binding Success Response for " + username);
        }
    }

    /**
     * Fault injection drops RTP/RTCP/DTLS only: with 100 % dropped both ways, a connectivity check is still
     * answered, and what else the peer sends is dropped (counted as injected-in) before the bridge sees it.
     */
    @Test
    void faultInjectionNeverDropsStunSoChecksAreAnsweredAtOneHundredPercent() throws Exception {
        bridge = RoutingBridge.start(testConfig().build().withFaultInjection(100, 100, 7));
        TransportDescription local = bridge.conference("room8").addEndpoint(request("hank"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(3000);
            assertBindingSuccess(peer, local.ice().ufrag() + ":peerufrag", local.ice().password());
            assertBindingSuccess(peer, local.ice().ufrag() + ":peerufrag", local.ice().password());
            for (int i = 0; i < 10; i++) { // an RTP-looking and a DTLS-looking datagram, each five times
                byte[] payload = new byte[100];
                payload[0] = (byte) (i % 2 == 0 ? 0x80 : 22);
                peer.send(new DatagramPacket(payload, payload.length, InetAddress.getByName("127.0.0.1"),
                        bridge.udpPort()));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bridge.statistics().dropped().get("injected-in") < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        var stats = bridge.statistics();
        assertEquals(10L, stats.dropped().get("injected-in"), stats.toString());
        assertEquals(0, stats.packetsReceived(), "dropped before the bridge counts or classifies it");
        assertEquals(0L, stats.dropped().get("malformed"));
    }

    @Test
    void noFaultInjectionByDefault() throws Exception {
        start(List.of("127.0.0.0/8"), Duration.ofSeconds(30));
        assertEquals(0L, bridge.statistics().dropped().get("injected-in"));
        assertEquals(0L, bridge.statistics().dropped().get("injected-out"));
    }

    @Test
    void ignoresChecksFromOutsideTheAllowedNetworks() throws Exception {
        start(List.of("10.0.0.0/8"), Duration.ofSeconds(30));
        TransportDescription local = bridge.conference("room5").addEndpoint(request("erin"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        byte[] check = StunRequests.bindingRequest(local.ice().ufrag() + ":peerufrag", local.ice().password(), 12345);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(1000);
            peer.send(new DatagramPacket(check, check.length, InetAddress.getByName("127.0.0.1"), bridge.udpPort()));
            assertThrows(SocketTimeoutException.class, () -> peer.receive(new DatagramPacket(new byte[1500], 1500)));
        }
        assertEquals(1L, bridge.statistics().dropped().get("refused-network"));
    }

    @Test
    void advertisesTheFingerprintOfAConfiguredCertificateAndRefusesABadOne() throws Exception {
        Path certificate = Path.of(getClass().getResource("/dtls/ec.cert.pem").toURI());
        Path key = Path.of(getClass().getResource("/dtls/ec-sec1.key.pem").toURI());
        bridge = RoutingBridge.start(testConfig().dtlsCertificateFiles(new DtlsCertificateFiles(certificate, key))
                .build());
        TransportDescription local = bridge.conference("room9").addEndpoint(request("ivy"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("20:F1:47:5F:56:8C:CD:CB:47:8F:F4:64:09:4D:2B:B7:AD:2D:0A:C5:58:93:AE:EB:28:3C:0D:47:80:F0:02:1F",
                local.fingerprints().get(0).value(), "the fingerprint `openssl x509 -fingerprint -sha256` prints");
        int port = bridge.udpPort();
        bridge.close();
        bridge = null;

        BridgeConfig wrongKey = testConfig().udpPort(port).dtlsCertificateFiles(new DtlsCertificateFiles(certificate,
                Path.of(getClass().getResource("/dtls/other.key.pem").toURI()))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutingBridge.start(wrongKey));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        bridge = RoutingBridge.start(testConfig().udpPort(port).build());
        assertEquals(port, bridge.udpPort(), "the refused start released its port");
    }

    @Test
    void advertisesServerReflexiveCandidatesFromStaticMappingsAndStun() throws Exception {
        try (DatagramSocket stunServer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            Thread responder = new Thread(() -> answerOneBindingRequest(stunServer), "fake-stun");
            responder.start();
            bridge = RoutingBridge.start(testConfig().staticMappings(List.of("127.0.0.1=198.51.100.4"))
                    .stunServers(List.of("127.0.0.1:" + stunServer.getLocalPort())).build());
            responder.join(5000);
        }
        TransportDescription local = bridge.conference("room6").addEndpoint(request("frank"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<IceCandidate> srflx = local.candidates().stream().filter(c -> c.type().equals("srflx")).toList();
        assertEquals(2, srflx.size(), local.candidates().toString());
        assertEquals("198.51.100.4", srflx.get(0).address());
        assertEquals(bridge.udpPort(), srflx.get(0).port(), "a static mapping without port keeps the bridge's port");
        assertEquals("203.0.113.9", srflx.get(1).address());
        assertEquals(40000, srflx.get(1).port());
        for (IceCandidate c : srflx) {
            assertEquals("127.0.0.1", c.relatedAddress());
            assertEquals(bridge.udpPort(), c.relatedPort());
            assertTrue(c.priority() < local.candidates().get(0).priority(), "srflx ranks below host");
        }
    }

    /** A STUN server that maps everyone to 203.0.113.9:40000 (as a NAT would), answering one request. */
    private static void answerOneBindingRequest(DatagramSocket socket) {
        try {
            DatagramPacket request = new DatagramPacket(new byte[1500], 1500);
            socket.receive(request);
            byte[] r = request.getData();
            java.nio.ByteBuffer response = java.nio.ByteBuffer.allocate(32);
            response.putShort((short) 0x0101).putShort((short) 12).putInt(0x2112A442).put(r, 8, 12);
            response.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
                    .putShort((short) (40000 ^ 0x2112));
            byte[] ip = InetAddress.getByName("203.0.113.9").getAddress();
            byte[] cookie = {0x21, 0x12, (byte) 0xA4, 0x42};
            for (int i = 0; i < 4; i++) {
                response.put((byte) (ip[i] ^ cookie[i]));
            }
            socket.send(new DatagramPacket(response.array(), 32, request.getSocketAddress()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void randomDatagramsAreDroppedAndCounted() throws Exception {
        start(List.of("127.0.0.0/8"), Duration.ofSeconds(30));
        Random random = new Random(7);
        try (DatagramSocket noise = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[1 + random.nextInt(1400)];
                random.nextBytes(junk);
                noise.send(new DatagramPacket(junk, junk.length, InetAddress.getByName("127.0.0.1"), bridge.udpPort()));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bridge.statistics().dropped().get("unknown-source") < 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(200L, bridge.statistics().dropped().get("unknown-source"));
        assertFalse(bridge.statistics().droppedTotal() < 200);
    }
}
