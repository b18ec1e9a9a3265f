package dev.switchboard.core.transport.dtls;

import java.util.Vector;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;

/** Settings shared by both handshake roles. */
final class DtlsParameters {
    /** Largest datagram we emit (keeps DTLS flights below typical path MTUs with ICE/TURN overhead). */
    static final int MTU = 1200;
    /** Largest datagram we accept from the peer. */
    static final int RECEIVE_LIMIT = 1500;
    /** Datagrams queued for the handshake thread; the oldest is dropped beyond this. */
    static final int QUEUE_CAPACITY = 64;
    /** A handshake that has not finished by then fails (BouncyCastle's own overall timeout). */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    /**
     * ECDHE-ECDSA AEAD suites, as WebRTC browsers offer them (RFC 8827 section 6.5 requires ECDHE), in our order
     * of preference. ChaCha20-Poly1305 comes first: after the handshake the DTLS record layer only carries the
     * odd alert, and BouncyCastle's AES-GCM keeps 16 KB of multiplier tables in 512 small arrays per connection
     * for as long as the call lasts, which every young collection after a join wave has to copy.
     */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    };

    static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private DtlsParameters() {
    }

    /** DTLS 1.2 only: a DTLS 1.3-capable ClientHello (Chromium) then negotiates 1.2. */
    static ProtocolVersion[] versions() {
        return ProtocolVersion.DTLSv12.only();
    }

    /** ECDSA with SHA-256 (our P-256 key) if the peer allows it, else the first ECDSA algorithm it lists. */
    @SuppressWarnings("rawtypes")
    static SignatureAndHashAlgorithm ecdsaAlgorithm(Vector peerAlgorithms) {
        if (peerAlgorithms == null || peerAlgorithms.contains(ECDSA_SHA256)) {
            return ECDSA_SHA256;
        }
        for (Object o : peerAlgorithms) {
            SignatureAndHashAlgorithm alg = (SignatureAndHashAlgorithm) o;
            if (alg.getSignature() == SignatureAlgorithm.ecdsa) {
                return alg;
            }
        }
        return ECDSA_SHA256;
    }
}
