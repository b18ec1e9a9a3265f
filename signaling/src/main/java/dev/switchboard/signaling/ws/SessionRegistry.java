package dev.switchboard.signaling.ws;

import dev.switchboard.signaling.protocol.ErrorCode;
import dev.switchboard.signaling.protocol.ProtocolException;
import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.protocol.ServerMessage.ParticipantInfo;
import dev.switchboard.signaling.room.Participant;
import dev.switchboard.signaling.room.RoomService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Participants outlive their WebSocket for a grace period. Each {@code joined} carries a secret
 * {@code resumeToken} (32 random bytes, base64url); when the socket closes without {@code leave} the
 * participant stays in its room, keeps its endpoint (media keeps flowing) and collects the messages meant for
 * it, until a new socket sends {@code resume} with the token or the grace period ends and it is removed like
 * on {@code leave}. A {@code resume} while the old socket is still open (the client noticed the loss first)
 * takes the participant over and closes the old socket. The token is the only credential: it is never
 * logged. With a grace period of zero a closed socket removes its participant at once.
 *
 * <p>Confined to the room loop, like {@link RoomService}.
 */
public final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
    private static final int TOKEN_BYTES = 32;

    private final RoomService rooms;
    private final long graceMillis;
    private final GraceTimer timer;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Membership> byToken = new HashMap<>();
    /** One encoder for every socket of the loop: a broadcast is encoded once. */
    private final WireEncoder encoder = new WireEncoder();

    /**
     * @param rooms the room service (same loop)
     * @param grace how long a participant whose socket closed waits for a {@code resume} (zero: no waiting)
     * @param timer schedules the expiry on the room loop
     */
    public SessionRegistry(RoomService rooms, Duration grace, GraceTimer timer) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("negative grace period: " + grace);
        }
        this.graceMillis = grace.toMillis();
    }

    /** How many participants wait for a reconnect now. */
    public int detachedCount() {
        return (int) byToken.values().stream().filter(m -> m.session == null).count();
    }

    Membership join(SignalingSession session, String room, String name) {
        Membership membership = new Membership(newToken(), graceMillis, session, encoder);
        byToken.put(membership.token, membership);
        membership.participant = rooms.join(membership, room, name);
        return membership;
    }

    /** {@code leave}: the participant goes at once. */
    void leave(Membership membership) {
        forget(membership);
        rooms.leave(membership.participant);
    }

    /** The membership's socket closed without {@code leave}: start the grace period. */
    void detach(Membership membership) {
        membership.session = null;
        if (graceMillis == 0) {
            leave(membership);
            return;
        }
        LOG.info("{}: signaling socket closed; removed in {} ms unless it resumes", membership.participant,
                graceMillis);
        membership.cancelExpiry = timer.schedule(graceMillis, () -> {
            membership.cancelExpiry = null;
            if (membership.session == null && byToken.get(membership.token) == membership) {
                LOG.info("{}: no reconnect within {} ms, removing", membership.participant, graceMillis);
                leave(membership);
            }
        });
    }

    /**
     * {@code resume} on {@code session}: replays the backlog and sends {@code resumed}.
     *
     * @throws ProtocolException {@code resume-failed} for an unknown or expired token, or a participant that
     *                           missed more messages than the backlog holds (it is removed then)
     */
    Membership resume(SignalingSession session, String token) {
        Membership membership = byToken.get(token);
        if (membership == null) {
            throw new ProtocolException(ErrorCode.RESUME_FAILED,
                    "unknown or expired session (the reconnect grace period is " + graceMillis
                            + " ms); join again");
        }
        if (membership.backlogOverflowed) {
            leave(membership);
            throw new ProtocolException(ErrorCode.RESUME_FAILED,
                    "the session missed too many messages while disconnected; join again");
        }
        if (membership.cancelExpiry != null) {
            membership.cancelExpiry.run();
            membership.cancelExpiry = null;
        }
        SignalingSession previous = membership.session;
        membership.session = session;
        if (previous != null && previous != session) {
            previous.replaced();
        }
        while (!membership.backlog.isEmpty()) {
            session.write(membership.wire(membership.backlog.poll()));
        }
        Participant participant = membership.participant;
        List<ParticipantInfo> others = new ArrayList<>();
        for (Participant p : participant.room().participants()) {
            if (p != participant) {
                others.add(new ParticipantInfo(p.id(), p.name()));
            }
        }
        LOG.info("{}: resumed on a new signaling socket", participant);
        session.write(membership.wire(new ServerMessage.Resumed(participant.id(), participant.room().id(), others,
                participant.awaitingAnswer())));
        return membership;
    }

    private void forget(Membership membership) {
        byToken.remove(membership.token, membership);
        if (membership.cancelExpiry != null) {
            membership.cancelExpiry.run();
            membership.cancelExpiry = null;
        }
        membership.backlog.clear();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
