package dev.switchboard.signaling.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.protocol.ServerMessage.ParticipantInfo;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireEncoderTest {
    @Test
    void aMessageSentToManySocketsIsEncodedOnce() {
        WireEncoder encoder = new WireEncoder();
        ServerMessage joined = new ServerMessage.ParticipantJoined(new ParticipantInfo("id1", "Alice"));
        String first = encoder.encode(joined);
        assertSame(first, encoder.encode(joined));
        assertEquals(joined.toJson(), new JsonObject(first));

        ServerMessage other = new ServerMessage.ParticipantJoined(new ParticipantInfo("id2", "Bob"));
        String second = encoder.encode(other);
        assertNotSame(first, second);
        assertEquals("id2", new JsonObject(second).getJsonObject("participant").getString("id"));
    }

    @Test
    void joinedCarriesEachMembershipsOwnResumeToken() {
        WireEncoder encoder = new WireEncoder();
        ServerMessage joined = new ServerMessage.Joined("me", "room", List.of(), List.of());
        Membership a = new Membership("token-a", 5000, null, encoder);
        Membership b = new Membership("token-b", 5000, null, encoder);
        assertEquals("token-a", new JsonObject(a.wire(joined)).getString("resumeToken"));
        assertEquals("token-b", new JsonObject(b.wire(joined)).getString("resumeToken"));
        assertEquals(5000, new JsonObject(b.wire(joined)).getLong("reconnectGraceMs"));
    }
}
