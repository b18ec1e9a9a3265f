package dev.switchboard.signaling.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.signaling.FakeMediaBridge;
import dev.switchboard.signaling.Fixtures;
import dev.switchboard.signaling.protocol.ErrorCode;
import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.sdp.Direction;
import dev.switchboard.signaling.sdp.MediaSection;
import dev.switchboard.signaling.sdp.SdpParser;
import dev.switchboard.signaling.sdp.SessionDescription;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RoomService on a single-thread "room loop", with the fake core completing on its own thread. */
class RoomServiceTest {
    private static final String ALICE_OFFER = Fixtures.sdp(Fixtures.SENDONLY_AV);
    private static final String CAROL_OFFER = ALICE_OFFER.replace("3097376222", "1234").replace("2310282495", "5678")
            .replace("a=ice-ufrag:FNqD", "a=ice-ufrag:Crl1");
    /** Bob sends audio+video (mids 0, 1) and has four receive-only sections (mids 2 a, 3 v, 4 a, 5 v). */
    private static final String BOB_OFFER = Fixtures.sdp(Fixtures.SENDONLY_RECVONLY).replace("2677819529", "777")
            .replace("906211046", "888");

    private ExecutorService loopThread;
    private FakeMediaBridge bridge;
    private RoomService rooms;

    @BeforeEach
    void setUp() {
        loopThread = Executors.newSingleThreadExecutor();
        bridge = new FakeMediaBridge();
        rooms = new RoomService(bridge, loopThread);
    }

    @AfterEach
    void tearDown() {
        loopThread.shutdownNow();
        bridge.close();
    }

