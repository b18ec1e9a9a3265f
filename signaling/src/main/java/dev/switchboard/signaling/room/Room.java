package dev.switchboard.signaling.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The participants of one room, in join order. Confined to the room loop. */
public final class Room {
    private final String id;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    /** A task sending the marked participants their {@code sources} is queued on the room loop. */
    boolean sourcesFlushQueued;

    Room(String id) {
        this.id = id;
    }

    /** The room name, also the core's conference id. */
    public String id() {
        return id;
    }

    public Collection<Participant> participants() {
        return Collections.unmodifiableCollection(participants.values());
    }

    void add(Participant participant) {
        participants.put(participant.id(), participant);
    }

    void remove(Participant participant) {
        participants.remove(participant.id(), participant);
    }

    boolean isEmpty() {
        return participants.isEmpty();
    }

    /** Every source the given participant can receive: the others' sources, by join order then mid order. */
    List<PublishedSource> sourcesFor(Participant receiver) {
        List<PublishedSource> sources = new ArrayList<>();
        for (Participant p : participants.values()) {
            if (p != receiver) {
                sources.addAll(p.published);
            }
        }
        return sources;
    }
}
