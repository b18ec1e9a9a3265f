package dev.switchboard.core.transport.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void generatesSelfSignedEcdsaP256Certificate() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate(RANDOM);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert.derEncoded()));
        assertEquals("CN=switchboard", x509.getSubjectX500Principal().getName());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals("EC", x509.getPublicKey().getAlgorithm());
        x509.verify(x509.getPublicKey());
        x509.checkValidity();
        Instant notAfter = x509.getNotAfter().toInstant();
        assertTrue(notAfter.isAfter(Instant.now().plus(Duration.ofDays(29))));
        assertTrue(x509.getNotBefore().toInstant().isBefore(Instant.now().minus(Duration.ofHours(23))));
        assertArrayEquals(cert.derEncoded(), cert.certificate().getCertificateAt(0).getEncoded());
    }

    /** Fixtures made with the openssl CLI (see {@code src/test/resources/dtls}); valid 2026-11-25 to 2036-11-22. */
    private static final Instant FIXTURES_VALID = Instant.parse("2027-01-01T00:00:00Z");
    private static final String FIXTURE_FINGERPRINT = "20:F1:47:5F:56:8C:CD:CB:47:8F:F4:64:09:4D:2B:B7:AD:2D:0A:C5:"
            + "58:93:AE:EB:28:3C:0D:47:80:F0:02:1F";

    private static Path fixture(String name) throws Exception {
        return Path.of(DtlsCertificateTest.class.getResource("/dtls/" + name).toURI());
    }

    @Test
    void loadsOpensslCertificateWithSec1OrPkcs8Key() throws Exception {
        for (String key : new String[] {"ec-sec1.key.pem", "ec-pkcs8.key.pem"}) {
            DtlsCertificate cert = DtlsCertificate.load(fixture("ec.cert.pem"), fixture(key), FIXTURES_VALID);
            assertEquals(FIXTURE_FINGERPRINT, cert.fingerprint().value(), "same as `openssl x509 -fingerprint -sha256`");
            assertArrayEquals(cert.derEncoded(), cert.certificate().getCertificateAt(0).getEncoded());
        }
    }

    @Test
    void refusesUnusableCertificateFilesWithTheReason() throws Exception {
        Path cert = fixture("ec.cert.pem");
        assertRefused("does not belong", () -> DtlsCertificate.load(cert, fixture("other.key.pem"), FIXTURES_VALID));
        assertRefused("not ECDSA P-256",
                () -> DtlsCertificate.load(fixture("p384.cert.pem"), fixture("p384.key.pem"), FIXTURES_VALID));
        assertRefused("not valid now",
                () -> DtlsCertificate.load(cert, fixture("ec-sec1.key.pem"), Instant.parse("2040-01-01T00:00:00Z")));
        assertRefused("no PEM-encoded a certificate",
                () -> DtlsCertificate.load(fixture("ec-sec1.key.pem"), fixture("ec-sec1.key.pem"), FIXTURES_VALID));
        assertRefused("no unencrypted PEM private key",
                () -> DtlsCertificate.load(cert, cert, FIXTURES_VALID));
        Path missing = cert.resolveSibling("missing.pem");
        assertRefused("missing.pem", () -> DtlsCertificate.load(missing, fixture("ec-sec1.key.pem"), FIXTURES_VALID));
    }

    private static void assertRefused(String reason, org.junit.jupiter.api.function.Executable load) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void fingerprintIsSha256OfDerInRfc8122Format() {
        DtlsCertificate cert = DtlsCertificate.generate(RANDOM);
        assertEquals("sha-256", cert.fingerprint().algorithm());
        assertTrue(cert.fingerprint().value().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), cert.fingerprint().value());
        assertEquals(DtlsCertificate.fingerprintOf("SHA-256", cert.derEncoded()), cert.fingerprint().value());
        assertNotEquals(cert.fingerprint(), DtlsCertificate.generate(RANDOM).fingerprint());
    }

    @Test
    void fingerprintOfSupportsTheRfc8122HashFunctions() {
        byte[] abc = {'a', 'b', 'c'};
        assertEquals("A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
                DtlsCertificate.fingerprintOf("sha-1", abc));
        assertTrue(DtlsCertificate.fingerprintOf("sha-256", abc).startsWith("BA:78:16:BF"));
        assertEquals(48 * 3 - 1, DtlsCertificate.fingerprintOf("sha-384", abc).length());
        assertEquals(64 * 3 - 1, DtlsCertificate.fingerprintOf("sha-512", abc).length());
        assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fingerprintOf("md5", abc));
    }

    @Test
    void keyingMaterialIsSplitClientKeyServerKeyClientSaltServerSalt() {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] material = new byte[profile.keyingMaterialLength()];
        assertEquals(60, material.length);
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpKeys client = SrtpKeys.fromKeyingMaterial(profile, material, DtlsRole.CLIENT);
        SrtpKeys server = SrtpKeys.fromKeyingMaterial(profile, material, DtlsRole.SERVER);
        assertEquals(0, client.localKey()[0]);
        assertEquals(16, client.remoteKey()[0]);
        assertEquals(32, client.localSalt()[0]);
        assertEquals(46, client.remoteSalt()[0]);
        assertEquals(59, client.remoteSalt()[13]);
        assertEquals(client.mirrored(), server);
        assertEquals(56, SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength());
        assertEquals("SrtpKeys[AES_CM_128_HMAC_SHA1_80]", client.toString());
    }
}
