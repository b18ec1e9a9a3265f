package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtcp.Nack;
import dev.switchboard.core.rtcp.RtcpPacket;
import dev.switchboard.core.rtp.HeaderExtensions;
import dev.switchboard.core.rtp.NetworkBytes;
import dev.switchboard.core.testing.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forwarded packets carry, per receiver, only the extensions that receiver negotiated, under its ids, and the
 * transport-wide sequence numbers of the receiver's own leg. "a" sends audio (level id 1, tcc id 3), "v" sends
 * single-stream video (tcc id 5); "r" receives with level id 9 and tcc id 11; "n" negotiated neither.
 */
class PerReceiverExtensionsTest {
    private static final long AUDIO = 0xA0L;
    private static final long VIDEO = 0xB0L;
    private final ManualClock clock = new ManualClock();
    private final PacketPool pool = new PacketPool(64);
    private final Map<String, List<byte[]>> sent = new HashMap<>();
    private RoutedConference conference;

    @BeforeEach
    void setUp() throws Exception {
        conference = new RoutedConference("ext", new MediaLoop("test-media", 256, pool), pool, new BridgeCounters(),
                clock, TestConferences.noTransports(), Runnable::run, 0x0B0B0B0BL, () -> { });
        add("a", new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(AUDIO))), 1, 3));
        add("v", new MediaDescription(List.of(new MediaSource(MediaKind.VIDEO, List.of(VIDEO))), 0, 5));
        add("r", new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(0xC0L))), 9, 11));
        add("n", new MediaDescription(List.of(new MediaSource(MediaKind.AUDIO, List.of(0xD0L)))));
        Map<String, TestConferences.Capture> captures = new HashMap<>();
        sent.forEach((id, list) -> captures.put(id, (bytes, rtcp) -> {
            if (!rtcp) {
                list.add(bytes);
            }
        }));
        TestConferences.connectForTesting(conference, captures);
    }

    private void add(String id, MediaDescription media) throws Exception {
        sent.put(id, new ArrayList<>());
        TestConferences.addEndpoint(conference, id, media);
    }

    @AfterEach
    void tearDown() {
        TestConferences.close(conference, pool);
    }

    /** An RTP packet with one-byte extensions: audio level (when levelId > 0) and a transport-wide number. */
    static byte[] packet(long ssrc, int seq, int levelId, int tccId, int transportSeq) {
        byte[] p = new byte[12 + 4 + 8 + 10];
        p[0] = (byte) 0x90;
        p[1] = 111;
        NetworkBytes.putUint16(p, 2, seq);
        NetworkBytes.putUint32(p, 4, seq * 960L);
        NetworkBytes.putUint32(p, 8, ssrc);
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 2;
        int e = 16;
        if (levelId > 0) {
            p[e++] = (byte) (levelId << 4);
            p[e++] = (byte) 0x85; // voice, -5 dBov
        }
        p[e++] = (byte) ((tccId << 4) | 1);
        NetworkBytes.putUint16(p, e, transportSeq);
        for (int i = 24; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static int element(byte[] p, int id) {
        HeaderExtensions ext = new HeaderExtensions();
        if (!ext.find(p, 0, p.length, id)) {
            return -1;
        }
        return ext.dataLength() == 2 ? NetworkBytes.uint16(p, ext.dataOffset()) : p[ext.dataOffset()] & 0xFF;
    }

    @Test
    void eachReceiverGetsItsOwnIdsAndOneTransportWideSequenceOverInterleavedSenders() throws Exception {
        for (int i = 0; i < 3; i++) {
            rtp("a", packet(AUDIO, 100 + i, 1, 3, 5000 + i));
            rtp("v", packet(VIDEO, 7000 + i, 0, 5, 60000 + i));
        }
        List<byte[]> toR = sent.get("r");
        assertEquals(6, toR.size());
        for (int i = 0; i < toR.size(); i++) {
            byte[] p = toR.get(i);
            assertEquals(i, element(p, 11), "r's own transport-wide number, across both senders");
            assertEquals(-1, element(p, 3), "not under the sender's tcc id");
            assertEquals(-1, element(p, 5), "not under the other sender's tcc id");
            assertEquals(RtpHeader.ssrc(p, 0) == AUDIO ? 0x85 : -1, element(p, 9), "audio level under r's id");
            assertEquals(-1, element(p, 1), "not under the sender's level id");
            assertEquals(34, p.length, "erased in place: the length does not change");
        }
        for (byte[] p : sent.get("n")) {
            HeaderExtensions ext = new HeaderExtensions();
            assertTrue(ext.reset(p, 0, p.length));
            assertFalse(ext.next(), "n negotiated nothing: all elements are padding");
        }
        // the sender's own numbers reach nobody, and the senders' legs keep counting their own
        List<byte[]> toV = sent.get("v");
        assertEquals(3, toV.size(), "v gets a's audio");
        assertEquals(List.of(0, 1, 2), toV.stream().map(p -> element(p, 5)).toList(), "v's leg counts from 0");
    }

    @Test
    void aPlainRetransmissionRepeatsTheTransportWideNumberItWasFirstSentWith() throws Exception {
        List<byte[]> originals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rtp("a", packet(AUDIO, 100 + i, 1, 3, 10 + i)); // interleaved audio moves r's counter too
            byte[] video = packet(VIDEO, 7000 + i, 0, 5, 20 + i);
            rtp("v", video);
        }
        for (byte[] p : sent.get("r")) {
            if (RtpHeader.ssrc(p, 0) == VIDEO) {
                originals.add(p);
            }
        }
        sent.get("r").clear();
        rtcp("r", new Nack(0xC0L, VIDEO, List.of(new Nack.Fci(7001, 0b10)))); // 7001 and 7003
        List<byte[]> resent = sent.get("r");
        assertEquals(2, resent.size());
        assertEquals(java.util.Arrays.toString(originals.get(1)), java.util.Arrays.toString(resent.get(0)),
                "byte-identical, transport-wide number included (SRTP reuses the index)");
        assertEquals(java.util.Arrays.toString(originals.get(3)), java.util.Arrays.toString(resent.get(1)));
        assertEquals(3, element(resent.get(0), 11));
        assertEquals(7, element(resent.get(1), 11));
    }

    private void rtp(String from, byte[] bytes) throws Exception {
        TestConferences.rtp(conference, pool, from, bytes, clock.getAsLong());
    }

    private void rtcp(String from, RtcpPacket... packets) throws Exception {
        TestConferences.rtcp(conference, pool, from, TestConferences.compound(packets), clock.getAsLong());
    }
}
