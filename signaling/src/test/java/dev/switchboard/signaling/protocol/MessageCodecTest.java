package dev.switchboard.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.MediaKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    @Test
    void decodesEveryClientMessage() {
        assertEquals(new ClientMessage.Join("room-1.a_b", "Alice"),
                MessageCodec.decode("{\"type\":\"join\",\"room\":\"room-1.a_b\",\"name\":\"  Alice \"}"));
        assertEquals(new ClientMessage.Join("r", "Guest"), MessageCodec.decode("{\"type\":\"join\",\"room\":\"r\"}"));
        assertEquals(new ClientMessage.Offer("v=0"), MessageCodec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));
        ClientMessage.Candidate c = (ClientMessage.Candidate) MessageCodec.decode(
                "{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
        assertEquals("0", c.sdpMid());
        assertEquals(0, c.sdpMLineIndex());
        assertTrue(((ClientMessage.Candidate) MessageCodec.decode("{\"type\":\"candidate\",\"candidate\":\"\"}"))
                .isEndOfCandidates());
        assertTrue(((ClientMessage.Candidate) MessageCodec.decode("{\"type\":\"candidate\",\"candidate\":null}"))
                .isEndOfCandidates());
        assertInstanceOf(ClientMessage.Leave.class, MessageCodec.decode("{\"type\":\"leave\"}"));
    }

    @Test
    void refusesMalformedMessagesWithTheRightCode() {
        assertCode(ErrorCode.BAD_JSON, "not json");
        assertCode(ErrorCode.BAD_JSON, "{\"type\":");
        assertCode(ErrorCode.BAD_MESSAGE, "[1,2]");
        assertCode(ErrorCode.BAD_MESSAGE, "\"join\"");
        assertCode(ErrorCode.BAD_MESSAGE, "{}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":7}");
        assertCode(ErrorCode.UNKNOWN_TYPE, "{\"type\":\"dance\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"join\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"join\",\"room\":\"\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"join\",\"room\":\"a b\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"join\",\"room\":\"a/b\"}");
        assertCode(ErrorCode.ROOM_NAME_TOO_LONG, "{\"type\":\"join\",\"room\":\"" + "r".repeat(65) + "\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"join\",\"room\":\"r\",\"name\":\"   \"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"join\",\"room\":\"r\",\"name\":\"" + "n".repeat(65) + "\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"join\",\"room\":\"r\",\"name\":5}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"offer\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"offer\",\"sdp\":{}}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"candidate\",\"candidate\":5}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"candidate\",\"candidate\":\"x\",\"sdpMLineIndex\":-1}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"candidate\",\"candidate\":\"x\",\"sdpMLineIndex\":\"0\"}");
        assertCode(ErrorCode.BAD_MESSAGE, "{\"type\":\"candidate\",\"candidate\":\"x\",\"sdpMid\":0}");
    }

    @Test
    void limitsAreInclusive() {
        String room = "r".repeat(64);
        String name = "n".repeat(64);
        assertEquals(new ClientMessage.Join(room, name),
                MessageCodec.decode("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\"}"));
    }

    @Test
    void encodesServerMessages() {
        assertEquals("{\"type\":\"joined\",\"endpointId\":\"abcdEFGH12\",\"room\":\"r\",\"participants\":[{\"id\":\"x\",\"name\":\"X\"}],\"iceServers\":[]}",
                new ServerMessage.Joined("abcdEFGH12", "r", List.of(new ServerMessage.ParticipantInfo("x", "X")))
                        .toJson().encode());
        assertEquals("{\"type\":\"sources\",\"sources\":[{\"endpointId\":\"x\",\"name\":\"X\",\"kind\":\"video\"}]}",
                new ServerMessage.Sources(List.of(new ServerMessage.SourceInfo("x", "X", MediaKind.VIDEO)))
                        .toJson().encode());
        assertEquals("{\"type\":\"error\",\"code\":\"bad-json\",\"message\":\"m\"}",
                new ServerMessage.Error(ErrorCode.BAD_JSON, "m").toJson().encode());
        assertEquals("{\"type\":\"media-state\",\"state\":\"connected\"}",
                ServerMessage.MediaState.connected().toJson().encode());
        assertEquals("{\"type\":\"media-state\",\"state\":\"failed\",\"reason\":\"ice\"}",
                ServerMessage.MediaState.failed("ice").toJson().encode());
        assertEquals("{\"type\":\"participant-left\",\"id\":\"x\"}",
                new ServerMessage.ParticipantLeft("x").toJson().encode());
        assertNull(new ServerMessage.Answer("v=0").toJson().getString("missing"));
    }

    @Test
    void videoConstraintsAreDecodedWithADefaultOf360() {
        assertEquals(new ClientMessage.VideoConstraints(180, java.util.Map.of("q3XbT0aLmZ", 720, "Zr81kQw2Pc", 1)),
                MessageCodec.decode("{\"type\":\"video-constraints\",\"defaultMaxHeight\":180,\"constraints\":"
                        + "{\"q3XbT0aLmZ\":{\"maxHeight\":720},\"Zr81kQw2Pc\":{\"maxHeight\":1}}}"));
        assertEquals(new ClientMessage.VideoConstraints(360, java.util.Map.of()),
                MessageCodec.decode("{\"type\":\"video-constraints\"}"));
        assertEquals(new ClientMessage.VideoConstraints(360, java.util.Map.of("a", 4320)),
                MessageCodec.decode("{\"type\":\"video-constraints\",\"constraints\":{\"a\":{\"maxHeight\":4320}}}"));
    }

    @Test
    void badVideoConstraintsAreRefusedWithAMessageSayingWhy() {
        String prefix = "{\"type\":\"video-constraints\",";
        for (String bad : List.of("\"constraints\":[]", "\"constraints\":{\"a\":180}",
                "\"constraints\":{\"a\":{}}", "\"constraints\":{\"a\":{\"maxHeight\":0}}",
                "\"constraints\":{\"a\":{\"maxHeight\":4321}}", "\"constraints\":{\"a\":{\"maxHeight\":\"720\"}}",
                "\"constraints\":{\"a\":{\"maxHeight\":1.5}}", "\"constraints\":{\"a b\":{\"maxHeight\":180}}",
                "\"defaultMaxHeight\":-1", "\"defaultMaxHeight\":true")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(prefix + bad + "}"));
            assertEquals(ErrorCode.BAD_MESSAGE, e.code(), bad);
            assertTrue(e.getMessage().startsWith("video-constraints: "), e.getMessage());
        }
        StringBuilder many = new StringBuilder(prefix + "\"constraints\":{");
        for (int i = 0; i <= MessageCodec.MAX_VIDEO_CONSTRAINTS; i++) {
            many.append(i == 0 ? "" : ",").append("\"e").append(i).append("\":{\"maxHeight\":180}");
        }
        assertCode(ErrorCode.BAD_MESSAGE, many.append("}}").toString());
    }

    private static void assertCode(ErrorCode code, String text) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(text), text);
        assertEquals(code, e.code(), () -> text + " -> " + e.getMessage());
    }
}
