package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.transport.dtls.SrtpProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchMainTest {
    private static Scenario scenario(String... args) {
        return BenchMain.scenario(BenchMain.parseArgs(args));
    }

    @Test
    void defaultIsTheTenPartyStandardRun() {
        Scenario s = scenario();
        assertEquals("10-party", s.preset());
        assertEquals(2, s.rooms());
        assertEquals(10, s.participants());
        assertEquals(10, s.publishersPerRoom());
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, s.srtpProfile());
        assertEquals(Duration.ofSeconds(30), s.duration());
        assertEquals(1_000_000, s.videoBitrate());
        assertTrue(s.runFloor() && s.runBridge() && s.pin());
        // 20 publishers x (50 audio + 104 video) packets/s x 9 receivers
        assertEquals(20 * (50 + 1_000_000 / 8.0 / 1200) * 9, s.expectedForwardedPps(), 1);
    }

    @Test
    void presetsAndOverrides() {
        Scenario a = scenario("--preset=audio-50");
        assertTrue(a.audioOnly());
        assertEquals(50, a.totalParticipants());
        Scenario o = scenario("--preset=one-to-many", "--participants=20");
        assertEquals(1, o.publishersPerRoom());
        assertEquals(20, o.participants());
        assertEquals("one-to-many+overrides", o.preset());
        Scenario c = scenario("--rooms=4", "--srtp=gcm", "--duration=500ms", "--warmup=2", "--video-bitrate=2.5M",
                "--simulcast", "--no-floor", "--pin=false");
        assertEquals(4, c.rooms());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, c.srtpProfile());
        assertEquals(Duration.ofMillis(500), c.duration());
        assertEquals(Duration.ofSeconds(2), c.warmup());
        assertEquals(2_500_000, c.videoBitrate());
        assertEquals(3, c.layerBitrates().length);
        assertFalse(c.runFloor());
        assertFalse(c.pin());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> scenario("--preset=nope"));
        assertThrows(IllegalArgumentException.class, () -> scenario("--frobnicate=1"));
        assertThrows(IllegalArgumentException.class, () -> scenario("--rooms=x"));
        assertThrows(IllegalArgumentException.class, () -> scenario("--srtp=des"));
        assertThrows(IllegalArgumentException.class, () -> scenario("--publishers=11"));
        assertThrows(IllegalArgumentException.class, () -> BenchMain.parseArgs(new String[] {"positional"}));
        assertThrows(IllegalArgumentException.class, () -> BenchMain.duration("soon"));
    }

    @Test
    void ratesAndDurations() {
        assertEquals(1_000_000, BenchMain.rate("1M"));
        assertEquals(500_000, BenchMain.rate("500k"));
        assertEquals(123, BenchMain.rate("123"));
        assertEquals(Duration.ofMinutes(2), BenchMain.duration("2m"));
        assertEquals(Duration.ofSeconds(30), BenchMain.duration("30s"));
    }
}
