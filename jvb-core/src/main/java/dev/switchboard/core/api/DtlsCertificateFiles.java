package dev.switchboard.core.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the bridge's DTLS certificate and its private key are (PEM files; ECDSA P-256 key, unencrypted PKCS#8
 * or SEC 1), e.g. made with
 * {@code openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=bridge -days 365
 * -keyout key.pem -out cert.pem}.
 */
public record DtlsCertificateFiles(Path certificate, Path privateKey) {
    public DtlsCertificateFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
