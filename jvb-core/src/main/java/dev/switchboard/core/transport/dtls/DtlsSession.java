package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.Fingerprint;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS-SRTP handshake with one peer (RFC 5764, DTLS 1.2 per RFC 6347, roles per RFC 5763 section 5).
 *
 * <p>Threading: {@link #start()} runs the blocking BouncyCastle handshake on the given executor; that task
 * ends when the handshake completes, fails, times out (30 s) or the session is {@link #close() closed}.
 * {@link #onDatagram} may be called from the socket thread at any time and never blocks. When the handshake
 * is over nothing keeps running: later application-data records are dropped and counted, while handshake,
 * change-cipher-spec and alert records (e.g. the peer retransmitting its last flight because ours was lost,
 * RFC 6347 section 4.2.4, or a close_notify) are processed by a short task on the executor.
 *
 * <p>The keys are delivered through {@link #handshakeFuture()}, completed on the executor thread; a failure
 * completes it with a {@link DtlsHandshakeException}.
 */
public final class DtlsSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsSession.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int CONTENT_TYPE_CHANGE_CIPHER_SPEC = 20;
    private static final int CONTENT_TYPE_ALERT = 21;
    private static final int CONTENT_TYPE_HANDSHAKE = 22;
    /** How long a post-handshake task waits for more records before ending. */
    private static final int POST_HANDSHAKE_WAIT_MILLIS = 20;

    private final DtlsCertificate localCertificate;
    private final DtlsRole localRole;
    private final Executor executor;
    private final List<SrtpProfile> profiles;
    private final BcTlsCrypto crypto;
    private final FingerprintVerifier verifier;
    private final QueuedDatagramTransport transport;
    private final String logPrefix;
    private final CompletableFuture<SrtpKeys> future = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean postHandshakeTaskQueued = new AtomicBoolean();
    private final AtomicLong droppedAfterHandshake = new AtomicLong();
    private final Object lock = new Object();
    /** Non-null once the handshake completed (guarded by lock for the close race). */
    private volatile DTLSTransport connection;
    private volatile DtlsSrtpPeer peer;

    /** A session offering/accepting both SRTP profiles in {@link SrtpProfile#PREFERENCE} order. */
    public DtlsSession(DtlsCertificate localCert, DtlsRole localRole, List<Fingerprint> remoteFingerprints,
                       DatagramSender sender, Executor handshakeExecutor, SecureRandom random) {
        this(localCert, localRole, remoteFingerprints, sender, handshakeExecutor, random, SrtpProfile.PREFERENCE);
    }

    /**
     * @param srtpProfiles the profiles to offer (client) or accept (server), best first; must not be empty
     */
    public DtlsSession(DtlsCertificate localCert, DtlsRole localRole, List<Fingerprint> remoteFingerprints,
                       DatagramSender sender, Executor handshakeExecutor, SecureRandom random,
                       List<SrtpProfile> srtpProfiles) {
        this.localCertificate = Objects.requireNonNull(localCert, "localCert");
        this.localRole = Objects.requireNonNull(localRole, "localRole");
        this.executor = Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        this.profiles = List.copyOf(srtpProfiles);
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one SRTP profile is needed");
        }
        this.crypto = new BcTlsCrypto(Objects.requireNonNull(random, "random"));
        this.verifier = new FingerprintVerifier(Objects.requireNonNull(remoteFingerprints, "remoteFingerprints"));
        this.logPrefix = "[dtls-" + IDS.incrementAndGet() + " " + localRole.name().toLowerCase(java.util.Locale.ROOT) + "]";
        this.transport = new QueuedDatagramTransport(Objects.requireNonNull(sender, "sender"), logPrefix);
    }

    /** Starts the handshake on the executor. May be called once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        if (closed.get()) {
            fail("closed before the handshake started", null);
            return;
        }
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            fail("the handshake executor rejected the task", e);
        }
    }

    /**
     * A DTLS datagram from the peer (RFC 7983 demultiplexing is the caller's job). Copies it; never blocks.
     */
    public void onDatagram(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0 || closed.get()) {
            return;
        }
        if (connection == null) {
            transport.push(buf, off, len);
            return;
        }
        int contentType = buf[off] & 0xFF;
        if (contentType == CONTENT_TYPE_HANDSHAKE || contentType == CONTENT_TYPE_CHANGE_CIPHER_SPEC
                || contentType == CONTENT_TYPE_ALERT) {
            transport.push(buf, off, len);
            schedulePostHandshakeTask();
        } else {
            droppedAfterHandshake.incrementAndGet();
        }
    }

    /** Completes with the SRTP keys, or exceptionally with a {@link DtlsHandshakeException}. */
    public CompletableFuture<SrtpKeys> handshakeFuture() {
        return future;
    }

    /**
     * Sends close_notify if connected, ends a running handshake (its future fails) and drops everything
     * afterwards. Idempotent; any thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        DTLSTransport c;
        synchronized (lock) {
            c = connection;
        }
        if (c != null && !isRemoteClosed()) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("{} error sending close_notify: {}", logPrefix, e.toString());
            }
        }
        transport.shutDown();
        fail("closed before the handshake completed", null);
    }

    public DtlsRole localRole() {
        return localRole;
    }

    /** The certificate this side presents. */
    public DtlsCertificate localCertificate() {
        return localCertificate;
    }

    /** Datagrams dropped because the receive queue was full. */
    public long droppedQueueFull() {
        return transport.overflowDrops();
    }

    /** Non-handshake DTLS records received after the handshake (e.g. application data) and dropped. */
    public long droppedAfterHandshake() {
        return droppedAfterHandshake.get();
    }

    /** True once the peer sent close_notify (or a fatal alert) after the handshake. */
    public boolean isRemoteClosed() {
        DtlsSrtpPeer p = peer;
        return connection != null && p != null && p.peerClosed();
    }

    private void runHandshake() {
        DTLSTransport result = null;
        SrtpKeys keys = null;
        try {
            if (localRole == DtlsRole.SERVER) {
                DtlsSrtpServer server = new DtlsSrtpServer(crypto, localCertificate, verifier, profiles, logPrefix);
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // RFC 6347 section 4.2.1 lets a server skip the cookie exchange where amplification is no
                // concern: ICE checks (RFC 8445) and consent (RFC 7675) already proved the peer's address.
                protocol.setVerifyRequests(false);
                peer = server;
                result = protocol.accept(server, transport);
                keys = server.keys();
            } else {
                DtlsSrtpClient client = new DtlsSrtpClient(crypto, localCertificate, verifier, profiles, logPrefix);
                peer = client;
                result = new DTLSClientProtocol().connect(client, transport);
                keys = client.keys();
            }
            if (keys == null) {
                throw new IllegalStateException("handshake completed without SRTP keys");
            }
        } catch (Throwable e) {
            fail(describe(e), e);
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        boolean closedMeanwhile;
        synchronized (lock) {
            closedMeanwhile = closed.get();
            if (!closedMeanwhile) {
                connection = result;
            }
        }
        if (closedMeanwhile) {
            closeQuietly(result);
            fail("closed before the handshake completed", null);
            return;
        }
        LOG.info("{} DTLS handshake complete, SRTP profile {}", logPrefix, keys.profile());
        if (!future.complete(keys)) {
            LOG.debug("{} handshake future was already completed", logPrefix);
        }
        // Records that arrived during the handshake's last moments: let BC see handshake retransmissions.
        if (!transport.isEmpty()) {
            schedulePostHandshakeTask();
        }
    }

    private void schedulePostHandshakeTask() {
        if (closed.get() || !postHandshakeTaskQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::runPostHandshakeTask);
        } catch (RejectedExecutionException e) {
            postHandshakeTaskQueued.set(false);
            transport.clear();
            LOG.debug("{} executor rejected post-handshake processing", logPrefix);
        }
    }

    /** Lets BC answer retransmitted handshake flights and observe alerts; ends once the queue is drained. */
    private void runPostHandshakeTask() {
        DTLSTransport c = connection;
        byte[] buf = new byte[DtlsParameters.RECEIVE_LIMIT];
        try {
            while (!closed.get() && !isRemoteClosed() && !transport.isEmpty()) {
                int n = c.receive(buf, 0, buf.length, POST_HANDSHAKE_WAIT_MILLIS);
                if (n >= 0) {
                    droppedAfterHandshake.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                LOG.debug("{} error processing a post-handshake record: {}", logPrefix, e.toString());
            }
        } finally {
            postHandshakeTaskQueued.set(false);
        }
        if (isRemoteClosed()) {
            LOG.info("{} the peer closed the DTLS connection", logPrefix);
            transport.clear();
        } else if (!transport.isEmpty() && !closed.get()) {
            schedulePostHandshakeTask();
        }
    }

    private void fail(String message, Throwable cause) {
        if (future.completeExceptionally(new DtlsHandshakeException(
                logPrefix + " DTLS handshake failed: " + message, cause))) {
            if (cause != null && !closed.get()) {
                LOG.warn("{} DTLS handshake failed: {}", logPrefix, message);
            } else {
                LOG.debug("{} DTLS handshake ended: {}", logPrefix, message);
            }
        }
    }

    private String describe(Throwable e) {
        if (closed.get() || transport.isShutDown()) {
            return "closed before the handshake completed";
        }
        if (e instanceof TlsFatalAlertReceived received) {
            return "the peer sent fatal alert " + AlertDescription.getText(received.getAlertDescription());
        }
        if (e instanceof TlsFatalAlert alert) {
            // BC's message already starts with the alert, e.g. "bad_certificate(42); remote certificate ..."
            String detail = alert.getMessage();
            Throwable cause = alert.getCause();
            if (cause != null && cause.getMessage() != null) {
                detail = detail + " (" + cause.getMessage() + ")";
            }
            return detail;
        }
        return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private void closeQuietly(DTLSTransport t) {
        try {
            t.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} error closing: {}", logPrefix, e.toString());
        }
    }
}
