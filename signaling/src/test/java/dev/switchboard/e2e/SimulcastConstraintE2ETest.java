package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.e2e.Call.Participant;
import dev.switchboard.e2e.PageSnapshot.Inbound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two browsers publish 720p camera video (the web client's default) as three simulcast layers (q/h/f: 180, 360
 * and 720 lines); the bridge sends each receiver one layer as one stream. Alice changes the height she asks for
 * Bob's video ({@code window.switchboard.setVideoConstraint}, which sends {@code video-constraints}) and the
 * decoded frame height of that inbound video follows within 5 s, up and down. Two browsers only: four encoding
 * 720p three times each overload this 2-core machine ({@link SimulcastE2ETest} has four, at 360 lines).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulcastConstraintE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The page's outbound video layers: rid, frame height and frames encoded so far. */
    private static final String LAYERS = """
            (async () => {
              const pc = window.switchboard && window.switchboard.pc;
              const layers = [];
              if (pc) {
                (await pc.getStats()).forEach(s => {
                  if (s.type === 'outbound-rtp' && s.kind === 'video') {
                    layers.push({rid: s.rid || '', frameHeight: s.frameHeight || 0,
                                 framesEncoded: s.framesEncoded || 0,
                                 limitation: s.qualityLimitationReason || ''});
                  }
                });
              }
              return layers;
            })()
            """;

    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void start() throws Exception {
        server = TestServer.start();
        call = new Call(server, "constraints-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    @Order(1)
    void twoSimulcastPublishersSeeEachOther() {
        call.joinAllAndAwaitMedia(List.of(alice, bob), "camera=720"); // simulcast layers of 180, 360 and 720 lines
    }

    @Test
    @Order(2)
    void aReceiverRaisingItsConstraintGetsTheHighLayerWithin5SecondsAndLoweringItBringsItBack() {
        String bobId = bob.endpointId();
        // Chromium enables the top layer once its bandwidth estimate allows (transport-cc ramp-up).
        Poll.within("bob sends three simulcast layers, the top one at least 360 lines high",
                Duration.ofSeconds(45), Duration.ofMillis(500), () -> layerProblems(bob), call::diagnostics);
        setConstraint(alice, bobId, 180);
        Poll.within("alice decodes bob's video at <= 180 lines after asking for 180", Duration.ofSeconds(10),
                Duration.ofMillis(200), () -> heightProblems(alice, bobId, 0, 180), call::diagnostics);

        long raised = System.nanoTime();
        setConstraint(alice, bobId, 720);
        Duration up = Poll.until("alice decodes bob's video at >= 360 lines within 5 s of asking for 720",
                raised + Duration.ofSeconds(5).toNanos(), Duration.ofMillis(100),
                () -> heightProblems(alice, bobId, 360, Integer.MAX_VALUE), call::diagnostics);

        long lowered = System.nanoTime();
        setConstraint(alice, bobId, 180);
        Duration down = Poll.until("alice decodes bob's video at <= 180 lines within 5 s of asking for 180 again",
                lowered + Duration.ofSeconds(5).toNanos(), Duration.ofMillis(100),
                () -> heightProblems(alice, bobId, 0, 180), call::diagnostics);
        System.out.printf("simulcast switch up in %d ms, down in %d ms%n", up.toMillis(), down.toMillis());

        List<String> problems = call.mediaProblemsOver(Duration.ofSeconds(2), 0, null);
        assertTrue(problems.isEmpty(), () -> "media stopped after the switches: " + problems + call.diagnostics());
    }

    private static void setConstraint(Participant viewer, String remoteId, int maxHeight) {
        viewer.browser.script("window.switchboard.setVideoConstraint(arguments[0], arguments[1])", remoteId,
                maxHeight);
    }

    /** Problems unless the viewer's inbound video of {@code remoteId} was last decoded within [min, max] lines. */
    static List<String> heightProblems(Participant viewer, String remoteId, int min, int max) {
        PageSnapshot s = viewer.snapshot();
        if (s.error() != null) {
            return List.of(viewer.name + ": " + s.error());
        }
        PageSnapshot.Tile tile = s.tile(remoteId).orElse(null);
        if (tile == null) {
            return List.of(viewer.name + ": no tile for " + remoteId);
        }
        List<Inbound> video = s.videoOf(tile);
        if (video.isEmpty()) {
            return List.of(viewer.name + ": no inbound video statistics for " + remoteId);
        }
        int height = video.get(0).frameHeight();
        return height >= min && height <= max ? List.of()
                : List.of(viewer.name + " decodes " + remoteId + " at " + height + " lines (want " + min + ".."
                        + (max == Integer.MAX_VALUE ? "" : max) + "); " + video);
    }

    /** Problems unless the sender's three layers are encoding and its top layer is at least 360 lines. */
    private static List<String> layerProblems(Participant sender) throws Exception {
        JsonNode layers = JSON.readTree(sender.browser.asyncJson(LAYERS));
        List<String> problems = new ArrayList<>();
        if (!layers.isArray() || layers.size() != 3) {
            return List.of(sender.name + " has outbound video " + layers);
        }
        int top = 0;
        for (JsonNode layer : layers) {
            if (layer.path("framesEncoded").asLong() == 0) {
                problems.add(sender.name + " layer " + layer.path("rid").asText() + " encodes nothing yet: " + layers);
            }
            top = Math.max(top, layer.path("frameHeight").asInt());
        }
        if (top < 360) {
            problems.add(sender.name + " top layer is " + top + " lines: " + layers);
        }
        return problems;
    }
}
