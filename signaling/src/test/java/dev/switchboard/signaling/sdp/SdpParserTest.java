package dev.switchboard.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.signaling.Fixtures;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SdpParserTest {
    private static final String MINIMAL = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.SENDONLY_AV, Fixtures.SENDONLY_RECVONLY, Fixtures.WITH_CANDIDATES,
        Fixtures.DATACHANNEL})
    void realChromiumOffersRoundTripByteForByte(String fixture) throws Exception {
        String text = Fixtures.sdp(fixture);
        SessionDescription sdp = SdpParser.parse(text);
        assertEquals(text, sdp.toString());
        // and parsing the output again gives an equal model
        assertEquals(sdp, SdpParser.parse(sdp.toString()));
    }

    @Test
    void readsTheStructureOfAChromiumOffer() throws Exception {
        SessionDescription sdp = SdpParser.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY));
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), sdp.bundleMids());
        assertEquals(6, sdp.mediaSections().size());
        MediaSection audio = sdp.mediaSections().get(0);
        assertEquals("audio", audio.media());
        assertEquals(9, audio.port());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.mediaLine().proto());
        assertEquals("111", audio.mediaLine().formats().get(0));
        assertEquals("0", audio.mid().orElseThrow());
        assertEquals(Direction.SENDONLY, audio.direction());
        assertTrue(audio.hasAttribute("rtcp-mux"));
        assertEquals("actpass", audio.attribute("setup").orElseThrow());
        assertEquals(Direction.RECVONLY, sdp.mediaSections().get(3).direction());
        // a property attribute has no value; the session keeps its odd msid-semantic spacing
        SdpLine rtcpMux = audio.lines().stream().filter(l -> l.isAttribute("rtcp-mux")).findFirst().orElseThrow();
        assertNull(rtcpMux.attributeValue());
        assertTrue(sdp.attribute("msid-semantic").orElseThrow().startsWith(" WMS "));
    }

    @Test
    void acceptsLfLineEndingsAndAMissingFinalNewline() throws Exception {
        SessionDescription sdp = SdpParser.parse("v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0");
        assertEquals(MINIMAL + "m=audio 9 RTP/AVP 0\r\n", sdp.toString());
    }

    @Test
    void keepsUnknownAttributesInOrder() throws Exception {
        String text = MINIMAL + "a=x-custom:1 2 3\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=zzz\r\na=mid:0\r\na=foo:bar:baz\r\n";
        SessionDescription sdp = SdpParser.parse(text);
        assertEquals(text, sdp.toString());
        assertEquals("bar:baz", sdp.mediaSections().get(0).attribute("foo").orElseThrow());
        assertEquals(Direction.SENDRECV, sdp.mediaSections().get(0).direction());
    }

    @Test
    void garbageIsRejectedWithAClearMessage() {
        assertError(null, "empty");
        assertError("", "empty");
        assertError("hello world", "line 1");
        assertError("{\"type\":\"offer\"}", "line 1");
        assertError("v=1\r\n", "must start with 'v=0'");
        assertError("v=0\r\ns=-\r\n", "origin");
        assertError("v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n", "line 2");
        assertError("v=0\r\no=- x 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", "numbers");
        assertError("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nt=0 0\r\n", "session name");
        assertError("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n", "'t='");
        assertError("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n", "'t='");
        assertError(MINIMAL + "x=unknown\r\n", "unknown line type");
        assertError(MINIMAL + "m=audio 9 RTP/AVP\r\n", "bad media line");
        assertError(MINIMAL + "m=audio 99999 RTP/AVP 0\r\n", "port");
        assertError(MINIMAL + "m=audio nine RTP/AVP 0\r\n", "port");
        assertError(MINIMAL + "m=audio  9 RTP/AVP 0\r\n", "empty field");
        assertError(MINIMAL + "m=audio 9 RTP/AVP 0\r\nt=0 0\r\n", "not allowed in a media section");
        assertError(MINIMAL + "a=\r\n", "attribute without a name");
        assertError(MINIMAL + "a=bad name:1\r\n", "invalid attribute name");
        assertError(MINIMAL + "\r\na=x\r\n", "empty line");
        assertError(MINIMAL + "a=x\u0000y\r\n", "control character");
        assertError(MINIMAL + "c=IN IP4\r\n", "c=");
        assertError(MINIMAL + "v=0\r\n", "only once");
        assertError("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n".repeat(1) + "a=" + "x".repeat(300_000), "longer");
    }

    @Test
    void errorsNameTheLine() {
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> SdpParser.parse(MINIMAL + "a=ok\r\nbogus\r\n"));
        assertEquals(6, e.lineNumber());
        assertTrue(e.getMessage().startsWith("SDP line 6:"), e.getMessage());
    }

    @Test
    void mediaLineKeepsPortCount() throws Exception {
        SessionDescription sdp = SdpParser.parse(MINIMAL + "m=video 49170/2 RTP/AVP 31\r\n");
        assertEquals(2, sdp.mediaSections().get(0).mediaLine().portCount());
        assertEquals(MINIMAL + "m=video 49170/2 RTP/AVP 31\r\n", sdp.toString());
        assertFalse(sdp.mediaSections().get(0).hasAttribute("mid"));
    }

    private static void assertError(String text, String expectedFragment) {
        SdpParseException e = assertThrows(SdpParseException.class, () -> SdpParser.parse(text),
                () -> "expected an error for " + text);
        assertTrue(e.getMessage().contains(expectedFragment),
                () -> "message '" + e.getMessage() + "' should contain '" + expectedFragment + "'");
    }
}