    @Test
    void firstOfferAddsTheEndpointAndLaterOffersAssignSources() throws Exception {
        RecordingClient alice = join("r", "Alice");
        assertEquals(List.of(), alice.next(ServerMessage.Joined.class).participants());
        assertEquals(List.of(), alice.next(ServerMessage.Sources.class).sources());

        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        SessionDescription aliceAnswer = answer(alice);
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY), directions(aliceAnswer));
        assertEquals("[AUDIO:3097376222, VIDEO:2310282495]", FakeMediaBridge.describe(
                bridge.fakeConference("r").orElseThrow().media.get(alice.participant.id())));

        RecordingClient bob = join("r", "Bob");
        ServerMessage.Joined joined = bob.next(ServerMessage.Joined.class);
        assertEquals(List.of(new ServerMessage.ParticipantInfo(alice.participant.id(), "Alice")),
                joined.participants());
        assertEquals(List.of(new ServerMessage.SourceInfo(alice.participant.id(), "Alice", MediaKind.AUDIO),
                new ServerMessage.SourceInfo(alice.participant.id(), "Alice", MediaKind.VIDEO)),
                bob.next(ServerMessage.Sources.class).sources());
        assertEquals("Bob", alice.next(ServerMessage.ParticipantJoined.class).participant().name());

        on(() -> rooms.offer(bob.participant, BOB_OFFER));
        SessionDescription bobAnswer = answer(bob);
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY,
                Direction.INACTIVE, Direction.INACTIVE), directions(bobAnswer));
        String a = alice.participant.id();
        assertEquals("3097376222 msid:" + a + " " + a + "-a-0",
                bobAnswer.mediaSections().get(2).attributes("ssrc").get(1));
        assertEquals("2310282495 cname:SgxbOZEdZ9/ZY2k0",
                bobAnswer.mediaSections().get(3).attributes("ssrc").get(0));
        // Alice learns about Bob's sources once his endpoint exists
        assertEquals(2, alice.next(ServerMessage.Sources.class).sources().size());

        // Carol publishes: Bob's free mids 4 and 5 take her sources, 2 and 3 keep Alice's
        RecordingClient carol = join("r", "Carol");
        on(() -> rooms.offer(carol.participant, CAROL_OFFER));
        answer(carol);
        assertEquals(4, bob.last(ServerMessage.Sources.class).sources().size());
        on(() -> rooms.offer(bob.participant, BOB_OFFER));
        bobAnswer = answer(bob);
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY,
                Direction.SENDONLY, Direction.SENDONLY), directions(bobAnswer));
        assertTrue(bobAnswer.mediaSections().get(2).attribute("msid").orElseThrow().startsWith(a + " "));
        assertTrue(bobAnswer.mediaSections().get(4).attributes("ssrc").get(0).startsWith("1234 "));
        assertTrue(bobAnswer.mediaSections().get(5).attributes("ssrc").get(0).startsWith("5678 "));

        // Alice leaves: the others are told, her endpoint leaves the core, her mids at Bob go inactive
        on(() -> rooms.leave(alice.participant));
        assertEquals(a, bob.next(ServerMessage.ParticipantLeft.class).id());
        assertEquals(2, bob.last(ServerMessage.Sources.class).sources().size());
        assertTrue(bridge.calls.contains("remove " + a));
        on(() -> rooms.offer(bob.participant, BOB_OFFER));
        bobAnswer = answer(bob);
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY, Direction.INACTIVE, Direction.INACTIVE,
                Direction.SENDONLY, Direction.SENDONLY), directions(bobAnswer));
        // a renegotiation tells the core even with unchanged sources: what Bob receives changed
        assertTrue(bridge.calls.stream().anyMatch(c -> c.startsWith("update " + bob.participant.id())),
                bridge.calls.toString());
    }

    @Test
    void changedSendersAreUpdatedInTheCore() throws Exception {
        RecordingClient alice = join("r", "Alice");
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        answer(alice);
        // the video transceiver stops sending: the mid is now inactive
        String audioOnly = ALICE_OFFER.replaceFirst("a=sendonly(\r\na=msid:[^\r]*\r\na=rtcp-mux\r\na=rtcp-rsize\r\na=rtcp-xr:rcvr-rtt=all\r\na=rtpmap:96)",
                "a=inactive$1");
        on(() -> rooms.offer(alice.participant, audioOnly));
        SessionDescription answer = answer(alice);
        assertEquals(List.of(Direction.RECVONLY, Direction.INACTIVE), directions(answer));
        assertTrue(bridge.calls.contains("update " + alice.participant.id() + " [AUDIO:3097376222]"),
                bridge.calls.toString());
    }

    @Test
    void iceRestartIsAnsweredWithNewBridgeCredentials() throws Exception {
        RecordingClient alice = join("r", "Alice");
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        String first = answer(alice).toString();
        on(() -> rooms.offer(alice.participant, ALICE_OFFER.replace("a=ice-ufrag:FNqD", "a=ice-ufrag:New1")));
        String restarted = answer(alice).toString();
        assertTrue(bridge.calls.contains("restart " + alice.participant.id() + " New1"), bridge.calls.toString());
        assertNotEquals(ufrag(first), ufrag(restarted));
        // later offers with the new credentials are plain renegotiations
        on(() -> rooms.offer(alice.participant, ALICE_OFFER.replace("a=ice-ufrag:FNqD", "a=ice-ufrag:New1")));
        assertEquals(ufrag(restarted), ufrag(answer(alice).toString()));
    }

    private static String ufrag(String sdp) {
        return sdp.replaceAll("(?s).*a=ice-ufrag:(\\S+).*", "$1");
    }

    @Test
    void candidatesBeforeTheEndpointExistsAreKeptAndMdnsIsIgnored() throws Exception {
        RecordingClient alice = join("r", "Alice");
        on(() -> {
            rooms.candidate(alice.participant, "candidate:1 1 udp 2122194687 127.0.0.1 50000 typ host");
            rooms.candidate(alice.participant, "candidate:2 1 udp 2122194687 abcd.local 50001 typ host");
            rooms.offer(alice.participant, Fixtures.sdp(Fixtures.WITH_CANDIDATES));
            // arrives while addEndpoint is in flight
            rooms.candidate(alice.participant, "candidate:3 1 udp 2122194687 127.0.0.2 50002 typ host");
        });
        answer(alice);
        on(() -> rooms.candidate(alice.participant, "candidate:4 1 udp 2122194687 127.0.0.3 50003 typ host"));
        on(() -> rooms.candidate(alice.participant, null));
        on(() -> rooms.candidate(alice.participant, "garbage"));
        assertEquals(ErrorCode.BAD_MESSAGE, alice.next(ServerMessage.Error.class).code());
        List<String> addresses = bridge.fakeConference("r").orElseThrow().candidates.get(alice.participant.id())
                .stream().map(c -> c.address()).toList();
        // in the offer: 8 candidates (UDP and TCP on 127.0.0.1 among them), each once; then the trickled ones,
        // in order; never abcd.local
        assertEquals(List.of("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.3"),
                addresses.stream().filter(s -> s.startsWith("127.")).toList());
        assertTrue(addresses.stream().noneMatch(s -> s.endsWith(".local")));
    }

    @Test
    void coreEventsBecomeMediaStateAndAFailureDropsTheSources() throws Exception {
        RecordingClient alice = join("r", "Alice");
        RecordingClient bob = join("r", "Bob");
        assertEquals(List.of(), bob.next(ServerMessage.Sources.class).sources());
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        answer(alice);
        assertEquals(2, bob.next(ServerMessage.Sources.class).sources().size());
        bridge.emit("r", new EndpointEvent.Connected(alice.participant.id()));
        assertEquals(ServerMessage.MediaState.connected(), alice.next(ServerMessage.MediaState.class));
        bridge.emit("r", new EndpointEvent.Failed(alice.participant.id(), "ICE failed"));
        assertEquals(ServerMessage.MediaState.failed("ICE failed"), alice.next(ServerMessage.MediaState.class));
        assertEquals(List.of(), bob.next(ServerMessage.Sources.class).sources());
        // a new offer starts over with addEndpoint
        bridge.fakeConference("r").orElseThrow().endpoints.remove(alice.participant.id());
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        answer(alice);
        assertEquals(2, bridge.calls.stream().filter(c -> c.startsWith("add r/" + alice.participant.id())).count());
    }

    @Test
    void anOfferWithNothingToCarryIsAnsweredWithoutATransport() throws Exception {
        RecordingClient alice = join("r", "Alice");
        String dataOnly = Fixtures.sdp(Fixtures.DATACHANNEL).replace("m=audio 9 ", "m=audio 0 ")
                .replace("m=video 9 ", "m=video 0 ");
        on(() -> rooms.offer(alice.participant, dataOnly));
        SessionDescription answer = answer(alice);
        assertEquals(List.of(0, 0, 0), answer.mediaSections().stream().map(MediaSection::port).toList());
        assertEquals(List.of(), answer.bundleMids());
        assertTrue(bridge.calls.isEmpty(), bridge.calls.toString());
    }

    @Test
    void aFailedAddIsReportedAndTheNextOfferRetries() throws Exception {
        RecordingClient alice = join("r", "Alice");
        bridge.failAdds(true);
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        assertEquals(ErrorCode.INTERNAL, alice.next(ServerMessage.Error.class).code());
        bridge.failAdds(false);
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        answer(alice);
    }

    @Test
    void leavingWhileTheEndpointIsBeingAddedRemovesItOnceAdded() throws Exception {
        RecordingClient alice = join("r", "Alice");
        on(() -> {
            rooms.offer(alice.participant, ALICE_OFFER);
            rooms.leave(alice.participant);
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!bridge.calls.contains("remove " + alice.participant.id()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(bridge.calls.contains("remove " + alice.participant.id()), bridge.calls.toString());
        assertTrue(on(() -> rooms.rooms().isEmpty()));
    }

    @Test
    void aSimulcastSourceIsReceivedUnderOneSsrcChosenByTheServerAndKeptAcrossOffers() throws Exception {
        RecordingClient alice = join("r", "Alice");
        on(() -> rooms.offer(alice.participant, Fixtures.sdp(Fixtures.SIMULCAST)));
        answer(alice);
        String description = FakeMediaBridge.describe(
                bridge.fakeConference("r").orElseThrow().media.get(alice.participant.id()));
        assertTrue(description.matches("\\[AUDIO:451235138, VIDEO:\\[q, h, f]->\\d+]"), description);
        long rtx = bridge.fakeConference("r").orElseThrow().media.get(alice.participant.id()).sources().get(1)
                .simulcast().rtxOutputSsrc();
        long output = Long.parseLong(description.replaceAll(".*->(\\d+)]", "$1"));
        var aliceMedia = bridge.fakeConference("r").orElseThrow().media.get(alice.participant.id());
        assertEquals(java.util.Map.of(97, 96), aliceMedia.sendRtxPayloadTypes(), "alice repairs VP8 with RTX 97");
        assertEquals(List.of(4, 10, 11), List.of(aliceMedia.midExtensionId(), aliceMedia.ridExtensionId(),
                aliceMedia.repairedRidExtensionId()));
        assertEquals(List.of(1, 3, 2, 13), List.of(aliceMedia.audioLevelExtensionId(),
                aliceMedia.transportCcExtensionId(), aliceMedia.absSendTimeExtensionId(),
                aliceMedia.videoOrientationExtensionId()), "the offer's ids of the extensions the bridge forwards");
        assertTrue(output > 0 && output <= 0xFFFF_FFFFL);

        RecordingClient bob = join("r", "Bob");
        on(() -> rooms.offer(bob.participant, BOB_OFFER));
        SessionDescription bobAnswer = answer(bob);
        assertEquals(output + " cname:YnJ1teVgXLyvNyL2", bobAnswer.mediaSections().get(3).attributes("ssrc").get(0),
                "bob's video receiver names the rewritten stream, with alice's cname (lip sync)");
        assertEquals(List.of("FID " + output + " " + rtx), bobAnswer.mediaSections().get(3).attributes("ssrc-group"),
                "and the bridge's RTX stream for it");
        assertEquals(97, bridge.fakeConference("r").orElseThrow().media.get(bob.participant.id())
                .receiveRtxPayloadTypes().get(96), "bob takes retransmissions of VP8 (96) as RTX (97)");

        on(() -> rooms.offer(alice.participant, Fixtures.sdp(Fixtures.SIMULCAST)));
        answer(alice);
        assertEquals(description, FakeMediaBridge.describe(
                bridge.fakeConference("r").orElseThrow().media.get(alice.participant.id())), "same output SSRC");
    }

    @Test
    void singleStreamVideoIsRepairedWithRtxBothWaysUnderAnRtxSsrcChosenByTheServerAndKeptAcrossOffers()
            throws Exception {
        RecordingClient alice = join("r", "Alice");
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        SessionDescription aliceAnswer = answer(alice);
        assertTrue(aliceAnswer.mediaSections().get(1).attributes("fmtp").contains("97 apt=96"),
                "alice may repair her video with RTX");
        var aliceMedia = bridge.fakeConference("r").orElseThrow().media.get(alice.participant.id());
        var video = aliceMedia.sources().get(1);
        assertEquals(2310282495L, video.primarySsrc());
        assertEquals(2306251897L, video.rtxSsrc(), "her RTX stream, from a=ssrc-group:FID");
        long rtxOutput = video.rtxOutputSsrc();
        assertTrue(rtxOutput > 0 && rtxOutput <= 0xFFFF_FFFFL && rtxOutput != 2306251897L, "chosen: " + rtxOutput);
        assertEquals(96, aliceMedia.sendRtxPayloadTypes().get(97), "RTX 97 repairs VP8 96");
        assertEquals(102, aliceMedia.sendRtxPayloadTypes().get(103), "RTX 103 repairs H264 102");
        assertEquals(-1, aliceMedia.sources().get(0).rtxOutputSsrc(), "no RTX for audio");

        RecordingClient bob = join("r", "Bob");
        on(() -> rooms.offer(bob.participant, BOB_OFFER));
        SessionDescription bobAnswer = answer(bob);
        MediaSection received = bobAnswer.mediaSections().get(3);
        assertEquals(List.of("FID 2310282495 " + rtxOutput), received.attributes("ssrc-group"),
                "bob receives alice's video with the bridge's RTX stream for it");
        assertTrue(received.attributes("ssrc").contains(rtxOutput + " cname:SgxbOZEdZ9/ZY2k0"),
                received.attributes("ssrc").toString());
        assertTrue(received.attributes("fmtp").contains("97 apt=96"), received.toString());
        assertEquals(97, bridge.fakeConference("r").orElseThrow().media.get(bob.participant.id())
                .receiveRtxPayloadTypes().get(96));

        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        answer(alice);
        assertEquals(rtxOutput, bridge.fakeConference("r").orElseThrow().media.get(alice.participant.id()).sources()
                .get(1).rtxOutputSsrc(), "kept while the source keeps its mid and SSRC");
    }

    @Test
    void videoConstraintsReachTheCoreOnceTheEndpointExistsAndAfterwards() throws Exception {
        RecordingClient alice = join("r", "Alice");
        VideoConstraints early = new VideoConstraints(180, java.util.Map.of("someone", 720));
        on(() -> rooms.setVideoConstraints(alice.participant, early));
        assertTrue(bridge.calls.stream().noneMatch(c -> c.startsWith("video-constraints")), "no endpoint yet");
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        answer(alice);
        String id = alice.participant.id();
        assertTrue(bridge.calls.contains("video-constraints " + id + " 180 {someone=720}"), bridge.calls.toString());
        on(() -> rooms.setVideoConstraints(alice.participant, new VideoConstraints(360, java.util.Map.of())));
        assertTrue(bridge.calls.contains("video-constraints " + id + " 360 {}"), bridge.calls.toString());
    }

    // ---- helpers ----

    @Test
    void sourceChangesWithinOneLoopTurnReachEachReceiverAsOneMessage() throws Exception {
        RecordingClient carol = join("r", "Carol");
        RecordingClient alice = join("r", "Alice");
        on(() -> rooms.offer(alice.participant, ALICE_OFFER));
        answer(alice);
        RecordingClient bob = join("r", "Bob");
        on(() -> rooms.offer(bob.participant, CAROL_OFFER));
        answer(bob);
        // The answer is sent before the sources flush is queued (same loop task): the first no-op waits for that
        // task to end, the second for the flush queued by it.
        on(() -> { });
        on(() -> { }); // the queued sources task has run
        assertEquals(4, carol.last(ServerMessage.Sources.class).sources().size());

        // two changes in one turn of the room loop: Carol gets one message with the sources as they are after both
        on(() -> {
            rooms.leave(alice.participant);
            rooms.leave(bob.participant);
        });
        on(() -> { });
        assertEquals(List.of(), carol.next(ServerMessage.Sources.class).sources());
        assertEquals(0, carol.count(ServerMessage.Sources.class));
    }

    private RecordingClient join(String room, String name) throws Exception {
        RecordingClient client = new RecordingClient();
        client.participant = on(() -> rooms.join(client::add, room, name));
        return client;
    }

    private void on(Runnable task) throws Exception {
        loopThread.submit(task).get(5, TimeUnit.SECONDS);
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loopThread.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static SessionDescription answer(RecordingClient client) throws Exception {
        ServerMessage.Answer answer = client.next(ServerMessage.Answer.class);
        return SdpParser.parse(answer.sdp());
    }

    private static List<Direction> directions(SessionDescription sdp) {
        return sdp.mediaSections().stream().map(MediaSection::direction).toList();
    }
}
