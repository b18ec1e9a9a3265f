package dev.switchboard.signaling.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.signaling.FakeMediaBridge;
import dev.switchboard.signaling.Fixtures;
import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.sdp.VideoCodecPreference;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Re-offers wait their turn on the room loop: joins and first offers go first, a turn spends at most its budget on
 * re-offers, and a participant's candidates stay behind its waiting offers. The "next turn" is run by the test;
 * the clock advances by {@code step} nanoseconds at every reading.
 */
class RenegotiationTurnsTest {
    private static final String ALICE_OFFER = Fixtures.sdp(Fixtures.SENDONLY_AV);
    private static final String BOB_OFFER = ALICE_OFFER.replace("3097376222", "1234").replace("2310282495", "5678")
            .replace("a=ice-ufrag:FNqD", "a=ice-ufrag:Bob1");

    private ExecutorService loopThread;
    private FakeMediaBridge bridge;
    private RoomService rooms;
    private final Queue<Runnable> nextTurn = new ConcurrentLinkedQueue<>();
    private final AtomicLong clock = new AtomicLong();
    private volatile long step;

    @BeforeEach
    void setUp() {
        loopThread = Executors.newSingleThreadExecutor();
        bridge = new FakeMediaBridge();
        rooms = new RoomService(bridge, loopThread, nextTurn::add, () -> clock.addAndGet(step),
                endpointId -> List.of(), -1, VideoCodecPreference.OFFER_ORDER);
    }

    @AfterEach
    void tearDown() {
        loopThread.shutdownNow();
        bridge.close();
    }

    @Test
    void whileSomeoneIsJoiningReOffersGoOnePerTurn() throws Exception {
        RecordingClient alice = joinWithMedia("Alice", ALICE_OFFER);
        RecordingClient bob = joinWithMedia("Bob", BOB_OFFER);
        RecordingClient carol = join("Carol"); // joined, no offer yet

        on(() -> {
            rooms.offer(alice.participant, ALICE_OFFER);
            rooms.offer(bob.participant, BOB_OFFER);
        });
        on(() -> { }); // the queued re-offer task has run
        alice.next(ServerMessage.Answer.class);
        assertEquals(0, bob.count(ServerMessage.Answer.class), "Bob's re-offer waits for the next turn");
        assertEquals(1, nextTurn.size());

        // Carol's first offer is handled at once, although a re-offer waits
        on(() -> rooms.offer(carol.participant, BOB_OFFER.replace("a=ice-ufrag:Bob1", "a=ice-ufrag:Crl1")
                .replace("1234", "4321").replace("5678", "8765")));
        carol.next(ServerMessage.Answer.class);
        assertEquals(0, bob.count(ServerMessage.Answer.class));

        runNextTurn();
        bob.next(ServerMessage.Answer.class);
        assertTrue(nextTurn.isEmpty());
    }

    @Test
    void withNobodyJoiningATurnHandlesReOffersUntilItsBudgetIsSpent() throws Exception {
        RecordingClient alice = joinWithMedia("Alice", ALICE_OFFER);
        RecordingClient bob = joinWithMedia("Bob", BOB_OFFER);

        step = 0; // no time passes: both in one turn
        on(() -> {
            rooms.offer(alice.participant, ALICE_OFFER);
            rooms.offer(bob.participant, BOB_OFFER);
        });
        on(() -> { });
        alice.next(ServerMessage.Answer.class);
        bob.next(ServerMessage.Answer.class);
        assertTrue(nextTurn.isEmpty());

        step = RoomService.RENEGOTIATION_BUDGET_NANOS; // the budget is gone after the first one
        on(() -> {
            rooms.offer(alice.participant, ALICE_OFFER);
            rooms.offer(bob.participant, BOB_OFFER);
        });
        on(() -> { });
        alice.next(ServerMessage.Answer.class);
        assertEquals(0, bob.count(ServerMessage.Answer.class));
        runNextTurn();
        bob.next(ServerMessage.Answer.class);
    }

    @Test
    void candidatesStayBehindTheOffersThatWait() throws Exception {
        RecordingClient alice = joinWithMedia("Alice", ALICE_OFFER);
        RecordingClient bob = joinWithMedia("Bob", BOB_OFFER);
        join("Carol"); // keeps re-offers at one per turn
        String aliceId = alice.participant.id();

        on(() -> {
            rooms.offer(bob.participant, BOB_OFFER);
            rooms.offer(alice.participant, ALICE_OFFER);
            rooms.candidate(alice.participant, "candidate:1 1 udp 2122194687 127.0.0.7 50000 typ host");
        });
        on(() -> { });
        bob.next(ServerMessage.Answer.class);
        assertTrue(bridge.calls.stream().noneMatch(c -> c.startsWith("candidate " + aliceId)),
                "the candidate waits with Alice's offer: " + bridge.calls);

        runNextTurn();
        alice.next(ServerMessage.Answer.class);
        List<String> calls = List.copyOf(bridge.calls);
        int update = calls.lastIndexOf(calls.stream().filter(c -> c.startsWith("update " + aliceId))
                .reduce((a, b) -> b).orElseThrow());
        int candidate = calls.indexOf("candidate " + aliceId + " 127.0.0.7");
        assertTrue(candidate > update, "the candidate goes in after the offer it followed: " + calls);
    }

    @Test
    void aParticipantThatLeavesTakesItsWaitingOffersAlong() throws Exception {
        RecordingClient alice = joinWithMedia("Alice", ALICE_OFFER);
        RecordingClient bob = joinWithMedia("Bob", BOB_OFFER);
        join("Carol");
        int updates = (int) bridge.calls.stream().filter(c -> c.startsWith("update ")).count();

        on(() -> {
            rooms.offer(alice.participant, ALICE_OFFER);
            rooms.offer(bob.participant, BOB_OFFER);
        });
        on(() -> { });
        alice.next(ServerMessage.Answer.class);
        on(() -> rooms.leave(bob.participant));
        runNextTurn();
        assertEquals(0, bob.count(ServerMessage.Answer.class));
        assertEquals(updates + 1, bridge.calls.stream().filter(c -> c.startsWith("update ")).count(),
                "only Alice's re-offer reached the core: " + bridge.calls);
    }

    private RecordingClient join(String name) throws Exception {
        RecordingClient client = new RecordingClient();
        client.participant = on(() -> rooms.join(client::add, "r", name));
        return client;
    }

    private RecordingClient joinWithMedia(String name, String offer) throws Exception {
        RecordingClient client = join(name);
        on(() -> rooms.offer(client.participant, offer));
        client.next(ServerMessage.Answer.class);
        return client;
    }

    private void runNextTurn() throws Exception {
        Runnable task = nextTurn.poll();
        assertTrue(task != null, "a turn was scheduled");
        on(task);
        on(() -> { });
    }

    private void on(Runnable task) throws Exception {
        loopThread.submit(task).get(5, TimeUnit.SECONDS);
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loopThread.submit(task).get(5, TimeUnit.SECONDS);
    }
}
