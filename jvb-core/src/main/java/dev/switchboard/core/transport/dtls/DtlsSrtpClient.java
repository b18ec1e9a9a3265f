package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.DtlsRole;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active side (RFC 5763 section 5: {@code a=setup:active}): offers {@code use_srtp}, checks the
 * server's certificate against the signaled fingerprints and authenticates with our own certificate.
 */
final class DtlsSrtpClient extends DefaultTlsClient implements DtlsSrtpPeer {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsSrtpClient.class);

    private final BcTlsCrypto crypto;
    private final DtlsCertificate localCertificate;
    private final FingerprintVerifier verifier;
    private final List<SrtpProfile> profiles;
    private final String logPrefix;
    private SrtpProfile selected;
    private volatile SrtpKeys keys;
    private volatile boolean peerClosed;

    DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate localCertificate, FingerprintVerifier verifier,
                   List<SrtpProfile> profiles, String logPrefix) {
        super(crypto);
        this.crypto = crypto;
        this.localCertificate = localCertificate;
        this.verifier = verifier;
        this.profiles = profiles;
        this.logPrefix = logPrefix;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return DtlsParameters.versions();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsParameters.CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return DtlsParameters.HANDSHAKE_TIMEOUT_MILLIS;
    }

    /** Self-signed certificates are trusted by fingerprint alone, so their signature algorithm is moot. */
    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        if (extensions == null) {
            extensions = new Hashtable();
        }
        SrtpNegotiation.addOffer(extensions, profiles);
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        selected = SrtpNegotiation.accept(serverExtensions, profiles);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                verifier.verify(serverCertificate == null ? null : serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        localCertificate.privateKey(), localCertificate.certificate(),
                        DtlsParameters.ecdsaAlgorithm(request.getSupportedSignatureAlgorithms()));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (!verifier.verified()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "the server certificate was never verified");
        }
        keys = SrtpNegotiation.exportKeys(context, selected, DtlsRole.CLIENT);
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        LOG.debug("{} raised DTLS alert {} {}: {}", logPrefix, AlertLevel.getText(level),
                AlertDescription.getText(description), message);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (level == AlertLevel.fatal || description == AlertDescription.close_notify) {
            peerClosed = true;
        }
        LOG.debug("{} received DTLS alert {} {}", logPrefix, AlertLevel.getText(level),
                AlertDescription.getText(description));
    }

    @Override
    public SrtpKeys keys() {
        return keys;
    }

    @Override
    public boolean peerClosed() {
        return peerClosed;
    }
}
