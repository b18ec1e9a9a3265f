package dev.switchboard.core.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.junit.jupiter.api.Test;

class AesProviderTest {

    @Test
    void openSslWhenItsWrapperLoadedElseSunJce() {
        assertEquals("OpenSSL", AesProvider.choose(null, true));
        assertEquals("SunJCE", AesProvider.choose(null, false));
        assertEquals("OpenSSL", AesProvider.choose(" ", true));
    }

    @Test
    void overrideWins() {
        assertEquals("SunJCE", AesProvider.choose("SunJCE", true));
        assertEquals("OpenSSL", AesProvider.choose(" OpenSSL ", false));
    }

    @Test
    void pinIsStableAndMatchesTheMachine() {
        String first = AesProvider.pin();
        assertEquals(first, AesProvider.pin());
        if (System.getProperty(AesProvider.PROPERTY) == null) {
            assertEquals(JitsiOpenSslProvider.isLoaded() ? "OpenSSL" : "SunJCE", first);
        }
    }
}
