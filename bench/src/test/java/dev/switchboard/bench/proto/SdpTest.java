package dev.switchboard.bench.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.signaling.sdp.Direction;
import dev.switchboard.signaling.sdp.Offer;
import dev.switchboard.signaling.sdp.OfferedMedia;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our offers must be read by the bridge's own offer parser exactly as a Chromium offer is. */
class SdpTest {
    private static final Sdp.Transport TRANSPORT = new Sdp.Transport("uFrg", "passwordpasswordpassword",
            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
            "127.0.0.1", 50000);

    @Test
    void publisherOfferIsAcceptedByTheBridgeParser() throws Exception {
        String sdp = Sdp.offer(1, 2, TRANSPORT, new Sdp.SendTrack("audio", new long[] {111}, "cn", "s", "a"),
                new Sdp.SendTrack("video", new long[] {222}, "cn", "s", "v"), List.of("audio", "video", "audio"));
        Offer offer = Offer.parse(sdp);
        assertEquals("uFrg", offer.ice().ufrag());
        assertEquals(DtlsRole.CLIENT, offer.remoteDtlsRole(), "actpass makes the participant the DTLS client");
        assertEquals(1, offer.candidates().size());
        assertEquals(50000, offer.candidates().get(0).port());
        List<OfferedMedia> media = offer.media();
        assertEquals(5, media.size());
        assertTrue(media.stream().noneMatch(OfferedMedia::rejected), media.toString());
        assertEquals(MediaKind.AUDIO, media.get(0).kind());
        assertEquals(Direction.SENDONLY, media.get(0).direction());
        assertEquals(111, media.get(0).ssrc());
        assertEquals(MediaKind.VIDEO, media.get(1).kind());
        assertEquals(222, media.get(1).ssrc());
        assertEquals(Direction.RECVONLY, media.get(2).direction());
        assertEquals(MediaKind.VIDEO, media.get(3).kind());
        assertEquals(MediaKind.AUDIO, media.get(4).kind());
    }

    @Test
    void simulcastGroupListsLowLayerFirst() throws Exception {
        String sdp = Sdp.offer(1, 2, TRANSPORT, null,
                new Sdp.SendTrack("video", new long[] {10, 20, 30}, "cn", "s", "v"), List.of());
        assertTrue(sdp.contains("a=ssrc-group:SIM 10 20 30\r\n"));
        Offer offer = Offer.parse(sdp);
        assertEquals(10, offer.media().get(0).ssrc(), "the bridge takes the first SSRC as the source");
    }

    @Test
    void receiveOnlyOfferHasNoSsrc() throws Exception {
        String sdp = Sdp.offer(1, 2, TRANSPORT, null, null, List.of("audio", "video"));
        assertFalse(sdp.contains("a=ssrc:"));
        Offer offer = Offer.parse(sdp);
        assertTrue(offer.media().stream().allMatch(OfferedMedia::receivesOnly));
    }

    @Test
    void readsTheAnswerTransport() {
        String answer = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=audio 10000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1",
                "a=ice-ufrag:brUf", "a=ice-pwd:bridgepwbridgepwbridgepw", "a=fingerprint:sha-256 AA:BB",
                "a=setup:passive", "a=mid:0", "a=recvonly",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host generation 0", "a=end-of-candidates", "");
        Sdp.Answer a = Sdp.parseAnswer(answer);
        assertEquals("brUf", a.ufrag());
        assertEquals("passive", a.setup());
        assertEquals("sha-256", a.fingerprintAlgorithm());
        assertEquals(List.of(new Sdp.Candidate("127.0.0.1", 10000, 2130706431L, "host")), a.candidates());
        assertThrows(IllegalArgumentException.class, () -> Sdp.parseAnswer("v=0\r\n"));
    }
}
