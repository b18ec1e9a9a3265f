package dev.switchboard.signaling.room;

import dev.switchboard.core.api.Conference;
import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.MediaBridge;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.api.Simulcast;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.api.VideoCodec;
import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.signaling.protocol.ErrorCode;
import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.protocol.ServerMessage.IceServer;
import dev.switchboard.signaling.protocol.ServerMessage.ParticipantInfo;
import dev.switchboard.signaling.protocol.ServerMessage.SourceInfo;
import dev.switchboard.signaling.sdp.AnswerBuilder;
import dev.switchboard.signaling.sdp.CodecPolicy;
import dev.switchboard.signaling.sdp.IceCandidates;
import dev.switchboard.signaling.sdp.InvalidOfferException;
import dev.switchboard.signaling.sdp.Offer;
import dev.switchboard.signaling.sdp.OfferedMedia;
import dev.switchboard.signaling.sdp.SendTrack;
import dev.switchboard.signaling.sdp.VideoCodecPreference;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms, participants and offer/answer, on top of the core's {@link MediaBridge}.
 *
 * <p><b>Threading:</b> every public method must be called on the room loop (the signaling verticle's
 * event loop), and all state here is confined to it. Core events and completions of core calls arrive on core
 * threads and re-enter through {@code loop} before touching any state.
 *
 * <p><b>Negotiation</b> (see docs/signaling.md): the client always offers. The first offer of a participant
 * adds its endpoint to the core; later offers with the same ICE ufrag update what it sends; each of its
 * receive-only sections is given a remote source of the same kind, kept across renegotiations while that
 * source exists.
 *
 * <p><b>Joins before renegotiations.</b> Re-offers of participants whose media is up are queued and handled by a
 * task that spends at most {@link #RENEGOTIATION_BUDGET_NANOS} per turn of the room loop, round robin over the
 * participants, and then yields until the loop's next turn ({@code nextTurn}), so that the messages that
 * arrived meanwhile (joins and first offers) are handled first; while a participant that joined has not had its
 * first answer yet, one re-offer per turn. When many join a large room at once, every {@code sources} update
 * makes each participant re-offer its whole SDP: without the queue a joiner's first offer waited behind all of
 * them. When the loop is idle a re-offer is handled in the same turn it arrived, and the next ones a turn later.
 * A participant's messages keep their order: candidates that arrive while its offers wait are added after them.
 */
public final class RoomService {
    private static final Logger LOG = LoggerFactory.getLogger(RoomService.class);
    private static final char[] ID_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int ID_LENGTH = 10;
    private static final int MAX_PENDING_CANDIDATES = 64;
    private static final int MAX_PENDING_OFFERS = 4;
    /** Longest the room loop spends on queued re-offers before it reads its sockets again (2 ms). */
    static final long RENEGOTIATION_BUDGET_NANOS = 2_000_000;

    private final MediaBridge bridge;
    private final Executor loop;
    private final Function<String, List<IceServer>> iceServers;
    private final int roomLastN;
    private final VideoCodecPreference videoCodecs;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Set<String> endpointIds = new HashSet<>();
    /** Participants with re-offers waiting, each once, in the order they became ready. */
    private final ArrayDeque<Participant> renegotiating = new ArrayDeque<>();
    private final Executor nextTurn;
    private final LongSupplier nanoTime;
    private boolean renegotiationScheduled;
    /** Participants that joined and have not had their first answer yet. */
    private int joining;

    /**
     * @param bridge the media core
     * @param loop   runs a task on the room loop (e.g. {@code task -> context.runOnContext(v -> task.run())})
     */
    public RoomService(MediaBridge bridge, Executor loop) {
        this(bridge, loop, endpointId -> List.of());
    }

    /**
     * @param bridge     the media core
     * @param loop       runs a task on the room loop (e.g. {@code task -> context.runOnContext(v -> task.run())})
     * @param iceServers the STUN/TURN servers (with fresh credentials) for a new participant, by endpoint id;
     *                   sent in its {@code joined} message
     */
    public RoomService(MediaBridge bridge, Executor loop, Function<String, List<IceServer>> iceServers) {
        this(bridge, loop, iceServers, -1);
    }

    /**
     * @param roomLastN last-N of every room: each participant gets the video of at most this many of the most
     *                  recent speakers (-1 = unlimited)
     */
    public RoomService(MediaBridge bridge, Executor loop, Function<String, List<IceServer>> iceServers,
            int roomLastN) {
        this(bridge, loop, iceServers, roomLastN, VideoCodecPreference.OFFER_ORDER);
    }

    /**
     * @param videoCodecs the video codecs participants may send and receive, in the bridge's order of preference
     *                    (which codec a publisher sends, and simulcasts)
     */
    public RoomService(MediaBridge bridge, Executor loop, Function<String, List<IceServer>> iceServers,
            int roomLastN, VideoCodecPreference videoCodecs) {
        // queued re-offers continue on the loop itself: no reads in between (tests)
        this(bridge, loop, loop, System::nanoTime, iceServers, roomLastN, videoCodecs);
    }

    /**
     * @param nextTurn runs a task on the room loop after the messages that are waiting to be read now (e.g. on
     *                 a 1 ms timer): queued re-offers continue there once a turn's budget is spent
     * @param nanoTime the monotonic clock that measures that budget
     */
    public RoomService(MediaBridge bridge, Executor loop, Executor nextTurn, LongSupplier nanoTime,
            Function<String, List<IceServer>> iceServers, int roomLastN, VideoCodecPreference videoCodecs) {
        this.videoCodecs = java.util.Objects.requireNonNull(videoCodecs, "videoCodecs");
        this.bridge = bridge;
        this.loop = loop;
        this.nextTurn = java.util.Objects.requireNonNull(nextTurn, "nextTurn");
        this.nanoTime = java.util.Objects.requireNonNull(nanoTime, "nanoTime");
        this.iceServers = java.util.Objects.requireNonNull(iceServers, "iceServers");
        this.roomLastN = roomLastN;
    }

    /** The rooms with at least one participant, in creation order. */
    public Collection<Room> rooms() {
        return Collections.unmodifiableCollection(rooms.values());
    }

    /**
     * Adds a participant to a room (validated by the protocol codec), tells it who is there ({@code joined},
     * then {@code sources}) and tells the others ({@code participant-joined}).
     */
    public Participant join(ParticipantSink sink, String roomName, String name) {
        Room room = rooms.computeIfAbsent(roomName, Room::new);
        String id = newEndpointId();
        Participant participant = new Participant(id, name, room, sink, random.nextLong() & Long.MAX_VALUE);
        List<ParticipantInfo> others = new ArrayList<>();
        for (Participant p : room.participants()) {
            others.add(new ParticipantInfo(p.id(), p.name()));
        }
        room.add(participant);
        joining++;
        LOG.info("{} joined room {} as '{}' ({} participants)", id, roomName, name, room.participants().size());
        sink.send(new ServerMessage.Joined(id, roomName, others, iceServers.apply(id)));
        sink.send(sourcesMessage(participant));
        ServerMessage joined = new ServerMessage.ParticipantJoined(new ParticipantInfo(id, name));
        for (Participant p : room.participants()) {
            if (p != participant) {
                p.sink().send(joined);
            }
        }
        return participant;
    }

    /**
     * Removes a participant (on {@code leave} or when its socket closes): its endpoint leaves the core, the
     * others get {@code participant-left} and, if it sent media, a new {@code sources} list. Idempotent.
     */
    public void leave(Participant participant) {
        if (participant.left) {
            return;
        }
        participant.left = true;
        doneJoining(participant);
        Room room = participant.room();
        room.remove(participant);
        endpointIds.remove(participant.id());
        if (participant.phase == Participant.MediaPhase.ADDED) {
            removeEndpoint(participant);
        }
        // While ADDING, the completion removes the endpoint once it exists (see onEndpointAdded).
        boolean hadSources = !participant.published.isEmpty();
        participant.published = List.of();
        participant.pendingOffers.clear();
        LOG.info("{} left room {} ({} participants)", participant.id(), room.id(), room.participants().size());
        ServerMessage left = new ServerMessage.ParticipantLeft(participant.id());
        for (Participant p : room.participants()) {
            p.sink().send(left);
        }
        if (hadSources) {
            broadcastSources(room, null);
        }
        if (room.isEmpty()) {
            rooms.remove(room.id(), room);
        }
    }

    /**
     * Handles an SDP offer: answers it, or sends an error ({@code bad-sdp}, {@code ice-restart-unsupported}). A
     * first offer is handled at once; a re-offer waits its turn (see the class comment), as does any offer that
     * arrives while the endpoint is being added or its ICE restarted.
     */
    public void offer(Participant participant, String sdp) {
        if (participant.left) {
            return;
        }
        if (participant.phase == Participant.MediaPhase.NONE && participant.pendingOffers.isEmpty()) {
            handleOffer(participant, sdp);
            return;
        }
        // One offer at a time: the client waits for our answer, but do not lose an offer if it did not.
        if (participant.pendingOffers.size() >= MAX_PENDING_OFFERS) {
            error(participant, ErrorCode.BAD_MESSAGE, "too many offers in flight; wait for the answer");
            return;
        }
        participant.pendingOffers.add(sdp);
        if (participant.phase == Participant.MediaPhase.ADDED) {
            scheduleRenegotiation(participant);
        }
    }

    private void scheduleRenegotiation(Participant participant) {
        if (!participant.renegotiationQueued) {
            participant.renegotiationQueued = true;
            renegotiating.add(participant);
        }
        if (!renegotiationScheduled) {
            renegotiationScheduled = true;
            loop.execute(this::renegotiateQueued);
        }
    }

    /** Handles queued re-offers, one per participant in turn, until none is left or the turn's budget is spent. */
    private void renegotiateQueued() {
        long start = nanoTime.getAsLong();
        Participant participant;
        while ((participant = renegotiating.poll()) != null) {
            participant.renegotiationQueued = false;
            if (!participant.left && participant.phase == Participant.MediaPhase.ADDED
                    && !participant.pendingOffers.isEmpty()) {
                handleOffer(participant, participant.pendingOffers.poll());
                afterQueuedOffer(participant);
            }
            long budget = joining > 0 ? 0 : RENEGOTIATION_BUDGET_NANOS;
            if (nanoTime.getAsLong() - start >= budget && !renegotiating.isEmpty()) {
                nextTurn.execute(this::renegotiateQueued);
                return;
            }
        }
        renegotiationScheduled = false;
    }

    /** After an offer that waited: the participant's next offer waits its turn, or its held candidates go in. */
    private void afterQueuedOffer(Participant participant) {
        if (participant.left || participant.phase != Participant.MediaPhase.ADDED) {
            return;
        }
        if (!participant.pendingOffers.isEmpty()) {
            scheduleRenegotiation(participant);
            return;
        }
        for (IceCandidate candidate : participant.pendingCandidates) {
            addRemoteCandidate(participant, candidate);
        }
        participant.pendingCandidates.clear();
    }

    private void handleOffer(Participant participant, String sdp) {
        Offer offer;
        try {
            offer = Offer.parse(sdp, videoCodecs);
        } catch (InvalidOfferException e) {
            error(participant, ErrorCode.BAD_SDP, e.getMessage());
            return;
        }
        if (participant.phase == Participant.MediaPhase.NONE) {
            if (!offer.acceptsAnyMedia()) {
                // Nothing to carry (e.g. only a data channel): reject it all without creating a transport.
                answer(participant, offer);
                return;
            }
            addEndpoint(participant, offer);
        } else {
            renegotiate(participant, offer);
        }
    }

    /**
     * Handles a trickled candidate: null or empty means end of candidates (nothing to do); mDNS candidates are
     * ignored; candidates that arrive before the endpoint exists are kept until it does.
     */
    public void candidate(Participant participant, String candidate) {
        if (participant.left || candidate == null || candidate.isBlank()) {
            return;
        }
        Optional<IceCandidate> parsed;
        try {
            parsed = IceCandidates.parseUsable(candidate);
        } catch (IllegalArgumentException e) {
            error(participant, ErrorCode.BAD_MESSAGE, "bad candidate: " + e.getMessage());
            return;
        }
        if (parsed.isEmpty() || parsed.get().component() != 1) {
            return;
        }
        IceCandidate c = parsed.get();
        if (participant.phase == Participant.MediaPhase.ADDED && participant.pendingOffers.isEmpty()) {
            addRemoteCandidate(participant, c);
        } else if (participant.pendingCandidates.size() < MAX_PENDING_CANDIDATES) {
            participant.pendingCandidates.add(c);
        }
    }

    // ---- offer handling ----

    private void addEndpoint(Participant participant, Offer offer) {
        List<PublishedSource> sources = publishedSources(participant, offer);
        int generation = ++participant.mediaGeneration;
        EndpointRequest request;
        try {
            request = new EndpointRequest(participant.id(), offer.remoteTransport(), mediaDescription(sources, offer),
                    event -> loop.execute(() -> onEndpointEvent(participant, generation, event)));
        } catch (IllegalArgumentException e) {
            error(participant, ErrorCode.BAD_SDP, e.getMessage());
            return;
        }
        participant.phase = Participant.MediaPhase.ADDING;
        long offerNanos = System.nanoTime();
        participant.iceUfrag = offer.ice().ufrag();
        participant.knownCandidates.addAll(offer.candidates()); // they travel in the request
        CompletionStage<TransportDescription> stage;
        try {
            stage = bridge.conference(participant.room().id()).addEndpoint(request);
        } catch (RuntimeException e) {
            onEndpointAdded(participant, generation, offer, sources, null, e);
            return;
        }
        stage.whenComplete((transport, failure) -> {
            long addedNanos = System.nanoTime();
            loop.execute(() -> {
                onEndpointAdded(participant, generation, offer, sources, transport, failure);
                if (failure == null && LOG.isDebugEnabled()) {
                    // Lined up with the core's join-timeline line (same clock): where the answer waited.
                    LOG.debug("join-signaling {} offer={} endpoint-added=+{} answer-sent=+{}", participant.id(),
                            offerNanos, millis(addedNanos - offerNanos), millis(System.nanoTime() - offerNanos));
                }
            });
        });
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private void onEndpointAdded(Participant participant, int generation, Offer offer,
            List<PublishedSource> sources, TransportDescription transport, Throwable failure) {
        if (participant.left || generation != participant.mediaGeneration) {
            if (failure == null) {
                bridge.findConference(participant.room().id())
                        .ifPresent(c -> c.removeEndpoint(participant.id()));
            }
            return;
        }
        if (failure != null) {
            Throwable cause = unwrap(failure);
            participant.phase = Participant.MediaPhase.NONE;
            participant.iceUfrag = null;
            participant.pendingCandidates.clear();
            if (cause instanceof IllegalArgumentException) {
                error(participant, ErrorCode.BAD_SDP, "the bridge refused the offer: " + cause.getMessage());
            } else {
                LOG.warn("{}: adding the endpoint failed", participant, cause);
                error(participant, ErrorCode.INTERNAL, "the media bridge could not add the endpoint");
            }
            drainPendingOffers(participant);
            return;
        }
        participant.phase = Participant.MediaPhase.ADDED;
        participant.bridgeTransport = transport;
        LOG.info("{}: endpoint added, sending {} source(s)", participant, sources.size());
        bridge.findConference(participant.room().id()).ifPresent(c -> {
            c.setLastN(roomLastN);
            if (participant.lastN != -1) {
                c.setReceiverLastN(participant.id(), participant.lastN);
            }
            if (participant.videoConstraints != null) {
                c.setVideoConstraints(participant.id(), participant.videoConstraints);
            }
        });
        for (IceCandidate candidate : participant.pendingCandidates) {
            addRemoteCandidate(participant, candidate);
        }
        participant.pendingCandidates.clear();
        answer(participant, offer);
        publish(participant, sources);
        drainPendingOffers(participant);
    }

    private void renegotiate(Participant participant, Offer offer) {
        if (!offer.ice().ufrag().equals(participant.iceUfrag)) {
            restartIce(participant, offer);
            return;
        }
        List<PublishedSource> sources = publishedSources(participant, offer);
        boolean changed = !sources.equals(participant.published);
        Optional<Conference> conference = bridge.findConference(participant.room().id());
        try {
            // Always: a re-offer also changes what this participant receives, which the bridge follows
            // (keyframe requests for the new streams).
            conference.ifPresent(c -> c.updateMedia(participant.id(), mediaDescription(sources, offer)));
            for (IceCandidate candidate : offer.candidates()) {
                addRemoteCandidate(participant, candidate);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: updating media failed", participant, e);
            error(participant, ErrorCode.INTERNAL, "the media bridge could not update the endpoint");
            return;
        }
        answer(participant, offer);
        if (changed) {
            publish(participant, sources);
        }
    }

    /**
     * The offer brings new ICE credentials (RFC 8445 section 9, e.g. {@code pc.restartIce()} after a network
     * change): the bridge starts a new ICE session for the endpoint, keeps DTLS and media, and answers with its
     * new credentials. Offers that arrive meanwhile wait, as while adding.
     */
    private void restartIce(Participant participant, Offer offer) {
        Optional<Conference> conference = bridge.findConference(participant.room().id());
        if (conference.isEmpty()) {
            error(participant, ErrorCode.INTERNAL, "the media bridge lost the conference");
            return;
        }
        int generation = participant.mediaGeneration;
        participant.phase = Participant.MediaPhase.ADDING;
        LOG.info("{}: ICE restart", participant);
        conference.get().restartIce(participant.id(), offer.ice(), offer.candidates())
                .whenComplete((transport, failure) -> loop.execute(() -> {
                    if (participant.left || generation != participant.mediaGeneration) {
                        return;
                    }
                    participant.phase = Participant.MediaPhase.ADDED;
                    if (failure != null) {
                        LOG.warn("{}: ICE restart failed", participant, unwrap(failure));
                        error(participant, ErrorCode.INTERNAL, "the media bridge could not restart ICE");
                    } else {
                        participant.iceUfrag = offer.ice().ufrag();
                        participant.bridgeTransport = transport;
                        participant.knownCandidates.clear();
                        participant.knownCandidates.addAll(offer.candidates());
                        renegotiate(participant, offer);
                    }
                    drainPendingOffers(participant);
                }));
    }

    /** Sets the participant's own last-N (-1 = follow the room's). */
    public void setLastN(Participant participant, int n) {
        participant.lastN = n;
        if (participant.phase == Participant.MediaPhase.ADDED) {
            bridge.findConference(participant.room().id()).ifPresent(c -> c.setReceiverLastN(participant.id(), n));
        }
    }

    /** Sets what the participant wants of the others' simulcast video (replaces what it said before). */
    public void setVideoConstraints(Participant participant, VideoConstraints constraints) {
        participant.videoConstraints = constraints;
        if (participant.phase == Participant.MediaPhase.ADDED) {
            bridge.findConference(participant.room().id())
                    .ifPresent(c -> c.setVideoConstraints(participant.id(), constraints));
        }
    }

    /**
     * After the endpoint was added, its ICE restarted or either failed: offers that waited meanwhile are handled,
     * a first one at once (no endpoint), later ones in their turn; candidates held for them go in after them.
     */
    private void drainPendingOffers(Participant participant) {
        while (!participant.left && participant.phase == Participant.MediaPhase.NONE
                && !participant.pendingOffers.isEmpty()) {
            handleOffer(participant, participant.pendingOffers.poll());
        }
        afterQueuedOffer(participant);
    }

    /** Assigns remote sources to the receive-only sections, builds the answer and sends it. */
    private void answer(Participant participant, Offer offer) {
        Map<PublishedSource.SourceKey, PublishedSource> remote = new LinkedHashMap<>();
        for (PublishedSource source : participant.room().sourcesFor(participant)) {
            remote.put(source.key(), source);
        }
        Map<String, PublishedSource.SourceKey> assignments = new HashMap<>();
        Set<PublishedSource.SourceKey> used = new HashSet<>();
        List<OfferedMedia> receiving = offer.media().stream().filter(OfferedMedia::receivesOnly).toList();
        // A mid keeps its source while that source exists ...
        for (OfferedMedia media : receiving) {
            PublishedSource.SourceKey key = participant.assignments.get(media.mid());
            PublishedSource source = key == null ? null : remote.get(key);
            if (source != null && source.kind() == media.kind() && used.add(key)) {
                assignments.put(media.mid(), key);
            }
        }
        // ... and free mids take the first unassigned source of their kind (one pass over the sources per kind).
        Map<MediaKind, Iterator<Map.Entry<PublishedSource.SourceKey, PublishedSource>>> unassigned =
                new EnumMap<>(MediaKind.class);
        for (OfferedMedia media : receiving) {
            if (assignments.containsKey(media.mid())) {
                continue;
            }
            Iterator<Map.Entry<PublishedSource.SourceKey, PublishedSource>> next =
                    unassigned.computeIfAbsent(media.kind(), k -> remote.entrySet().iterator());
            while (next.hasNext()) {
                Map.Entry<PublishedSource.SourceKey, PublishedSource> e = next.next();
                if (e.getValue().kind() == media.kind() && used.add(e.getKey())) {
                    assignments.put(media.mid(), e.getKey());
                    break;
                }
            }
        }
        participant.assignments = assignments;
        Map<String, SendTrack> tracks = new HashMap<>();
        assignments.forEach((mid, key) -> {
            PublishedSource s = remote.get(key);
            tracks.put(mid, new SendTrack(s.ssrc(), s.cname(), s.endpointId(), s.trackId(), s.rtxSsrc()));
        });
        doneJoining(participant);
        participant.sdpVersion++;
        String sdp = AnswerBuilder.build(offer, tracks, participant.bridgeTransport, participant.sdpSessionId(),
                participant.sdpVersion).toString();
        participant.sink().send(new ServerMessage.Answer(sdp));
    }

    /** The participant has had its first answer, or left: it no longer holds re-offers back. */
    private void doneJoining(Participant participant) {
        if (participant.joining) {
            participant.joining = false;
            joining--;
        }
    }

    private void publish(Participant participant, List<PublishedSource> sources) {
        if (sources.equals(participant.published)) {
            return;
        }
        participant.published = List.copyOf(sources);
        broadcastSources(participant.room(), participant);
    }

    // ---- core events ----

    private void onEndpointEvent(Participant participant, int generation, EndpointEvent event) {
        if (participant.left || generation != participant.mediaGeneration
                || participant.phase == Participant.MediaPhase.NONE) {
            return;
        }
        if (event instanceof EndpointEvent.DominantSpeakerChanged speaker) {
            participant.sink().send(new ServerMessage.DominantSpeaker(speaker.speakerId()));
        } else if (event instanceof EndpointEvent.ForwardedVideoChanged forwarded) {
            participant.sink().send(new ServerMessage.ForwardedVideo(forwarded.forwardedEndpointIds()));
        } else if (event instanceof EndpointEvent.Connected) {
            LOG.info("{}: media connected", participant);
            participant.sink().send(ServerMessage.MediaState.connected());
        } else if (event instanceof EndpointEvent.Failed failed) {
            LOG.info("{}: media failed: {}", participant, failed.reason());
            participant.sink().send(ServerMessage.MediaState.failed(failed.reason()));
            resetMedia(participant);
        } else if (event instanceof EndpointEvent.Removed) {
            LOG.info("{}: endpoint removed by the bridge", participant);
            participant.sink().send(ServerMessage.MediaState.failed("removed by the media bridge"));
            resetMedia(participant);
        }
    }

    /** The core dropped the endpoint: forget its media so that a new offer starts over. */
    private void resetMedia(Participant participant) {
        participant.phase = Participant.MediaPhase.NONE;
        participant.mediaGeneration++;
        participant.iceUfrag = null;
        participant.bridgeTransport = null;
        participant.assignments = new HashMap<>();
        participant.knownCandidates.clear();
        participant.pendingCandidates.clear();
        publish(participant, List.of());
        // offers that waited for the lost endpoint start a new one, as they would have arrived now
        drainPendingOffers(participant);
    }

    // ---- helpers ----

    private void removeEndpoint(Participant participant) {
        try {
            bridge.findConference(participant.room().id()).ifPresent(c -> c.removeEndpoint(participant.id()));
        } catch (RuntimeException e) {
            LOG.warn("{}: removing the endpoint failed", participant, e);
        }
    }

    private void addRemoteCandidate(Participant participant, IceCandidate candidate) {
        if (!participant.knownCandidates.add(candidate)) {
            return;
        }
        try {
            bridge.findConference(participant.room().id())
                    .ifPresent(c -> c.addRemoteCandidate(participant.id(), candidate));
        } catch (RuntimeException e) {
            LOG.warn("{}: adding a remote candidate failed", participant, e);
        }
    }

    /**
     * Tells every participant but {@code changed} that the room's sources changed. The {@code sources} messages
     * are sent by one task queued on the room loop, which sends each participant marked since then one message
     * with the sources as they are at that moment: when many participants join at once, the loop is busy and many
     * changes fold into one message (and one re-offer) per receiver, instead of one per change per receiver.
     * When the loop is idle the task runs at once and nothing waits.
     */
    private void broadcastSources(Room room, Participant changed) {
        for (Participant p : room.participants()) {
            if (p != changed) {
                p.sourcesStale = true;
            }
        }
        if (!room.sourcesFlushQueued) {
            room.sourcesFlushQueued = true;
            loop.execute(() -> flushSources(room));
        }
    }

    private void flushSources(Room room) {
        room.sourcesFlushQueued = false;
        Map<String, String> names = null;
        for (Participant p : room.participants()) {
            if (p.sourcesStale && !p.left) {
                p.sourcesStale = false;
                if (names == null) {
                    names = participantNames(room);
                }
                p.sink().send(sourcesMessage(p, names));
            }
        }
    }

    private ServerMessage.Sources sourcesMessage(Participant receiver) {
        return sourcesMessage(receiver, participantNames(receiver.room()));
    }

    private static Map<String, String> participantNames(Room room) {
        Map<String, String> names = new HashMap<>();
        for (Participant p : room.participants()) {
            names.put(p.id(), p.name());
        }
        return names;
    }

    private ServerMessage.Sources sourcesMessage(Participant receiver, Map<String, String> names) {
        List<SourceInfo> list = new ArrayList<>();
        for (PublishedSource source : receiver.room().sourcesFor(receiver)) {
            list.add(new SourceInfo(source.endpointId(), names.get(source.endpointId()), source.kind()));
        }
        return new ServerMessage.Sources(list);
    }

    private List<PublishedSource> publishedSources(Participant participant, Offer offer) {
        List<PublishedSource> sources = new ArrayList<>();
        // A section without a=ssrc (simulcast) takes the CNAME of the others, so receivers keep lip sync.
        String fallbackCname = offer.media().stream().filter(OfferedMedia::hasSource).map(OfferedMedia::cname)
                .filter(java.util.Objects::nonNull).findFirst().orElse(participant.id());
        for (OfferedMedia media : offer.media()) {
            if (!media.hasSource()) {
                continue;
            }
            String cname = media.cname() != null ? media.cname() : fallbackCname;
            String trackId = participant.id() + "-" + (media.kind() == MediaKind.AUDIO ? "a" : "v") + "-"
                    + media.mid().replaceAll("[^A-Za-z0-9]", "_");
            PublishedSource kept = keptSource(participant, media);
            long ssrc = !media.simulcast() ? media.ssrc() : kept != null ? kept.ssrc() : newSsrc();
            long rtxSsrc = media.kind() != MediaKind.VIDEO ? -1 : kept != null ? kept.rtxSsrc()
                    : newSsrcOtherThan(ssrc, media.rtxSsrc());
            long senderRtxSsrc = media.singleStreamRtx() ? media.rtxSsrc() : -1;
            sources.add(new PublishedSource(participant.id(), media.mid(), media.kind(), ssrc, cname, trackId,
                    media.simulcast() ? media.rids() : List.of(), rtxSsrc, senderRtxSsrc));
        }
        return sources;
    }

    /**
     * The published source this offer's section continues, whose bridge-chosen SSRCs receivers keep seeing (the
     * output and RTX SSRCs of a simulcast source, the RTX SSRC of a single-stream video), or null for a new one:
     * same mid and kind, and the same layers (simulcast) or the same primary SSRC (single stream).
     */
    private static PublishedSource keptSource(Participant participant, OfferedMedia media) {
        for (PublishedSource old : participant.published) {
            if (old.mid().equals(media.mid()) && old.kind() == media.kind() && old.rids().equals(media.rids())
                    && (media.simulcast() || old.ssrc() == media.ssrc())) {
                return old;
            }
        }
        return null;
    }

    /** A random SSRC for a stream the bridge sends (1..2^32-1). */
    private long newSsrc() {
        return 1 + (random.nextLong() & 0xFFFF_FFFFL) % 0xFFFF_FFFEL;
    }

    /** Like {@link #newSsrc()}, differing from the source's own SSRCs. */
    private long newSsrcOtherThan(long ssrc, long otherSsrc) {
        long chosen = newSsrc();
        while (chosen == ssrc || chosen == otherSsrc) {
            chosen = newSsrc();
        }
        return chosen;
    }

    private static MediaDescription mediaDescription(List<PublishedSource> sources, Offer offer) {
        List<MediaSource> list = new ArrayList<>();
        boolean simulcast = false;
        for (PublishedSource source : sources) {
            if (source.rids().isEmpty() && source.kind() == MediaKind.VIDEO) {
                list.add(MediaSource.video(source.ssrc(), source.senderRtxSsrc(), source.rtxSsrc()));
            } else if (source.rids().isEmpty()) {
                list.add(new MediaSource(source.kind(), List.of(source.ssrc())));
            } else {
                simulcast = true;
                // the mid extension value tells simulcast sources apart; a mid too long to compare is left out
                String mid = source.mid().length() <= 16 ? source.mid() : null;
                list.add(MediaSource.simulcast(new Simulcast(mid, source.rids(), source.ssrc(), source.rtxSsrc())));
            }
        }
        return new MediaDescription(list, offer.extensionId(CodecPolicy.AUDIO_LEVEL_URI),
                offer.extensionId(CodecPolicy.TRANSPORT_CC_URI),
                simulcast ? offer.extensionId(CodecPolicy.MID_URI) : 0,
                simulcast ? offer.extensionId(CodecPolicy.RID_URI) : 0, receiveRtxPayloadTypes(offer),
                simulcast ? offer.extensionId(CodecPolicy.REPAIRED_RID_URI) : 0, sendRtxPayloadTypes(offer),
                videoExtensionId(offer, CodecPolicy.ABS_SEND_TIME_URI),
                videoExtensionId(offer, CodecPolicy.VIDEO_ORIENTATION_URI), videoPayloadTypes(offer));
    }

    /**
     * The video payload types the answer accepts on any section, by codec: the core reads what the participant
     * sends by its codec (simulcast layer switches) and forwards it only video of payload types it negotiated.
     */
    static Map<Integer, VideoCodec> videoPayloadTypes(Offer offer) {
        Map<Integer, VideoCodec> codecs = new HashMap<>();
        for (OfferedMedia media : offer.media()) {
            if (media.rejected() || media.kind() != MediaKind.VIDEO) {
                continue;
            }
            var section = offer.sdp().mediaSections().get(media.index());
            List<String> accepted = media.simulcast()
                    ? CodecPolicy.simulcastPayloadTypes(section, offer.videoCodecs())
                    : CodecPolicy.acceptedPayloadTypes(section, offer.videoCodecs());
            CodecPolicy.codecNames(section, accepted).forEach((pt, name) -> {
                VideoCodec codec = switch (name) {
                    case "vp8" -> VideoCodec.VP8;
                    case "vp9" -> VideoCodec.VP9;
                    case "h264" -> VideoCodec.H264;
                    default -> null;
                };
                int number = payloadTypeNumber(pt);
                if (codec != null && number >= 0) {
                    codecs.putIfAbsent(number, codec);
                }
            });
        }
        return codecs;
    }

    /** The id of a header extension the answer accepts on video sections only, when a video section offers it. */
    private static int videoExtensionId(Offer offer, String uri) {
        return offer.offersVideoExtension(uri) ? offer.extensionId(uri) : 0;
    }

    /**
     * RTX payload type to media payload type on the participant's sections answered with RTX: simulcast, and
     * single-stream video with an RTX stream.
     */
    private static Map<Integer, Integer> sendRtxPayloadTypes(Offer offer) {
        Map<Integer, Integer> rtx = new HashMap<>();
        for (OfferedMedia media : offer.media()) {
            if (media.simulcast() || media.singleStreamRtx()) {
                var section = offer.sdp().mediaSections().get(media.index());
                List<String> codecs = media.simulcast()
                        ? CodecPolicy.simulcastPayloadTypes(section, offer.videoCodecs())
                        : CodecPolicy.acceptedPayloadTypes(section, offer.videoCodecs());
                putPayloadTypes(CodecPolicy.rtxPayloadTypes(section, codecs), (pt, rtxPt) -> rtx.putIfAbsent(rtxPt, pt));
            }
        }
        return rtx;
    }

    /** Feeds each payload type pair that is two numbers 0..127 to {@code sink}. */
    private static void putPayloadTypes(Map<String, String> pairs, java.util.function.BiConsumer<Integer, Integer> sink) {
        pairs.forEach((a, b) -> {
            int x = payloadTypeNumber(a);
            int y = payloadTypeNumber(b);
            if (x >= 0 && y >= 0) {
                sink.accept(x, y);
            }
        });
    }

    /** A payload type 0..127, or -1 when the text is no such number. */
    private static int payloadTypeNumber(String text) {
        try {
            int pt = Integer.parseInt(text);
            return pt >= 0 && pt <= 127 ? pt : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * RTX payload types the participant offered on its receive-only video sections, by media payload type: the
     * bridge answers its NACKs on the RTX stream of a video source (the answer keeps these payload types in
     * the sections that carry one).
     */
    private static Map<Integer, Integer> receiveRtxPayloadTypes(Offer offer) {
        Map<Integer, Integer> rtx = new HashMap<>();
        for (OfferedMedia media : offer.media()) {
            if (media.receivesOnly() && media.kind() == MediaKind.VIDEO) {
                var section = offer.sdp().mediaSections().get(media.index());
                putPayloadTypes(CodecPolicy.rtxPayloadTypes(section,
                        CodecPolicy.acceptedPayloadTypes(section, offer.videoCodecs())),
                        rtx::putIfAbsent);
            }
        }
        return rtx;
    }

    private static void error(Participant participant, ErrorCode code, String message) {
        participant.sink().send(new ServerMessage.Error(code, message));
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private String newEndpointId() {
        while (true) {
            char[] id = new char[ID_LENGTH];
            for (int i = 0; i < id.length; i++) {
                id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
            }
            String candidate = new String(id);
            if (endpointIds.add(candidate)) {
                return candidate;
            }
        }
    }
}
