package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.e2e.Call.Participant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed room on a server with the default codec setting (each offer's order): Carol opens the web client with
 * {@code ?videoCodec=h264} (setCodecPreferences puts H.264 42e01f first on her camera's transceiver), Dave without
 * it. Carol publishes H.264 simulcast, Dave VP8 simulcast, and each decodes the other's codec: receiving sections
 * keep every codec, so nobody is sent one it did not negotiate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MixedVideoCodecE2ETest {
    private TestServer server;
    private Call call;
    private Participant carol;
    private Participant dave;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void start() throws Exception {
        server = TestServer.start();
        call = new Call(server, "mixed-" + UUID.randomUUID().toString().substring(0, 8));
        carol = call.launch("carol");
        dave = call.launch("dave");
    }

    @AfterAll
    void stop() {
        Call.close(call, server);
    }

    @Test
    void anH264PublisherAndAVp8PublisherDecodeEachOther() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        carol.join("videoCodec=h264");
        dave.join();
        call.awaitJoined(deadline, List.of(carol, dave));
        call.awaitMediaFlowing("carol and dave see and hear each other within 20 s", deadline);
        Object preference = carol.browser.script("return window.switchboard.videoCodecPreference");
        assertTrue(String.valueOf(preference).startsWith("video/h264 ")
                && String.valueOf(preference).contains("profile-level-id=42e01f"), "carol's preference: " + preference);
        Poll.within("carol sends H.264 and decodes VP8, dave sends VP8 and decodes H.264", Duration.ofSeconds(15),
                Duration.ofMillis(250), () -> {
                    List<String> problems = new ArrayList<>();
                    problems.addAll(codecProblems(carol, "video/H264", "video/VP8"));
                    problems.addAll(codecProblems(dave, "video/VP8", "video/H264"));
                    return problems;
                }, call::diagnostics);
        List<String> stalls = call.mediaProblemsOver(Duration.ofSeconds(2), 0, null);
        assertTrue(stalls.isEmpty(), () -> "media stopped: " + stalls + call.diagnostics());
    }

    /** Problems unless every outbound video layer is {@code sends} and the one inbound video {@code decodes}. */
    private static List<String> codecProblems(Participant p, String sends, String decodes) throws Exception {
        JsonNode streams = H264SimulcastE2ETest.streams(p);
        List<String> problems = new ArrayList<>();
        JsonNode outbound = streams.path("outbound");
        if (outbound.isEmpty()) {
            problems.add(p.name + " sends no video");
        }
        for (JsonNode layer : outbound) {
            if (!layer.path("codec").asText().startsWith(sends)) {
                problems.add(p.name + " sends " + layer.path("codec").asText() + " on " + layer.path("rid").asText());
            }
        }
        JsonNode inbound = streams.path("inbound");
        if (inbound.size() != 1 || !inbound.get(0).path("codec").asText().startsWith(decodes)
                || inbound.get(0).path("framesDecoded").asLong() < 10) {
            problems.add(p.name + " should decode " + decodes + ": " + inbound);
        }
        return problems;
    }
}
