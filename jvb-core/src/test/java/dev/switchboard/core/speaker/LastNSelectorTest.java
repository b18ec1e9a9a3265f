package dev.switchboard.core.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LastNSelectorTest {
    private final LastNSelector lastN = new LastNSelector(2);

    private void join(String... ids) {
        for (String id : ids) {
            lastN.addEndpoint(id);
        }
    }

    /** isForwarded must agree with selectFor for every pair. */
    private void assertConsistent() {
        for (String receiver : lastN.speakerOrder()) {
            List<String> selected = lastN.selectFor(receiver);
            for (String sender : lastN.speakerOrder()) {
                assertEquals(selected.contains(sender), lastN.isForwarded(receiver, sender), receiver + "<-" + sender);
            }
        }
    }

    @Test
    void mostRecentSpeakersFirstThenJoinOrder() {
        join("a", "b", "c", "d");
        assertEquals(List.of("a", "b", "c", "d"), lastN.speakerOrder());
        lastN.onDominantSpeaker("c");
        assertEquals(List.of("c", "a", "b", "d"), lastN.speakerOrder());
        lastN.onDominantSpeaker("d");
        lastN.onDominantSpeaker("a");
        assertEquals(List.of("a", "d", "c", "b"), lastN.speakerOrder());
        join("e", "a");
        assertEquals(List.of("a", "d", "c", "b", "e"), lastN.speakerOrder(), "joining twice changes nothing");
        assertConsistent();
    }

    @Test
    void aReceiverNeverGetsItselfAndTheNextOneMovesUp() {
        join("a", "b", "c", "d");
        lastN.onDominantSpeaker("c");
        assertEquals(List.of("c", "a"), lastN.selectFor("b"));
        assertEquals(List.of("a", "b"), lastN.selectFor("c"), "the speaker sees the two before it");
        assertEquals(List.of("c", "b"), lastN.selectFor("a"));
        assertConsistent();
    }

    @Test
    void perReceiverLimitIsTheSmallerOne() {
        join("a", "b", "c", "d", "e");
        lastN.setReceiverLastN("a", 1);
        lastN.setReceiverLastN("b", 4);
        assertEquals(1, lastN.effectiveLastN("a"));
        assertEquals(2, lastN.effectiveLastN("b"), "the conference's 2 is the smaller");
        assertEquals(List.of("b"), lastN.selectFor("a"));
        assertEquals(List.of("a", "c"), lastN.selectFor("b"));
        lastN.setConferenceLastN(LastNSelector.UNLIMITED);
        assertEquals(List.of("a", "c", "d", "e"), lastN.selectFor("b"));
        assertEquals(List.of("a", "b", "c", "d"), lastN.selectFor("e"));
        lastN.setReceiverLastN("b", LastNSelector.UNLIMITED);
        assertEquals(LastNSelector.UNLIMITED, lastN.effectiveLastN("b"));
        lastN.setReceiverLastN("c", 0);
        assertEquals(List.of(), lastN.selectFor("c"), "0: audio only");
        assertConsistent();
    }

    @Test
    void onlyEligibleEndpointsTakeSlots() {
        join("a", "b", "c", "d");
        lastN.onDominantSpeaker("b"); // b is audio-only
        Set<String> sendingVideo = Set.of("a", "c", "d");
        assertEquals(List.of("a", "c"), lastN.selectFor("d", sendingVideo::contains));
    }

    @Test
    void leavingEndpointsFreeTheirSlot() {
        join("a", "b", "c");
        lastN.onDominantSpeaker("b");
        lastN.setReceiverLastN("b", 1);
        lastN.removeEndpoint("b");
        assertEquals(List.of("a", "c"), lastN.speakerOrder());
        assertEquals(2, lastN.effectiveLastN("b"), "its own limit went with it");
        assertEquals(List.of("c"), lastN.selectFor("a"));
        lastN.onDominantSpeaker("x"); // a speaker the selector had not seen joins the front
        assertEquals(List.of("x", "a", "c"), lastN.speakerOrder());
        assertConsistent();
    }

    @Test
    void rejectsNegativeLimitsOtherThanUnlimited() {
        assertThrows(IllegalArgumentException.class, () -> new LastNSelector(-2));
        assertThrows(IllegalArgumentException.class, () -> lastN.setReceiverLastN("a", -5));
    }
}
