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

    /** Reply to {@code join}: this connection's endpoint id and the other participants already there. */
    record Joined(String endpointId, String room, List<ParticipantInfo> participants) implements ServerMessage {
        public Joined {
            participants = List.copyOf(participants);
        }

        @Override
        public JsonObject toJson() {
            JsonArray list = new JsonArray();
            participants.forEach(p -> list.add(p.toJson()));
            return new JsonObject().put("type", "joined").put("endpointId", endpointId).put("room", room)
                    .put("participants", list);
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
