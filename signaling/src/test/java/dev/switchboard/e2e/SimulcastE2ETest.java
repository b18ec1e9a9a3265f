package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.e2e.Call.Participant;
import java.time.Duration;
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
 * Four browsers publish camera video as three simulcast layers (the web client's {@code sendEncodings} q/h/f,
 * here from a 360-line camera: 90, 180 and 360 lines); the bridge sends each receiver one layer per remote as one
 * stream, the main tile's higher than the thumbnails'. Every page shows three remote videos playing. Switching
 * layers on a receiver's constraint: {@link SimulcastConstraintE2ETest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulcastE2ETest {
    private TestServer server;
    private Call call;
    private Participant alice;
    private Participant bob;
    private Participant carol;
    private Participant dave;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void start() throws Exception {
        server = TestServer.start();
        call = new Call(server, "simulcast-" + UUID.randomUUID().toString().substring(0, 8));
        alice = call.launch("alice");
        bob = call.launch("bob");
        carol = call.launch("carol");
        dave = call.launch("dave");
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    @Order(1)
    void fourSimulcastPublishersEachShowThreeRemoteVideosPlaying() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Participant> all = List.of(alice, bob, carol, dave);
        all.forEach(Participant::join);
        call.awaitJoined(deadline, all);
        call.awaitMediaFlowing("each of four pages shows three remote tiles with video decoding and audio arriving "
                + "within 30 s", deadline);
        StringBuilder rates = new StringBuilder();
        List<String> problems = call.mediaProblemsOver(Duration.ofSeconds(5), 0, rates);
        System.out.println("four-party simulcast call: " + rates);
        assertTrue(problems.isEmpty(), () -> "video or audio stopped: " + problems + call.diagnostics());
    }

}
