package dev.switchboard.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.signaling.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferTest {
    @Test
    void readsTransportAndSourcesOfASendonlyOffer() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_AV));
        assertEquals("FNqD", offer.ice().ufrag());
        assertEquals("yDgFgOG/GD/5NM7lTCUBjcQK", offer.ice().password());
        assertEquals(1, offer.fingerprints().size());
        assertEquals("sha-256", offer.fingerprints().get(0).algorithm());
        assertTrue(offer.fingerprints().get(0).value().startsWith("E7:32:9F"));
        assertEquals("actpass", offer.setup());
        assertEquals(DtlsRole.CLIENT, offer.remoteDtlsRole());
        assertEquals(List.of(), offer.candidates());

        OfferedMedia audio = offer.media().get(0);
        assertEquals("0", audio.mid());
        assertEquals(MediaKind.AUDIO, audio.kind());
        assertTrue(audio.publishes());
        assertEquals(3097376222L, audio.ssrc());
        assertEquals("SgxbOZEdZ9/ZY2k0", audio.cname());

        OfferedMedia video = offer.media().get(1);
        assertEquals(MediaKind.VIDEO, video.kind());
        // a=ssrc-group:FID 2310282495 2306251897: the first is primary, the second is RTX
        assertEquals(2310282495L, video.ssrc());
        assertTrue(video.hasSource());
    }

    @Test
    void readsRecvonlySections() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_RECVONLY));
        assertEquals(6, offer.media().size());
        for (int i = 2; i < 6; i++) {
            OfferedMedia m = offer.media().get(i);
            assertTrue(m.receivesOnly(), "mid " + m.mid());
            assertEquals(i % 2 == 0 ? MediaKind.AUDIO : MediaKind.VIDEO, m.kind());
            assertEquals(-1, m.ssrc());
            assertFalse(m.hasSource());
        }
    }

    @Test
    void readsCandidatesInTheOffer() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.WITH_CANDIDATES));
        List<IceCandidate> candidates = offer.candidates();
        assertEquals(8, candidates.size());
        IceCandidate first = candidates.get(0);
        assertEquals("127.0.0.1", first.address());
        assertEquals(35001, first.port());
        assertEquals("udp", first.protocol());
        assertEquals("host", first.type());
        assertEquals(2122194687L, first.priority());
        assertTrue(candidates.stream().anyMatch(c -> c.protocol().equals("tcp") && "active".equals(c.tcpType())));
    }

    @Test
    void rejectsDataChannelsButAcceptsTheRest() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.DATACHANNEL));
        OfferedMedia application = offer.media().get(2);
        assertTrue(application.rejected());
        assertNull(application.kind());
        assertFalse(offer.media().get(0).rejected());
        assertFalse(offer.media().get(1).rejected());
    }

    @Test
    void passiveOfferMakesTheParticipantTheDtlsServer() throws Exception {
        Offer offer = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_AV).replace("a=setup:actpass", "a=setup:passive"));
        assertEquals(DtlsRole.SERVER, offer.remoteDtlsRole());
        Offer active = Offer.parse(Fixtures.sdp(Fixtures.SENDONLY_AV).replace("a=setup:actpass", "a=setup:active"));
        assertEquals(DtlsRole.CLIENT, active.remoteDtlsRole());
    }

    @Test
    void offersWithoutCredentialsOrFingerprintAreRefused() {
        String sdp = Fixtures.sdp(Fixtures.SENDONLY_AV);
        assertInvalid(sdp.replaceAll("a=fingerprint:[^\r]*\r\n", ""), "fingerprint");
        assertInvalid(sdp.replaceAll("a=ice-ufrag:[^\r]*\r\n", ""), "ice-ufrag");
        assertInvalid(sdp.replaceAll("a=ice-pwd:[^\r]*\r\n", ""), "ice-pwd");
        assertInvalid(sdp.replace("a=fingerprint:sha-256 E7:32", "a=fingerprint:sha-256 XX:32"), "fingerprint");
        assertInvalid(sdp.replace("a=setup:actpass", "a=setup:holdconn"), "setup");
        assertInvalid(sdp.replace("a=group:BUNDLE 0 1\r\n", ""), "BUNDLE");
        assertInvalid(sdp.replace("a=mid:1", "a=mid:0"), "duplicate mid");
        assertInvalid(sdp.replace("a=ssrc:3097376222 cname", "a=ssrc:99999999999 cname"), "SSRC");
        assertInvalid("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "no media");
        assertInvalid("not sdp at all", "SDP line 1");
    }

    @Test
    void unsupportedSectionsAreRejectedNotRefused() throws Exception {
        String sdp = Fixtures.sdp(Fixtures.SENDONLY_AV);
        // An audio section without Opus
        Offer noOpus = Offer.parse(sdp.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 speex/48000/2"));
        assertTrue(noOpus.media().get(0).rejected());
        assertEquals("no Opus", noOpus.media().get(0).rejectReason());
        assertFalse(noOpus.media().get(1).rejected());
        // A section not in the BUNDLE group
        Offer unbundled = Offer.parse(sdp.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"));
        assertTrue(unbundled.media().get(1).rejected());
    }

    private static void assertInvalid(String sdp, String fragment) {
        InvalidOfferException e = assertThrows(InvalidOfferException.class, () -> Offer.parse(sdp));
        assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " should contain " + fragment);
    }
}
