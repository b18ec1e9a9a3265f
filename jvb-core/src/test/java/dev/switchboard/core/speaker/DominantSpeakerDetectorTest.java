package dev.switchboard.core.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Synthetic audio: every endpoint sends a level every 20 ms (one Opus packet). Level functions take the time in
 * ms since the scenario started.
 */
class DominantSpeakerDetectorTest {
    private static final int SILENCE = 127;
    private static final int ROOM = 95; // a quiet room through a laptop microphone

    private final ManualClock clock = new ManualClock();
    private final List<String> changes = new ArrayList<>();
    private DominantSpeakerDetector detector = new DominantSpeakerDetector(clock,
            DominantSpeakerDetector.Config.defaults(), (speaker, previous) -> changes.add(previous + "->" + speaker));
    private final Random random = new Random(5);
    private int elapsedMs;

    /** Speech: syllables at {@code level} (+-3 dB) for ~240 ms with ~60 ms dips to the room level. */
    private IntUnaryOperator speech(int level) {
        return t -> (t % 300) < 240 ? level - 3 + random.nextInt(7) : ROOM + random.nextInt(5);
    }

    private IntUnaryOperator constant(int level) {
        return t -> level;
    }

    /** A steady noise (fan, hum) around {@code level}. */
    private IntUnaryOperator noise(int level) {
        return t -> level + random.nextInt(3);
    }

    private IntUnaryOperator room() {
        return t -> ROOM - 2 + random.nextInt(5);
    }

    /** Runs {@code ms} of audio; each map entry is an endpoint and its level over time. */
    private void run(int ms, Map<String, IntUnaryOperator> endpoints) {
        for (int t = 0; t < ms; t += 20) {
            for (Map.Entry<String, IntUnaryOperator> e : endpoints.entrySet()) {
                detector.onAudioLevel(e.getKey(), e.getValue().applyAsInt(elapsedMs + t));
            }
            clock.advanceMillis(20);
        }
        elapsedMs += ms;
    }

