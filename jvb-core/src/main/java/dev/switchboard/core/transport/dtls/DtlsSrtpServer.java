package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.DtlsRole;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passive side (RFC 5763 section 5: {@code a=setup:passive}): requests the client's certificate,
 * checks it against the signaled fingerprints and chooses the SRTP profile (RFC 5764 section 4.1.1).
 */
final class DtlsSrtpServer extends DefaultTlsServer implements DtlsSrtpPeer {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsSrtpServer.class);

    private final BcTlsCrypto crypto;
    private final DtlsCertificate localCertificate;
    private final FingerprintVerifier verifier;
    private final List<SrtpProfile> profiles;
    private final String logPrefix;
    private SrtpProfile selected;
    private volatile SrtpKeys keys;
    private volatile boolean peerClosed;

    DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate localCertificate, FingerprintVerifier verifier,
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

    /** Our order of {@link DtlsParameters#CIPHER_SUITES} decides among the suites both sides support. */
    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
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
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                localCertificate.privateKey(), localCertificate.certificate(),
                DtlsParameters.ecdsaAlgorithm(context.getSecurityParametersHandshake().getClientSigAlgs()));
    }

    /** RFC 5763 section 5: the client must authenticate with the certificate it signaled. */
    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        verifier.verify(clientCertificate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        selected = SrtpNegotiation.select(clientExtensions, profiles);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        SrtpNegotiation.addAnswer(extensions, selected);
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (!verifier.verified()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "the client certificate was never verified");
        }
        keys = SrtpNegotiation.exportKeys(context, selected, DtlsRole.SERVER);
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
