package dev.switchboard.signaling.protocol;

import dev.switchboard.core.api.MediaKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A message to the browser; {@link #toJson()} gives its wire form. */
public sealed interface ServerMessage {
    JsonObject toJson();

    /** A participant as other participants see it. */
    record ParticipantInfo(String id, String name) {
        JsonObject toJson() {
            return new JsonObject().put("id", id).put("name", name);
        }
    }

    /** One remote media source: who sends it and what kind it is. */
    record SourceInfo(String endpointId, String name, MediaKind kind) {
        JsonObject toJson() {
            return new JsonObject().put("endpointId", endpointId).put("name", name)
                    .put("kind", kind.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * One entry of {@code RTCConfiguration.iceServers}: STUN URLs without credentials, or TURN URLs with an
     * ephemeral username and credential.
     */
    record IceServer(List<String> urls, String username, String credential) {
        public IceServer {
            urls = List.copyOf(urls);
            if ((username == null) != (credential == null)) {
                throw new IllegalArgumentException("username and credential go together");
            }
        }

        JsonObject toJson() {
            JsonObject json = new JsonObject().put("urls", new JsonArray(List.copyOf(urls)));
            if (username != null) {
                json.put("username", username).put("credential", credential);
            }
            return json;
        }

        /** Leaves the credential out (logs). */
        @Override
        public String toString() {
            return "IceServer[urls=" + urls + (username == null ? "" : ", username=" + username + ", credential=***")
                    + "]";
        }
    }

    /**
     * Reply to {@code join}: this connection's endpoint id, the other participants already there, and the
     * STUN/TURN servers its RTCPeerConnection should use (empty when none is configured). The WebSocket layer
     * adds {@code resumeToken} and {@code reconnectGraceMs} to the wire form (see {@code SessionRegistry}).
     */
    record Joined(String endpointId, String room, List<ParticipantInfo> participants, List<IceServer> iceServers)
            implements ServerMessage {
        public Joined {
            participants = List.copyOf(participants);
            iceServers = List.copyOf(iceServers);
        }

        /** Without STUN/TURN servers. */
        public Joined(String endpointId, String room, List<ParticipantInfo> participants) {
            this(endpointId, room, participants, List.of());
        }

        @Override
        public JsonObject toJson() {
            JsonArray list = new JsonArray();
            participants.forEach(p -> list.add(p.toJson()));
            JsonArray servers = new JsonArray();
            iceServers.forEach(s -> servers.add(s.toJson()));
            return new JsonObject().put("type", "joined").put("endpointId", endpointId).put("room", room)
                    .put("participants", list).put("iceServers", servers);
        }
    }

    /**
     * Reply to {@code resume}, after the messages the participant missed while it had no socket: who is in the
     * room now, and whether an offer of the participant is still waiting for its answer ({@code offerPending}
     * false while the client still waits means the offer or its answer was lost with the old socket: offer
     * again).
     */
    record Resumed(String endpointId, String room, List<ParticipantInfo> participants, boolean offerPending)
            implements ServerMessage {
        public Resumed {
            participants = List.copyOf(participants);
        }

        @Override
        public JsonObject toJson() {
            JsonArray list = new JsonArray();
            participants.forEach(p -> list.add(p.toJson()));
            return new JsonObject().put("type", "resumed").put("endpointId", endpointId).put("room", room)
                    .put("participants", list).put("offerPending", offerPending);
        }
    }

    /** Reply to {@code offer}. */
    record Answer(String sdp) implements ServerMessage {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("type", "answer").put("sdp", sdp);
        }
    }

    /** A bridge candidate found after the answer (reserved: the bridge puts all candidates in the answer). */
    record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex) implements ServerMessage {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("type", "candidate").put("candidate", candidate).put("sdpMid", sdpMid)
                    .put("sdpMLineIndex", sdpMLineIndex);
        }
    }

    record ParticipantJoined(ParticipantInfo participant) implements ServerMessage {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("type", "participant-joined").put("participant", participant.toJson());
        }
    }

    /** The room's dominant speaker changed ({@code endpointId} null: nobody). */
    record DominantSpeaker(String endpointId) implements ServerMessage {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("type", "dominant-speaker").put("endpointId", endpointId);
        }
    }

    /** Last-N: whose video the recipient now receives; everyone else's is paused. */
    record ForwardedVideo(List<String> endpointIds) implements ServerMessage {
        public ForwardedVideo {
            endpointIds = List.copyOf(endpointIds);
        }

        @Override
        public JsonObject toJson() {
            return new JsonObject().put("type", "forwarded-video").put("endpointIds", new JsonArray(endpointIds));
        }
    }

    record ParticipantLeft(String id) implements ServerMessage {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("type", "participant-left").put("id", id);
        }
    }

    /** The full list of sources the recipient can receive (everyone else's), sent whenever it changes. */
    record Sources(List<SourceInfo> sources) implements ServerMessage {
        public Sources {
            sources = List.copyOf(sources);
        }

        @Override
        public JsonObject toJson() {
            JsonArray list = new JsonArray();
            sources.forEach(s -> list.add(s.toJson()));
            return new JsonObject().put("type", "sources").put("sources", list);
        }
    }

    /** The state of the recipient's media transport: {@code connected} or {@code failed} (with a reason). */
    record MediaState(String state, String reason) implements ServerMessage {
        public static MediaState connected() {
            return new MediaState("connected", null);
        }

        public static MediaState failed(String reason) {
            return new MediaState("failed", reason);
        }

        @Override
        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("type", "media-state").put("state", state);
            if (reason != null) {
                json.put("reason", reason);
            }
            return json;
        }
    }

    record Error(ErrorCode code, String message) implements ServerMessage {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public JsonObject toJson() {
            return new JsonObject().put("type", "error").put("code", code.wire()).put("message", message);
        }
    }
}