    private static Map<String, IntUnaryOperator> of(Object... pairs) {
        Map<String, IntUnaryOperator> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (IntUnaryOperator) pairs[i + 1]);
        }
        return map;
    }

    @Test
    void aSustainedSpeakerBecomesDominantWithinAboutHalfASecond() {
        run(2000, of("a", room(), "b", room()));
        assertNull(detector.dominantSpeaker(), "nobody spoke");
        run(400, of("a", speech(35), "b", room()));
        assertNull(detector.dominantSpeaker(), "400 ms is not enough yet");
        run(400, of("a", speech(35), "b", room()));
        assertEquals("a", detector.dominantSpeaker());
        assertEquals(List.of("null->a"), changes);
    }

    @Test
    void silenceKeepsTheCurrentSpeaker() {
        run(2000, of("a", speech(35), "b", room()));
        run(10_000, of("a", constant(SILENCE), "b", constant(SILENCE)));
        run(5_000, of("a", room(), "b", room()));
        assertEquals("a", detector.dominantSpeaker());
        assertEquals(List.of("null->a"), changes);
    }

    @Test
    void shortBurstsDoNotSwitch() {
        run(2000, of("a", speech(35), "b", room()));
        run(1000, of("a", room(), "b", room()));
        // b coughs, laughs or says "mm" for 250 ms every 1.5 s, loud; a is quiet meanwhile
        for (int i = 0; i < 6; i++) {
            run(260, of("a", room(), "b", constant(20)));
            run(1240, of("a", room(), "b", room()));
        }
        assertEquals("a", detector.dominantSpeaker());
        assertEquals(List.of("null->a"), changes);
    }

    @Test
    void aNewSpeakerTakesOverWhenTheCurrentOneStops() {
        run(2000, of("a", speech(35), "b", room()));
        run(600, of("a", room(), "b", speech(40)));
        assertEquals("a", detector.dominantSpeaker(), "b has not spoken long enough");
        run(600, of("a", room(), "b", speech(40)));
        assertEquals("b", detector.dominantSpeaker());
        assertEquals(List.of("null->a", "a->b"), changes);
    }

    @Test
    void talkingOverTheSpeakerAtTheSameLoudnessDoesNotSwitch() {
        run(2000, of("a", speech(35), "b", room()));
        run(5000, of("a", speech(35), "b", speech(33)));
        assertEquals("a", detector.dominantSpeaker());
    }

    @Test
    void aClearlyLouderSpeakerWinsEvenWhileTheCurrentOneTalks() {
        run(2000, of("a", speech(65), "b", room())); // a mumbles, 30 dB above the room
        run(2000, of("a", speech(65), "b", speech(30)));
        assertEquals("b", detector.dominantSpeaker());
    }

    @Test
    void steadyNoiseIsNotSpeech() {
        // c's fan (a steady -55 dBov) is on from the start; a talks on and off
        for (int i = 0; i < 5; i++) {
            run(2000, of("a", speech(40), "c", constant(55)));
            run(2000, of("a", room(), "c", constant(55)));
        }
        assertEquals(List.of("null->a"), changes);
    }

    @Test
    void noiseThatStartsLaterIsAbsorbedByTheNoiseFloorWhileSpeechIsNot() {
        run(1000, of("a", room(), "c", room()));
        // c's fan starts; nobody talks. It may count as speech until c's noise floor catches up
        run(10_000, of("a", room(), "c", noise(55)));
        changes.clear();
        run(3000, of("a", speech(40), "c", noise(55)));
        assertEquals("a", detector.dominantSpeaker());
        // a long monologue: the floor must not swallow speech that keeps dipping between syllables
        run(20_000, of("a", speech(40), "c", noise(55)));
        assertEquals("a", detector.dominantSpeaker());
        assertTrue(changes.stream().noneMatch(c -> c.endsWith("->c")), changes.toString());
    }

    /** a talks; b interrupts much louder and takes over, then stops: how long until a is dominant again? */
    private long switchBackDelayMs(long minHoldNanos) {
        detector = new DominantSpeakerDetector(clock, new DominantSpeakerDetector.Config(100_000_000L, 10, 5, 1.5,
                minHoldNanos, 70, 10, 10), (speaker, previous) -> changes.add(previous + "->" + speaker));
        run(2000, of("a", speech(50), "b", room()));
        assertEquals("a", detector.dominantSpeaker());
        for (int ms = 0; !"b".equals(detector.dominantSpeaker()); ms += 20) {
            assertTrue(ms < 3000, "b never took over");
            run(20, of("a", speech(50), "b", speech(10)));
        }
        long switchedAt = clock.getAsLong();
        for (int ms = 0; !"a".equals(detector.dominantSpeaker()); ms += 20) {
            assertTrue(ms < 3000, "a never came back");
            run(20, of("a", speech(50), "b", room()));
        }
        return (clock.getAsLong() - switchedAt) / 1_000_000L;
    }

    @Test
    void aNewSpeakerHoldsForTheMinimumTime() {
        long withoutHold = switchBackDelayMs(0);
        long withHold = switchBackDelayMs(1_000_000_000L);
        assertTrue(withoutHold < 1000, "without a hold a takes back over as b's window drains: " + withoutHold);
        assertTrue(withHold >= 1000 && withHold <= 1200, "held for 1 s: " + withHold);
    }

    @Test
    void theLoudestOfSeveralSustainedSpeakersWins() {
        run(3000, of("a", speech(60), "b", speech(25), "c", speech(50), "d", room()));
        assertEquals("b", detector.dominantSpeaker());
    }

    @Test
    void removingTheDominantSpeakerNotifiesAndLetsAnotherOneIn() {
        run(2000, of("a", speech(35), "b", room()));
        detector.removeEndpoint("a");
        assertNull(detector.dominantSpeaker());
        assertEquals("a->null", changes.get(changes.size() - 1));
        run(1000, of("b", speech(40)));
        assertEquals("b", detector.dominantSpeaker());
        detector.removeEndpoint("nobody");
    }

    @Test
    void evaluateRunsWithoutNewLevels() {
        run(1000, of("a", room()));
        run(500, of("a", speech(35)));
        assertNull(detector.dominantSpeaker(), "the bin in progress is not counted yet");
        clock.advanceMillis(200);
        detector.evaluate();
        assertEquals("a", detector.dominantSpeaker());
    }

    @Test
    void rejectsBadConfigAndIgnoresBadLevels() {
        assertThrows(IllegalArgumentException.class,
                () -> new DominantSpeakerDetector.Config(100, 10, 11, 1.5, 0, 70, 10, 10));
        detector.onAudioLevel("a", 128);
        detector.onAudioLevel("a", -1);
        run(3000, of("x", constant(SILENCE)));
        assertNull(detector.dominantSpeaker());
    }
}
