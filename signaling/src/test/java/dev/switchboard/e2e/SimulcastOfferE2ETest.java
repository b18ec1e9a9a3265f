package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.signaling.sdp.Offer;
import dev.switchboard.signaling.sdp.OfferedMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What the running Chromium offers when it publishes three rid-based simulcast layers as the web client does
 * ({@code sendEncodings} q/h/f), read by {@link Offer}: the rids, lowest first, come out of {@code a=rid} and
 * {@code a=simulcast}. The offer is written to {@code target/chromium-simulcast.sdp} (the fixture under
 * src/test/resources was captured this way).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SimulcastOfferE2ETest {
    private static final String OFFER = """
            (async () => {
              const stream = await navigator.mediaDevices.getUserMedia(
                  {audio: true, video: {width: {ideal: 1280}, height: {ideal: 720}}});
              const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
              pc.addTransceiver(stream.getAudioTracks()[0], {direction: 'sendonly', streams: [stream]});
              pc.addTransceiver(stream.getVideoTracks()[0], {direction: 'sendonly', streams: [stream],
                  sendEncodings: [{rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000},
                                  {rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000},
                                  {rid: 'f', maxBitrate: 1500000}]});
              const offer = await pc.createOffer();
              pc.close();
              stream.getTracks().forEach(t => t.stop());
              return {sdp: offer.sdp};
            })()
            """;

    private TestServer server;
    private Browser browser;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void start() throws Exception {
        server = TestServer.start();
        browser = Chromium.launch("offerer");
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void chromiumsSimulcastOfferNamesThreeLayersLowestFirst() throws Exception {
        browser.open(server.baseUrl() + "/");
        JsonNode result = new ObjectMapper().readTree(browser.asyncJson(OFFER));
        assertFalse(result.has("scriptError"), () -> result.path("scriptError").asText());
        String sdp = result.path("sdp").asText();
        Files.writeString(Path.of("target", "chromium-simulcast.sdp"), sdp);
        Offer offer = Offer.parse(sdp);
        OfferedMedia video = offer.media().get(1);
        assertEquals(List.of("q", "h", "f"), video.rids(), sdp);
        assertTrue(video.hasSource(), "a simulcast section is a source without a=ssrc");
        assertTrue(offer.extensionId(dev.switchboard.signaling.sdp.CodecPolicy.RID_URI) > 0, sdp);
    }
}
