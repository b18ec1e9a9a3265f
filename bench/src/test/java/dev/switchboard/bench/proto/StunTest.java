package dev.switchboard.bench.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

class StunTest {
    private static final byte[] TID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @Test
    void bindingRequestCarriesIceAttributesAndVerifies() throws Exception {
        byte[] m = Stun.bindingRequest(TID, "bridge:me", "bridgepassword1234567890", 1_845_501_695L, true, 42, true);
        assertTrue(Stun.isStun(m, 0, m.length));
        assertEquals(Stun.BINDING_REQUEST, Stun.messageType(m, 0));
        assertTrue(Stun.hasTransactionId(m, 0, TID));
        assertEquals("bridge:me", Stun.username(m, 0, m.length));
        assertTrue(Stun.has(m, 0, m.length, Stun.USE_CANDIDATE));
        assertTrue(Stun.has(m, 0, m.length, Stun.ICE_CONTROLLING));
        assertTrue(Stun.checkIntegrity(m, 0, m.length, "bridgepassword1234567890"));
        assertFalse(Stun.checkIntegrity(m, 0, m.length, "wrong"));
        assertTrue(Stun.checkFingerprint(m, 0, m.length));

        // ice4j (the bridge's STUN stack) decodes it and validates the FINGERPRINT
        Message decoded = Message.decode(m, 0, m.length);
        assertEquals(Message.BINDING_REQUEST, decoded.getMessageType());
        assertEquals("bridge:me", new String(((UsernameAttribute) decoded.getAttribute(Attribute.USERNAME))
                .getUsername(), StandardCharsets.UTF_8));
        assertEquals(1_845_501_695L, ((PriorityAttribute) decoded.getAttribute(Attribute.PRIORITY)).getPriority());
        assertNotNull(decoded.getAttribute(Attribute.USE_CANDIDATE));
        assertNotNull(decoded.getAttribute(Attribute.ICE_CONTROLLING));
        assertNotNull(decoded.getAttribute(Attribute.MESSAGE_INTEGRITY));
        assertArrayEquals(TID, decoded.getTransactionID());
    }

    @Test
    void tamperingBreaksIntegrityAndFingerprint() {
        byte[] m = Stun.bindingRequest(TID, "a:b", "pw", 1, true, 1, false);
        assertFalse(Stun.has(m, 0, m.length, Stun.USE_CANDIDATE));
        m[25] ^= 1; // inside USERNAME
        assertFalse(Stun.checkIntegrity(m, 0, m.length, "pw"));
        assertFalse(Stun.checkFingerprint(m, 0, m.length));
    }

    @Test
    void successResponseCarriesTheMappedAddress() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress("127.0.0.1", 54321);
        byte[] m = Stun.bindingSuccess(TID, mapped, "mypassword");
        assertEquals(Stun.BINDING_SUCCESS, Stun.messageType(m, 0));
        assertEquals(mapped, Stun.xorMappedAddress(m, 0, m.length));
        assertTrue(Stun.checkIntegrity(m, 0, m.length, "mypassword"));
        assertTrue(Stun.checkFingerprint(m, 0, m.length));
        Message decoded = Message.decode(m, 0, m.length);
        assertEquals(Message.BINDING_SUCCESS_RESPONSE, decoded.getMessageType());
        XorMappedAddressAttribute xor = (XorMappedAddressAttribute) decoded.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        assertEquals(54321, xor.getAddress(decoded.getTransactionID()).getPort());
    }

    @Test
    void nonStunIsRejected() {
        byte[] rtp = new byte[40];
        rtp[0] = (byte) 0x80;
        assertFalse(Stun.isStun(rtp, 0, rtp.length));
    }
}
