package dev.switchboard.core.transport.srtp;

import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins jitsi-srtp's AES implementation once, before any SRTP context exists. Without it jitsi-srtp benchmarks
 * every provider at first use (seconds) and may pick a different one from run to run.
 *
 * <p>The choice is jitsi-srtp's own OpenSSL factory (its JNI wrapper, shipped in the jitsi-srtp jar, over the
 * system's libcrypto) whenever that library loaded, else the JDK's SunJCE. Both are about as fast per packet,
 * but jitsi-srtp re-initialises the cipher for every packet and SunJCE allocates on each of those
 * re-initialisations (a copy of the payload for in-place AES-CTR, fresh GHASH/GCTR state for GCM): about
 * 1.1-1.4 KB per protect or unprotect of a 1200-byte packet, against 90-120 bytes with OpenSSL (the IV objects
 * jitsi-srtp itself creates per packet). Measured with {@code SrtpBenchmark} (bench module), see
 * docs/benchmark.md. jitsi-srtp's HMAC-SHA1 already prefers OpenSSL on its own.
 *
 * <p>System property {@value #PROPERTY} overrides the choice with any jitsi-srtp factory name ({@code SunJCE},
 * {@code OpenSSL}, ...), for benchmarks and diagnostics.
 */
final class AesProvider {
    private static final Logger LOG = LoggerFactory.getLogger(AesProvider.class);
    static final String PROPERTY = "switchboard.srtp.aes";
    static final String OPENSSL = "OpenSSL";
    static final String SUNJCE = "SunJCE";
    private static volatile String pinned;

    private AesProvider() {
    }

    /** The factory for an override (null or blank: none) and whether jitsi-srtp's OpenSSL wrapper loaded. */
    static String choose(String override, boolean openSslLoaded) {
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        return openSslLoaded ? OPENSSL : SUNJCE;
    }

    /** Pins the factory (first call only) and returns its name. */
    static String pin() {
        String name = pinned;
        if (name != null) {
            return name;
        }
        synchronized (AesProvider.class) {
            if (pinned == null) {
                String chosen = choose(System.getProperty(PROPERTY), JitsiOpenSslProvider.isLoaded());
                Aes.setFactoryClassName(chosen);
                long start = System.nanoTime();
                try {
                    // jitsi-srtp makes every factory it knows at its first cipher, the BouncyCastle provider
                    // among them (about a second): do it here rather than on a media loop at the first packet.
                    Aes.createCipher("AES/CTR/NoPadding");
                } catch (RuntimeException e) {
                    LOG.warn("Could not prepare jitsi-srtp's AES factories: {}", e.toString());
                }
                LOG.info("SRTP AES implementation: jitsi-srtp {} factory (prepared in {} ms)", chosen,
                        (System.nanoTime() - start) / 1_000_000);
                pinned = chosen;
            }
            return pinned;
        }
    }
}
