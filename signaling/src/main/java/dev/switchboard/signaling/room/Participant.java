package dev.switchboard.signaling.room;

import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.TransportDescription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One connection's membership of a room and its media negotiation state. Confined to the room loop: only
 * {@link RoomService} touches it.
 */
public final class Participant {
    /** Where the participant's media transport is in the core. */
    enum MediaPhase {
        /** No endpoint in the core (before the first offer, or after a failure). */
        NONE,
        /** {@code addEndpoint} called, not yet completed. */
        ADDING,
        /** The endpoint exists in the core. */
        ADDED
    }

    private final String id;
    private final String name;
    private final Room room;
    private final ParticipantSink sink;
    private final long sdpSessionId;

    boolean left;
    /** Joined and not answered yet: while any participant is, re-offers go one per loop turn. */
    boolean joining = true;
    /** The room's sources changed since this participant's last {@code sources} message. */
    boolean sourcesStale;
    MediaPhase phase = MediaPhase.NONE;
    /** Incremented for every addEndpoint: events of an older endpoint incarnation are ignored. */
    int mediaGeneration;
    String iceUfrag;
    /** The participant's own last-N (set-last-n), -1 to follow the room's. */
    int lastN = -1;
    /** What the participant said it wants of the others' simulcast video (video-constraints), or null. */
    dev.switchboard.core.api.VideoConstraints videoConstraints;
    TransportDescription bridgeTransport;
    long sdpVersion;
    List<PublishedSource> published = List.of();
    /** Receive-only mid of this participant to the remote source it receives there. */
    Map<String, PublishedSource.SourceKey> assignments = new HashMap<>();
    final List<IceCandidate> pendingCandidates = new ArrayList<>();
    final Set<IceCandidate> knownCandidates = new HashSet<>();
    /** Offers waiting for the endpoint (being added, restarting ICE) or for their turn (re-offers). */
    final ArrayDeque<String> pendingOffers = new ArrayDeque<>();
    /** In the room service's queue of participants whose re-offers wait for their turn. */
    boolean renegotiationQueued;

    Participant(String id, String name, Room room, ParticipantSink sink, long sdpSessionId) {
        this.id = id;
        this.name = name;
        this.room = room;
        this.sink = sink;
        this.sdpSessionId = sdpSessionId;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Room room() {
        return room;
    }

    ParticipantSink sink() {
        return sink;
    }

    long sdpSessionId() {
        return sdpSessionId;
    }

    /** The sources this participant sends now. */
    public List<PublishedSource> published() {
        return published;
    }

    /** True once the participant's endpoint exists in the core. */
    public boolean hasMedia() {
        return phase == MediaPhase.ADDED;
    }

    /** True while an offer of this participant waits for its answer (endpoint being added, ICE restart, queued). */
    public boolean awaitingAnswer() {
        return phase == MediaPhase.ADDING || !pendingOffers.isEmpty();
    }

    @Override
    public String toString() {
        return id + "(" + name + ")@" + room.id();
    }
}
