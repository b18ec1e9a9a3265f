package dev.switchboard.core.transport.srtp;

import org.jitsi.srtp.crypto.Aes;

/**
 * Pins jitsi-srtp's AES implementation to the JDK's SunJCE provider, once, before any SRTP context exists.
 * Without it jitsi-srtp benchmarks every provider at first use (seconds) and may pick a slow one.
 */
final class AesProvider {
    static final String FACTORY = "SunJCE";
    private static volatile boolean pinned;

    private AesProvider() {
    }

    static void pin() {
        if (pinned) {
            return;
        }
        synchronized (AesProvider.class) {
            if (!pinned) {
                Aes.setFactoryClassName(FACTORY);
                pinned = true;
            }
        }
    }
}
