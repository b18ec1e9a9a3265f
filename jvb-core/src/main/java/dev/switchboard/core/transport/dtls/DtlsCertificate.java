package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.Fingerprint;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The bridge's DTLS certificate: ECDSA P-256, generated at start-up (self-signed, SHA256withECDSA,
 * {@code CN=switchboard}) or loaded from PEM files. WebRTC
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

    /**
     * Loads a certificate and its private key from PEM files (for a fingerprint that stays the same across
     * restarts). The key must be ECDSA P-256, the only kind the bridge's cipher suites sign with, in PKCS#8
     * ({@code BEGIN PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}) form, and must belong to the
     * certificate; the certificate must be valid at {@code now}. Only the first certificate of the file is used.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static DtlsCertificate load(Path certificateFile, Path keyFile, Instant now) {
        X509CertificateHolder holder = readPem(certificateFile, X509CertificateHolder.class, "a certificate");
        PrivateKeyInfo keyInfo = privateKeyInfo(readPem(keyFile, Object.class, "a private key"), keyFile);
        try {
            SubjectPublicKeyInfo publicKey = holder.getSubjectPublicKeyInfo();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(publicKey.getAlgorithm().getAlgorithm())
                    || !SECObjectIdentifiers.secp256r1.equals(publicKey.getAlgorithm().getParameters())) {
                throw new IllegalArgumentException(certificateFile + ": the certificate's key is not ECDSA P-256 "
                        + "(the bridge signs DTLS handshakes with ECDSA P-256 only)");
            }
            if (!holder.isValidOn(Date.from(now))) {
                throw new IllegalArgumentException(certificateFile + ": the certificate is not valid now (valid "
                        + holder.getNotBefore().toInstant() + " to " + holder.getNotAfter().toInstant() + ")");
            }
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(keyInfo);
            if (!(key instanceof ECPrivateKeyParameters ecKey)) {
                throw new IllegalArgumentException(keyFile + ": the private key is not an EC key");
            }
            ECPublicKeyParameters certKey = (ECPublicKeyParameters) PublicKeyFactory.createKey(publicKey);
            if (!certKey.getQ().equals(certKey.getParameters().getG().multiply(ecKey.getD()).normalize())) {
                throw new IllegalArgumentException(keyFile + ": the private key does not belong to the certificate "
                        + certificateFile);
            }
            byte[] der = holder.getEncoded();
            TlsCertificate tlsCertificate = new BcTlsCrypto(new SecureRandom()).createCertificate(der);
            return new DtlsCertificate(der, new Certificate(new TlsCertificate[] {tlsCertificate}), key);
        } catch (IOException e) {
            throw new IllegalArgumentException(certificateFile + " / " + keyFile + ": cannot decode: "
                    + e.getMessage(), e);
        }
    }

    private static <T> T readPem(Path file, Class<T> type, String what) {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            if (!type.isInstance(object)) {
                throw new IllegalArgumentException(file + ": no PEM-encoded " + what + " found");
            }
            return type.cast(object);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(file.toString())) {
                throw iae;
            }
            throw new IllegalArgumentException(file + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKeyInfo privateKeyInfo(Object pem, Path keyFile) {
        if (pem instanceof PrivateKeyInfo info) {
            return info;
        }
        if (pem instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        throw new IllegalArgumentException(keyFile + ": no unencrypted PEM private key found (expected "
                + "BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY)");
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
