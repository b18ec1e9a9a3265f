package dev.switchboard.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SdpLineTest {
    @Test
    void matchesAnAttributeByItsWholeNameOnly() {
        SdpLine fb = new SdpLine('a', "rtcp-fb:96 nack pli");
        assertTrue(fb.isAttribute("rtcp-fb"));
        assertFalse(fb.isAttribute("rtcp"), "a prefix of the name is another attribute");
        assertFalse(fb.isAttribute("rtcp-fb:96"), "the name ends at the first colon");
        assertFalse(new SdpLine('b', "rtcp-fb:96 nack").isAttribute("rtcp-fb"), "not an a= line");
        SdpLine mux = new SdpLine('a', "rtcp-mux");
        assertTrue(mux.isAttribute("rtcp-mux"));
        assertFalse(mux.isAttribute("rtcp"));
        assertFalse(mux.isAttribute("rtcp-mux-only"));
    }

    @Test
    void tellsValueAttributesFromPropertyAttributes() {
        SdpLine rtpmap = new SdpLine('a', "rtpmap:111 opus/48000/2");
        assertTrue(rtpmap.hasAttributeValue());
        assertEquals("rtpmap", rtpmap.attributeName());
        assertEquals("111 opus/48000/2", rtpmap.attributeValue());
        SdpLine sendonly = new SdpLine('a', "sendonly");
        assertFalse(sendonly.hasAttributeValue());
        assertNull(sendonly.attributeValue());
        assertTrue(new SdpLine('a', "fmtp:").hasAttributeValue(), "an empty value is a value");
    }
}
