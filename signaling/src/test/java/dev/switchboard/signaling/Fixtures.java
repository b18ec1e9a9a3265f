package dev.switchboard.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test fixtures from src/test/resources/fixtures. */
public final class Fixtures {
    public static final String SENDONLY_AV = "chromium-sendonly-av.sdp";
    public static final String SENDONLY_RECVONLY = "chromium-sendonly-recvonly.sdp";
    public static final String WITH_CANDIDATES = "chromium-with-candidates.sdp";
    public static final String DATACHANNEL = "chromium-datachannel.sdp";
    /** Audio + video with three rid-based simulcast layers q/h/f (no a=ssrc on the video section). */
    public static final String SIMULCAST = "chromium-simulcast.sdp";
    public static final String[] ALL_SDP = {SENDONLY_AV, SENDONLY_RECVONLY, WITH_CANDIDATES, DATACHANNEL, SIMULCAST};

    private Fixtures() {}

    /** The bytes of fixtures/sdp/NAME as a string (UTF-8), unchanged. */
    public static String sdp(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
