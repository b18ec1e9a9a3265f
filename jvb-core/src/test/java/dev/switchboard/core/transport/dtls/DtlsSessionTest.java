package dev.switchboard.core.transport.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.Fingerprint;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class DtlsSessionTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static DtlsCertificate clientCert;
    private static DtlsCertificate serverCert;

    private ThreadPoolExecutor executor;
    private DtlsSession client;
    private DtlsSession server;

    @BeforeAll
    static void certificates() {
        clientCert = DtlsCertificate.generate(RANDOM);
        serverCert = DtlsCertificate.generate(RANDOM);
    }

    @BeforeEach
    void executor() {
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(8, 8, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dtls-test-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        executor.shutdown();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS), "handshake threads still running");
    }

    /** Wires both sessions back to back (each one's sender calls the other's onDatagram). */
    private void connect(List<SrtpProfile> clientProfiles, List<SrtpProfile> serverProfiles,
                         List<Fingerprint> clientExpects, List<Fingerprint> serverExpects) {
        DtlsSession[] peers = new DtlsSession[2];
        client = new DtlsSession(clientCert, DtlsRole.CLIENT, clientExpects,
                (b, o, l) -> peers[1].onDatagram(b, o, l), executor, RANDOM, clientProfiles);
        server = new DtlsSession(serverCert, DtlsRole.SERVER, serverExpects,
                (b, o, l) -> peers[0].onDatagram(b, o, l), executor, RANDOM, serverProfiles);
        peers[0] = client;
        peers[1] = server;
        server.start();
        client.start();
    }

    private void connect(List<SrtpProfile> clientProfiles, List<SrtpProfile> serverProfiles) {
        connect(clientProfiles, serverProfiles, List.of(serverCert.fingerprint()), List.of(clientCert.fingerprint()));
    }

    @Test
    void handshakeAgreesOnGcmAndMirroredKeys() throws Exception {
        connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE);
        SrtpKeys c = client.handshakeFuture().get(10, TimeUnit.SECONDS);
        SrtpKeys s = server.handshakeFuture().get(10, TimeUnit.SECONDS);
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, c.profile());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, s.profile());
        assertArrayEquals(c.localKey(), s.remoteKey());
        assertArrayEquals(c.localSalt(), s.remoteSalt());
        assertArrayEquals(c.remoteKey(), s.localKey());
        assertArrayEquals(c.remoteSalt(), s.localSalt());
        assertFalse(Arrays.equals(c.localKey(), c.remoteKey()));
        assertEquals(c, s.mirrored());
    }

    @Test
    void serverWithCertificateLoadedFromPemFilesCompletesHandshake() throws Exception {
        DtlsCertificate loaded = DtlsCertificate.load(
                Path.of(getClass().getResource("/dtls/ec.cert.pem").toURI()),
                Path.of(getClass().getResource("/dtls/ec-pkcs8.key.pem").toURI()), Instant.parse("2027-01-01T00:00:00Z"));
        DtlsCertificate generated = serverCert;
        serverCert = loaded;
        try {
            connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE);
            assertEquals(client.handshakeFuture().get(10, TimeUnit.SECONDS),
                    server.handshakeFuture().get(10, TimeUnit.SECONDS).mirrored());
        } finally {
            serverCert = generated;
        }
    }

    @Test
    void clientOfferingOnlyCm80GetsCm80() throws Exception {
        connect(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), SrtpProfile.PREFERENCE);
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, client.handshakeFuture().get(10, TimeUnit.SECONDS).profile());
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, server.handshakeFuture().get(10, TimeUnit.SECONDS).profile());
    }

    @Test
    void serverAcceptingOnlyCm80ChoosesIt() throws Exception {
        connect(SrtpProfile.PREFERENCE, List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80));
        SrtpKeys c = client.handshakeFuture().get(10, TimeUnit.SECONDS);
        SrtpKeys s = server.handshakeFuture().get(10, TimeUnit.SECONDS);
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, c.profile());
        assertEquals(c, s.mirrored());
        assertEquals(14, c.localSalt().length);
    }

    @Test
    void noCommonProfileFailsBothSides() {
        connect(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), List.of(SrtpProfile.AEAD_AES_128_GCM));
        String serverError = failure(server.handshakeFuture());
        assertTrue(serverError.contains("no common SRTP protection profile"), serverError);
        failure(client.handshakeFuture());
    }

    @Test
    void serverRejectsClientCertificateWithWrongFingerprint() {
        Fingerprint wrong = DtlsCertificate.generate(RANDOM).fingerprint();
        connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE, List.of(serverCert.fingerprint()), List.of(wrong));
        String serverError = failure(server.handshakeFuture());
        assertTrue(serverError.contains("bad_certificate"), serverError);
        assertTrue(serverError.contains("fingerprint mismatch"), serverError);
        assertTrue(serverError.contains(wrong.value()), serverError);
        String clientError = failure(client.handshakeFuture());
        assertTrue(clientError.contains("bad_certificate"), clientError);
    }

    @Test
    void clientRejectsServerCertificateWithWrongFingerprint() {
        Fingerprint wrong = DtlsCertificate.generate(RANDOM).fingerprint();
        connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE, List.of(wrong), List.of(clientCert.fingerprint()));
        String clientError = failure(client.handshakeFuture());
        assertTrue(clientError.contains("fingerprint mismatch"), clientError);
        failure(server.handshakeFuture());
    }

    @Test
    void otherHashFunctionsAndExtraFingerprintsAreAccepted() throws Exception {
        Fingerprint sha1 = new Fingerprint("sha-1", DtlsCertificate.fingerprintOf("sha-1", clientCert.derEncoded()));
        Fingerprint unknown = new Fingerprint("md5", "00:11");
        Fingerprint sha512 = new Fingerprint("SHA-512",
                DtlsCertificate.fingerprintOf("sha-512", serverCert.derEncoded()).toLowerCase());
        Fingerprint wrong = DtlsCertificate.generate(RANDOM).fingerprint();
        connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE, List.of(wrong, sha512), List.of(unknown, sha1));
        assertNotNull(client.handshakeFuture().get(10, TimeUnit.SECONDS));
        assertNotNull(server.handshakeFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void onlyUnsupportedFingerprintsFail() {
        connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE, List.of(serverCert.fingerprint()),
                List.of(new Fingerprint("md5", "00:11")));
        String serverError = failure(server.handshakeFuture());
        assertTrue(serverError.contains("no usable remote fingerprint"), serverError);
    }

    @Test
    void closeDuringHandshakeFailsFutureAndFreesThread() throws Exception {
        server = new DtlsSession(serverCert, DtlsRole.SERVER, List.of(clientCert.fingerprint()), (b, o, l) -> { },
                executor, RANDOM);
        server.start();
        waitFor(() -> executor.getActiveCount() == 1);
        server.close();
        String error = failure(server.handshakeFuture());
        assertTrue(error.contains("closed"), error);
        waitFor(() -> executor.getActiveCount() == 0);
        server.close(); // idempotent
    }

    @Test
    void closeBeforeStartFails() {
        client = new DtlsSession(clientCert, DtlsRole.CLIENT, List.of(serverCert.fingerprint()), (b, o, l) -> { },
                executor, RANDOM);
        client.close();
        client.start();
        assertTrue(failure(client.handshakeFuture()).contains("closed"));
        assertThrows(IllegalStateException.class, client::start);
    }

    @Test
    void closeAfterHandshakeSendsCloseNotifyAndLeavesNoThread() throws Exception {
        connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE);
        client.handshakeFuture().get(10, TimeUnit.SECONDS);
        server.handshakeFuture().get(10, TimeUnit.SECONDS);
        waitFor(() -> executor.getActiveCount() == 0);
        client.close();
        waitFor(server::isRemoteClosed);
        waitFor(() -> executor.getActiveCount() == 0);
    }

    @Test
    void applicationDataAfterHandshakeIsDroppedAndCounted() throws Exception {
        connect(SrtpProfile.PREFERENCE, SrtpProfile.PREFERENCE);
        server.handshakeFuture().get(10, TimeUnit.SECONDS);
        client.handshakeFuture().get(10, TimeUnit.SECONDS);
        byte[] appData = {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3};
        server.onDatagram(appData, 0, appData.length);
        server.onDatagram(appData, 0, appData.length);
        assertEquals(2, server.droppedAfterHandshake());
    }

    @Test
    void fullQueueDropsOldestWithoutBlocking() {
        server = new DtlsSession(serverCert, DtlsRole.SERVER, List.of(clientCert.fingerprint()), (b, o, l) -> { },
                executor, RANDOM);
        byte[] junk = new byte[100];
        for (int i = 0; i < DtlsParameters.QUEUE_CAPACITY + 36; i++) {
            server.onDatagram(junk, 0, junk.length);
        }
        assertEquals(36, server.droppedQueueFull());
    }

    /**
     * The server's last flight (ChangeCipherSpec + Finished) is lost once: the server has completed, the
     * client retransmits its flight, and the server must answer it again (RFC 6347 section 4.2.4) although
     * no thread reads for it any more.
     */
    @Test
    void lostFinalServerFlightIsRetransmitted() throws Exception {
        DtlsSession[] peers = new DtlsSession[2];
        AtomicInteger dropped = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean firstFlightSeen = new java.util.concurrent.atomic.AtomicBoolean();
        client = new DtlsSession(clientCert, DtlsRole.CLIENT, List.of(serverCert.fingerprint()), (b, o, l) -> {
            if (peers[1].handshakeFuture().isDone()) {
                firstFlightSeen.set(true); // the client is retransmitting: let the server's answer through
            }
            peers[1].onDatagram(b, o, l);
        }, executor, RANDOM);
        server = new DtlsSession(serverCert, DtlsRole.SERVER, List.of(clientCert.fingerprint()), (b, o, l) -> {
            // only the final flight carries ChangeCipherSpec or epoch-1 records; lose its first transmission
            boolean finalFlight = b[o] == 20 || (b[o + 3] == 0 && b[o + 4] == 1);
            if (finalFlight && !firstFlightSeen.get()) {
                dropped.incrementAndGet();
                return;
            }
            peers[0].onDatagram(b, o, l);
        }, executor, RANDOM);
        peers[0] = client;
        peers[1] = server;
        server.start();
        client.start();
        SrtpKeys s = server.handshakeFuture().get(10, TimeUnit.SECONDS);
        SrtpKeys c = client.handshakeFuture().get(10, TimeUnit.SECONDS);
        assertTrue(dropped.get() > 0, "the test dropped nothing");
        assertEquals(c, s.mirrored());
    }

    /**
     * Chromium's ClientHello lists DTLS 1.3 in supported_versions (RFC 9147 section 5.3, legacy_version
     * 1.2): the server must answer with a DTLS 1.2 ServerHello and without the RFC 8446 section 4.1.3
     * downgrade sentinel, which a 1.3-capable client would treat as an attack.
     */
    @Test
    void dtls13CapableClientHelloGetsDtls12ServerHello() throws Exception {
        LinkedBlockingQueue<byte[]> fromClient = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<byte[]> fromServer = new LinkedBlockingQueue<>();
        client = new DtlsSession(clientCert, DtlsRole.CLIENT, List.of(serverCert.fingerprint()),
                (b, o, l) -> fromClient.add(Arrays.copyOfRange(b, o, o + l)), executor, RANDOM);
        server = new DtlsSession(serverCert, DtlsRole.SERVER, List.of(clientCert.fingerprint()),
                (b, o, l) -> fromServer.add(Arrays.copyOfRange(b, o, o + l)), executor, RANDOM);
        client.start();
        server.start();
        byte[] clientHello = fromClient.poll(5, TimeUnit.SECONDS);
        assertNotNull(clientHello);
        byte[] modified = ClientHellos.withSupportedVersions(clientHello, 0xfefc, 0xfefd);
        server.onDatagram(modified, 0, modified.length);

        byte[] reply = fromServer.poll(5, TimeUnit.SECONDS);
        assertNotNull(reply, "no ServerHello");
        assertEquals(22, reply[0], "handshake record");
        assertEquals(2, reply[13], "ServerHello");
        assertEquals(0xfefd, ((reply[25] & 0xFF) << 8) | (reply[26] & 0xFF), "DTLS 1.2 chosen");
        byte[] randomTail = Arrays.copyOfRange(reply, 27 + 24, 27 + 32);
        assertFalse(Arrays.equals(new byte[] {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01}, randomTail));
        assertFalse(server.handshakeFuture().isDone());
    }

    private static String failure(CompletableFuture<SrtpKeys> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertInstanceOf(DtlsHandshakeException.class, e.getCause());
        return e.getCause().getMessage();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
