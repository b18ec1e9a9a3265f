package dev.switchboard.core.routing;

import static dev.switchboard.core.routing.TestBridgeConfigs.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.api.SelectedPair;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.transport.dtls.DtlsCertificate;
import dev.switchboard.core.transport.dtls.DtlsSession;
import dev.switchboard.core.transport.srtp.SrtpSession;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 7675 consent freshness sent by the bridge, against a real ICE/DTLS/SRTP peer on 127.0.0.1 (hand-built
 * STUN, jvb-core's own DTLS client and SRTP): the bridge checks consent on the selected pair; while the peer
 * answers, the endpoint stays; once the peer stops answering STUN (it still sends SRTP media every 20 ms, so
 * the silence timeout cannot be what fires), the endpoint fails with "consent expired" about one consent timeout
 * later. The consent timeout is 1.2 s here (checks about every 200 ms); the silence timeout stays at 30 s.
 */
class ConsentFreshnessTest {
    private static final Duration CONSENT_TIMEOUT = Duration.ofMillis(1200);
    private static final String PEER_UFRAG = "peerufrag";
    private static final String PEER_PASSWORD = "peerpasswordpeerpassword";

    private RoutingBridge bridge;
    private Peer peer;
    private final LinkedBlockingQueue<EndpointEvent> events = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (bridge != null) {
            bridge.close();
            assertEquals(0, bridge.outstandingBuffers(), "pooled buffers leaked");
        }
    }

    @Test
    void anEndpointThatStopsAnsweringConsentChecksIsFailedEvenWhileItSendsMedia() throws Exception {
        bridge = RoutingBridge.start(testConfig().consentTimeout(CONSENT_TIMEOUT)
                .iceFailureTimeout(Duration.ofSeconds(30)).build());
        peer = new Peer();
        TransportDescription local = bridge.conference("consent").addEndpoint(new EndpointRequest("pat",
                new TransportDescription(new IceParameters(PEER_UFRAG, PEER_PASSWORD), List.of(),
                        List.of(peer.certificate.fingerprint()), DtlsRole.CLIENT),
                new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(Peer.SSRC)))), events::add))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(bridge.conference("consent").selectedPair("pat").isEmpty(), "no pair before ICE");
        peer.connect(local, bridge.udpPort());
        assertInstanceOf(EndpointEvent.Connected.class, events.poll(10, TimeUnit.SECONDS));
        // The peer signalled no candidate: the bridge learned its address from its checks (peer-reflexive).
        assertEquals(new SelectedPair("udp", new InetSocketAddress("127.0.0.1", bridge.udpPort()),
                        (InetSocketAddress) peer.socket.getLocalSocketAddress(), "prflx", false),
                bridge.conference("consent").selectedPair("pat").orElseThrow());
        assertTrue(bridge.conference("consent").selectedPair("nobody").isEmpty());

        // Answering: consent checks keep coming and the endpoint stays for three consent timeouts.
        int checksBefore = peer.checksReceived.get();
        int unsignedBefore = peer.checksWithoutFingerprint.get();
        long mediaBefore = bridge.statistics().packetsReceived();
        assertNull(events.poll(CONSENT_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS), "no event while consenting");
        int checks = peer.checksReceived.get() - checksBefore;
        assertTrue(checks >= 9, "the bridge checks consent about every 200 ms: " + checks + " checks in 3.6 s");
        assertTrue(bridge.statistics().packetsReceived() > mediaBefore + 100, "the peer sends media");
        assertEquals(unsignedBefore, peer.checksWithoutFingerprint.get(), "consent checks carry FINGERPRINT");

        // Consent revoked: STUN is no longer answered, media keeps flowing.
        long revoked = System.nanoTime();
        peer.answerStun = false;
        EndpointEvent event = events.poll(CONSENT_TIMEOUT.toMillis() + 3000, TimeUnit.MILLISECONDS);
        long afterMillis = (System.nanoTime() - revoked) / 1_000_000;
        assertInstanceOf(EndpointEvent.Failed.class, event, "the endpoint fails once consent expires");
        assertTrue(((EndpointEvent.Failed) event).reason().contains("consent expired"), event.toString());
        assertTrue(afterMillis >= CONSENT_TIMEOUT.toMillis() - 300, "not before the timeout: " + afterMillis + " ms");
        assertTrue(peer.mediaSent.get() > 0 && peer.lastMediaSentNanos > revoked + (afterMillis - 100) * 1_000_000,
                "media was still being sent when the bridge gave up");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // the event may precede the cleanup
        while (bridge.findConference("consent").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(bridge.findConference("consent").isEmpty(), "the endpoint is gone (and its conference)");
    }

    /**
     * A controlling ICE peer with one host candidate: nominates the bridge's candidate (USE-CANDIDATE), answers
     * the bridge's Binding Requests while {@link #answerStun}, does DTLS as client and then sends SRTP audio.
     */
    private static final class Peer implements AutoCloseable {
        static final long SSRC = 0x5EED1234L;
        final DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
        final AtomicInteger checksReceived = new AtomicInteger();
        /** Binding Requests whose last attribute is not FINGERPRINT (RFC 8445 section 7.1 wants it). */
        final AtomicInteger checksWithoutFingerprint = new AtomicInteger();
        final AtomicInteger mediaSent = new AtomicInteger();
        volatile boolean answerStun = true;
        volatile long lastMediaSentNanos;
        private final DatagramSocket socket;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final PacketPool pool = new PacketPool(4);
        private volatile InetSocketAddress bridgeAddress;
        private volatile DtlsSession dtls;
        private volatile boolean closed;

        Peer() throws SocketException, java.net.UnknownHostException {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            socket.setSoTimeout(200);
        }

        void connect(TransportDescription bridgeSide, int port) throws Exception {
            bridgeAddress = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
            dtls = new DtlsSession(certificate, DtlsRole.CLIENT, bridgeSide.fingerprints(),
                    (buf, off, len) -> socket.send(new DatagramPacket(buf, off, len, bridgeAddress)), threads,
                    new SecureRandom());
            threads.execute(this::receiveLoop);
            String username = bridgeSide.ice().ufrag() + ":" + PEER_UFRAG;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!dtls.handshakeFuture().isDone() && System.nanoTime() < deadline) {
                byte[] check = StunRequests.bindingRequest(username, bridgeSide.ice().password(), 0x6E0001FFL, true);
                socket.send(new DatagramPacket(check, check.length, bridgeAddress));
                if (checksReceived.get() > 0 && !dtlsStarted) {
                    dtlsStarted = true; // the bridge has checked us back: the pair works both ways
                    dtls.start();
                }
                Thread.sleep(50);
            }
            SrtpSession srtp = new SrtpSession(dtls.handshakeFuture().get(5, TimeUnit.SECONDS));
            threads.execute(() -> sendMedia(srtp));
        }

        private boolean dtlsStarted;

        private void receiveLoop() {
            byte[] buf = new byte[1500];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (!closed) {
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                int first = buf[0] & 0xFF;
                if (first <= 3 && packet.getLength() >= 20 && buf[0] == 0 && buf[1] == 1) { // Binding Request
                    checksReceived.incrementAndGet();
                    int last = packet.getLength() - 8;
                    if (last < 20 || buf[last] != (byte) 0x80 || buf[last + 1] != 0x28) {
                        checksWithoutFingerprint.incrementAndGet();
                    }
                    if (answerStun) {
                        try {
                            byte[] response = StunRequests.bindingSuccess(java.util.Arrays.copyOf(buf, 20),
                                    (InetSocketAddress) packet.getSocketAddress(), PEER_PASSWORD);
                            socket.send(new DatagramPacket(response, response.length, packet.getSocketAddress()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                } else if (first >= 20 && first <= 63) {
                    dtls.onDatagram(buf, 0, packet.getLength());
                }
            }
        }

        /** Opus-like audio, 20 ms apart, protected with the keys of the handshake. */
        private void sendMedia(SrtpSession srtp) {
            int seq = 0;
            while (!closed) {
                PacketBuffer p = pool.acquire();
                try {
                    byte[] rtp = new byte[12 + 60];
                    java.nio.ByteBuffer.wrap(rtp).put((byte) 0x80).put((byte) 111).putShort((short) seq)
                            .putInt(seq * 960).putInt((int) SSRC);
                    seq++;
                    p.copyFrom(rtp, 0, rtp.length);
                    if (srtp.protectRtp(p)) {
                        socket.send(new DatagramPacket(p.array(), p.offset(), p.length(), bridgeAddress));
                        mediaSent.incrementAndGet();
                        lastMediaSentNanos = System.nanoTime();
                    }
                    Thread.sleep(20);
                } catch (IOException | InterruptedException e) {
                    return;
                } finally {
                    p.release();
                }
            }
            srtp.close();
        }

        @Override
        public void close() {
            closed = true;
            threads.shutdownNow();
            if (dtls != null) {
                dtls.close();
            }
            socket.close();
        }
    }
}
