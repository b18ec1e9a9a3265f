package dev.switchboard.signaling.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Decodes and validates client messages (the allow-list of types the server accepts). Every failure is a
 * {@link ProtocolException} carrying the error code to send back.
 */
public final class MessageCodec {
    public static final int MAX_ROOM_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 64;
    public static final String DEFAULT_NAME = "Guest";
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final int MAX_CANDIDATE_LENGTH = 1024;
    private static final int MAX_TOKEN_LENGTH = 128;
    /** Endpoints one video-constraints message may name at most. */
    public static final int MAX_VIDEO_CONSTRAINTS = 100;
    private static final Pattern ENDPOINT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private MessageCodec() {}

    public static ClientMessage decode(String text) {
        Object parsed;
        try {
            parsed = io.vertx.core.json.Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "message is not valid JSON");
        }
        if (!(parsed instanceof JsonObject json)) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "message must be a JSON object");
        }
        Object type = json.getValue("type");
        if (!(type instanceof String typeName)) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "missing string field 'type'");
        }
        return switch (typeName) {
            case "join" -> join(json);
            case "offer" -> offer(json);
            case "candidate" -> candidate(json);
            case "leave" -> new ClientMessage.Leave();
            case "resume" -> resume(json);
            case "set-last-n" -> setLastN(json);
            case "video-constraints" -> videoConstraints(json);
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE,
                    "unknown message type '" + abbreviate(typeName) + "'");
        };
    }

    private static ClientMessage.Join join(JsonObject json) {
        Object room = json.getValue("room");
        if (!(room instanceof String roomName) || roomName.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "join needs a non-empty string 'room'");
        }
        if (roomName.length() > MAX_ROOM_LENGTH) {
            throw new ProtocolException(ErrorCode.ROOM_NAME_TOO_LONG,
                    "room names are at most " + MAX_ROOM_LENGTH + " characters");
        }
        if (!ROOM.matcher(roomName).matches()) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                    "room names may contain only letters, digits, '_', '.' and '-'");
        }
        Object name = json.getValue("name");
        String displayName;
        if (name == null) {
            displayName = DEFAULT_NAME;
        } else if (name instanceof String s) {
            displayName = s.strip();
            if (displayName.isEmpty() || displayName.length() > MAX_NAME_LENGTH) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                        "'name' must be 1 to " + MAX_NAME_LENGTH + " characters (after trimming)");
            }
            if (displayName.chars().anyMatch(Character::isISOControl)) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, "'name' must not contain control characters");
            }
        } else {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "'name' must be a string");
        }
        return new ClientMessage.Join(roomName, displayName);
    }

    private static ClientMessage.Resume resume(JsonObject json) {
        Object token = json.getValue("token");
        if (!(token instanceof String t) || t.isEmpty() || t.length() > MAX_TOKEN_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                    "resume needs a string 'token' of 1 to " + MAX_TOKEN_LENGTH + " characters");
        }
        return new ClientMessage.Resume(t);
    }

    private static ClientMessage.SetLastN setLastN(JsonObject json) {
        Object n = json.getValue("n");
        if (!(n instanceof Integer || n instanceof Long) || ((Number) n).longValue() < -1
                || ((Number) n).longValue() > 1000) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "set-last-n needs an integer 'n' from -1 to 1000");
        }
        return new ClientMessage.SetLastN(((Number) n).intValue());
    }

    private static ClientMessage.VideoConstraints videoConstraints(JsonObject json) {
        int defaultMaxHeight = dev.switchboard.core.api.VideoConstraints.DEFAULT_MAX_HEIGHT;
        if (json.getValue("defaultMaxHeight") != null) {
            defaultMaxHeight = height(json.getValue("defaultMaxHeight"), "'defaultMaxHeight'");
        }
        Object constraints = json.getValue("constraints");
        java.util.Map<String, Integer> maxHeights = new java.util.HashMap<>();
        if (constraints != null) {
            if (!(constraints instanceof JsonObject map)) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                        "video-constraints: 'constraints' must be an object of endpoint id to {\"maxHeight\": n}");
            }
            if (map.size() > MAX_VIDEO_CONSTRAINTS) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                        "video-constraints: at most " + MAX_VIDEO_CONSTRAINTS + " endpoints");
            }
            for (String endpointId : map.fieldNames()) {
                if (!ENDPOINT_ID.matcher(endpointId).matches()) {
                    throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                            "video-constraints: '" + abbreviate(endpointId) + "' is not an endpoint id");
                }
                if (!(map.getValue(endpointId) instanceof JsonObject entry)) {
                    throw new ProtocolException(ErrorCode.BAD_MESSAGE, "video-constraints: the constraint for '"
                            + endpointId + "' must be an object like {\"maxHeight\": 180}");
                }
                maxHeights.put(endpointId, height(entry.getValue("maxHeight"), "'maxHeight' of '" + endpointId + "'"));
            }
        }
        return new ClientMessage.VideoConstraints(defaultMaxHeight, maxHeights);
    }

    private static int height(Object value, String what) {
        int max = dev.switchboard.core.api.VideoConstraints.MAX_HEIGHT;
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > max) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                    "video-constraints: " + what + " must be an integer from 1 to " + max);
        }
        return ((Number) value).intValue();
    }

    private static ClientMessage.Offer offer(JsonObject json) {
        Object sdp = json.getValue("sdp");
        if (!(sdp instanceof String text) || text.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "offer needs a non-empty string 'sdp'");
        }
        return new ClientMessage.Offer(text);
    }

    private static ClientMessage.Candidate candidate(JsonObject json) {
        Object candidate = json.getValue("candidate");
        if (candidate != null && !(candidate instanceof String)) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "'candidate' must be a string or null");
        }
        if (candidate != null && ((String) candidate).length() > MAX_CANDIDATE_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "'candidate' is too long");
        }
        Object mid = json.getValue("sdpMid");
        if (mid != null && !(mid instanceof String)) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "'sdpMid' must be a string or null");
        }
        Object index = json.getValue("sdpMLineIndex");
        Integer mLineIndex = null;
        if (index != null) {
            if (!(index instanceof Integer || index instanceof Long) || ((Number) index).longValue() < 0
                    || ((Number) index).longValue() > 65535) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE,
                        "'sdpMLineIndex' must be a non-negative integer or null");
            }
            mLineIndex = ((Number) index).intValue();
        }
        return new ClientMessage.Candidate((String) candidate, (String) mid, mLineIndex);
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 32 ? printable.substring(0, 32) + "..." : printable;
    }
}
