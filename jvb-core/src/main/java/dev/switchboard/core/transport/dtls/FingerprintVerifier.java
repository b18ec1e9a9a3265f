package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.Fingerprint;
import java.io.IOException;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Checks the peer's end-entity certificate against the fingerprints signaled for it (RFC 5763 section 5,
 * RFC 8122 section 5): it is accepted when any signaled fingerprint with a supported hash function matches.
 * A failure raises a fatal {@code bad_certificate} alert whose message says why.
 */
final class FingerprintVerifier {
    private final List<Fingerprint> expected;
    private volatile boolean verified;

    FingerprintVerifier(List<Fingerprint> expected) {
        this.expected = List.copyOf(expected);
    }

    void verify(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "the peer sent no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        StringBuilder seen = new StringBuilder();
        for (Fingerprint fp : expected) {
            if (!DtlsCertificate.isSupportedAlgorithm(fp.algorithm())) {
                continue;
            }
            String actual = DtlsCertificate.fingerprintOf(fp.algorithm(), der);
            if (actual.equals(fp.value())) {
                verified = true;
                return;
            }
            if (seen.length() > 0) {
                seen.append(", ");
            }
            seen.append(fp.algorithm()).append(" expected ").append(fp.value()).append(" got ").append(actual);
        }
        if (seen.length() == 0) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "no usable remote fingerprint was signaled (supported: sha-1, sha-256, sha-384, sha-512); "
                            + "signaled: " + expected);
        }
        throw new TlsFatalAlert(AlertDescription.bad_certificate,
                "remote certificate fingerprint mismatch: " + seen);
    }

    /** True once a certificate matched. */
    boolean verified() {
        return verified;
    }
}
