package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.Fingerprint;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The bridge's self-signed DTLS certificate: ECDSA P-256, SHA256withECDSA, {@code CN=switchboard}. WebRTC
 * authenticates it only through its fingerprint in signaling (RFC 5763 section 5, RFC 8122 section 5), so
 * one certificate can serve every peer. Immutable and thread-safe.
 */
public final class DtlsCertificate {
    static final String SUBJECT = "CN=switchboard";
    private static final Duration NOT_BEFORE_SKEW = Duration.ofDays(1);
    private static final Duration LIFETIME = Duration.ofDays(30);

    private final byte[] der;
    private final Certificate certificate;
    private final AsymmetricKeyParameter privateKey;
    private final Fingerprint fingerprint;

    private DtlsCertificate(byte[] der, Certificate certificate, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.fingerprint = new Fingerprint("sha-256", fingerprintOf("sha-256", der));
    }

    /** Generates a fresh key pair and certificate valid from one day ago to 30 days ahead. */
    public static DtlsCertificate generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();

            Instant now = Instant.now();
            X500Name name = new X500Name(SUBJECT);
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(NOT_BEFORE_SKEW)), Date.from(now.plus(LIFETIME)), name,
                    keyPair.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .setSecureRandom(random).build(keyPair.getPrivate())).getEncoded();

            TlsCertificate tlsCertificate = new BcTlsCrypto(random).createCertificate(der);
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(keyPair.getPrivate().getEncoded());
            return new DtlsCertificate(der, new Certificate(new TlsCertificate[] {tlsCertificate}), key);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the DTLS certificate", e);
        }
    }

    /** The SHA-256 fingerprint of the DER encoding, as signaling advertises it. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /** The DER encoding (a copy). */
    public byte[] derEncoded() {
        return der.clone();
    }

    /** The certificate chain (of one) in BouncyCastle's TLS form. */
    public Certificate certificate() {
        return certificate;
    }

    /** The private key in BouncyCastle's lightweight form, for {@code BcDefaultTlsCredentialedSigner}. */
    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /**
     * Formats the digest of {@code der} the way RFC 8122 section 5 writes fingerprints: upper-case hex
     * bytes separated by colons.
     *
     * @param algorithm one of {@code sha-1, sha-256, sha-384, sha-512} (case-insensitive)
     * @throws IllegalArgumentException for any other hash function
     */
    public static String fingerprintOf(String algorithm, byte[] der) {
        byte[] digest = digest(algorithm).digest(der);
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** Whether {@link #fingerprintOf(String, byte[])} supports {@code algorithm}. */
    public static boolean isSupportedAlgorithm(String algorithm) {
        return jcaName(algorithm) != null;
    }

    private static MessageDigest digest(String algorithm) {
        String jca = jcaName(algorithm);
        if (jca == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function: " + algorithm);
        }
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jca + " missing from the JDK", e);
        }
    }

    private static String jcaName(String algorithm) {
        if (algorithm == null) {
            return null;
        }
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> null;
        };
    }
}
