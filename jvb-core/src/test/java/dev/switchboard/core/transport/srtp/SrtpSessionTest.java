package dev.switchboard.core.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.transport.dtls.SrtpKeys;
import dev.switchboard.core.transport.dtls.SrtpProfile;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpSessionTest {
    private static final HexFormat HEX = HexFormat.of();

    private final PacketPool pool = new PacketPool(16);

    @AfterEach
    void noLeaks() {
        assertEquals(0, pool.outstanding(), "leaked packet buffers");
    }

    // --- round trips -------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripTamperAndReplay(SrtpProfile profile) {
        SrtpKeys keys = randomKeys(profile, 1);
        try (SrtpSession a = new SrtpSession(keys); SrtpSession b = new SrtpSession(keys.mirrored())) {
            byte[] original = rtp(1000, 0x11223344, 200);
            PacketBuffer p = packet(original);
            assertTrue(a.protectRtp(p));
            int overhead = profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
            assertEquals(original.length + overhead, p.length());
            assertEquals(a.rtpOverhead(), overhead);
            byte[] wire = bytes(p);
            assertArrayEquals(Arrays.copyOf(original, 12), Arrays.copyOf(wire, 12), "header stays clear");
            assertFalse(Arrays.equals(original, 12, original.length, wire, 12, original.length),
                    "payload is encrypted");

            assertTrue(b.unprotectRtp(p));
            assertArrayEquals(original, bytes(p));
            p.release();

            // replay of the same SRTP packet
            PacketBuffer replay = packet(wire);
            assertFalse(b.unprotectRtp(replay));
            assertEquals(1, b.replayDrops());
            assertArrayEquals(wire, bytes(replay), "offset and length restored on failure");
            replay.release();

            // tampered payload, tag and header
            for (int index : new int[] {1, 20, wire.length - 1}) {
                byte[] next = rtp(1001 + index, 0x11223344, 200);
                PacketBuffer q = packet(next);
                assertTrue(a.protectRtp(q));
                q.array()[q.offset() + index] ^= 0x01;
                assertFalse(b.unprotectRtp(q), "tampered byte " + index);
                q.release();
            }
            assertEquals(3, b.authFailures());

            // an untampered later packet still passes
            PacketBuffer later = packet(rtp(2000, 0x11223344, 50));
            assertTrue(a.protectRtp(later));
            assertTrue(b.unprotectRtp(later));
            later.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripTamperAndReplay(SrtpProfile profile) {
        SrtpKeys keys = randomKeys(profile, 2);
        try (SrtpSession a = new SrtpSession(keys); SrtpSession b = new SrtpSession(keys.mirrored())) {
            byte[] original = rtcpSenderReport(0x55667788);
            PacketBuffer p = packet(original);
            assertTrue(a.protectRtcp(p));
            assertEquals(original.length + a.rtcpOverhead(), p.length());
            byte[] wire = bytes(p);
            assertTrue(b.unprotectRtcp(p));
            assertArrayEquals(original, bytes(p));
            p.release();

            PacketBuffer replay = packet(wire);
            assertFalse(b.unprotectRtcp(replay));
            assertEquals(1, b.replayDrops());
            replay.release();

            PacketBuffer q = packet(original);
            assertTrue(a.protectRtcp(q));
            q.array()[q.offset() + 10] ^= (byte) 0x80;
            assertFalse(b.unprotectRtcp(q));
            assertEquals(1, b.authFailures());
            q.release();
        }
    }

    /**
     * A retransmission (a packet re-sent unchanged, as the bridge answers NACKs from its cache) is protected
     * again into the very same SRTP packet, even when its index was already used or is older than the send
     * replay window; ordinary protection keeps refusing both.
     */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void retransmissionsAreProtectedAgainIntoTheSameSrtpPacket(SrtpProfile profile) {
        SrtpKeys keys = randomKeys(profile, 4);
        int ssrc = 0x0BADCAFE;
        try (SrtpSession a = new SrtpSession(keys); SrtpSession b = new SrtpSession(keys.mirrored())) {
            byte[][] wire = new byte[200][];
            for (int i = 0; i < 200; i++) {
                PacketBuffer p = packet(rtp(1000 + i, ssrc, 100));
                assertTrue(a.protectRtp(p));
                wire[i] = bytes(p);
                if (i != 150 && i != 180) { // lost on the way to b
                    assertTrue(b.unprotectRtp(p));
                }
                p.release();
            }
            for (int seq : new int[] {1190, 1005}) { // already sent: within and beyond the 64-packet window
                PacketBuffer again = packet(rtp(seq, ssrc, 100));
                assertFalse(a.protectRtp(again), "plain protection refuses index " + seq + " a second time");
                again.release();
            }
            for (int seq : new int[] {1150, 1180, 1190, 1005, 1180}) {
                PacketBuffer p = packet(rtp(seq, ssrc, 100));
                assertTrue(a.protectRtpRetransmission(p), "retransmission of " + seq);
                assertArrayEquals(wire[seq - 1000], bytes(p), "byte for byte the SRTP packet first sent");
                p.release();
            }
            for (int seq : new int[] {1150, 1180}) { // b lost them: the retransmissions fill its gaps
                PacketBuffer p = packet(wire[seq - 1000]);
                assertTrue(b.unprotectRtp(p));
                assertArrayEquals(rtp(seq, ssrc, 100), bytes(p));
                p.release();
            }
            PacketBuffer again = packet(rtp(1150, ssrc, 100));
            assertFalse(a.protectRtp(again), "the check is back for ordinary packets");
            again.release();
            PacketBuffer next = packet(rtp(1200, ssrc, 100));
            assertTrue(a.protectRtp(next));
            assertTrue(b.unprotectRtp(next));
            next.release();
        }
    }

    @Test
    void bothDirectionsAndManySsrcs() {
        SrtpKeys keys = randomKeys(SrtpProfile.AEAD_AES_128_GCM, 3);
        try (SrtpSession a = new SrtpSession(keys); SrtpSession b = new SrtpSession(keys.mirrored())) {
            for (int ssrc = 1; ssrc <= 5; ssrc++) {
                for (int seq = 0; seq < 3; seq++) {
                    byte[] ab = rtp(seq, ssrc, 100);
                    PacketBuffer p = packet(ab);
                    assertTrue(a.protectRtp(p));
                    assertTrue(b.unprotectRtp(p));
                    assertArrayEquals(ab, bytes(p));
                    p.release();

                    byte[] ba = rtp(seq, ssrc + 100, 100);
                    PacketBuffer q = packet(ba);
                    assertTrue(b.protectRtp(q));
                    assertTrue(a.unprotectRtp(q));
                    assertArrayEquals(ba, bytes(q));
                    q.release();
                }
            }
        }
    }

    @Test
    void wrongKeysFailAuthentication() {
        try (SrtpSession a = new SrtpSession(randomKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 4));
             SrtpSession b = new SrtpSession(randomKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 5))) {
            PacketBuffer p = packet(rtp(1, 42, 40));
            assertTrue(a.protectRtp(p));
            assertFalse(b.unprotectRtp(p));
            // the failed first packet did not leave a context behind; a correctly keyed session still works
            p.release();
        }
    }

    @Test
    void malformedInputIsRejectedWithoutThrowing() {
        try (SrtpSession s = new SrtpSession(randomKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 6))) {
            byte[][] bad = {
                new byte[0],
                new byte[5],
                HEX.parseHex("400f1234decafbadcafebabe00000000"), // RTP version 1
                HEX.parseHex("8f0f1234decafbadcafebabe"),          // 15 CSRCs announced, none present
                HEX.parseHex("900f1234decafbadcafebabebede00ff"),  // extension longer than the packet
            };
            for (byte[] b : bad) {
                PacketBuffer p = packet(b);
                assertFalse(s.protectRtp(p));
                assertFalse(s.unprotectRtp(p));
                assertFalse(s.unprotectRtcp(p));
                assertEquals(b.length, p.length());
                p.release();
            }
            // SRTP shorter than header + tag
            PacketBuffer shortSrtp = packet(rtp(1, 7, 4));
            assertFalse(s.unprotectRtp(shortSrtp));
            shortSrtp.release();
            // no tail room for the tag
            PacketBuffer full = pool.acquire();
            byte[] big = rtp(1, 7, 0);
            full.setOffsetAndLength(full.offset() + full.tailRoom() - big.length - 4, big.length); // 4 bytes left
            System.arraycopy(big, 0, full.array(), full.offset(), big.length);
            assertFalse(s.protectRtp(full));
            assertFalse(s.protectRtcp(full));
            full.release();
            assertTrue(s.malformedDrops() > 0);
        }
    }

    @Test
    void closedSessionRefusesEverything() {
        SrtpSession s = new SrtpSession(randomKeys(SrtpProfile.AEAD_AES_128_GCM, 7));
        s.close();
        s.close();
        PacketBuffer p = packet(rtp(1, 7, 20));
        assertFalse(s.protectRtp(p));
        p.release();
    }

    // --- known answers (libsrtp srtp_driver.c validation vectors) ------------------------------------------

    /**
     * AES_CM_128_HMAC_SHA1_80 with the RFC 3711 Appendix B.3 master key and salt: the expected packets are
     * libsrtp's {@code srtp_validate()} reference vectors (RTP seq 0x1234, SSRC 0xcafebabe; SRTCP index 1).
     * They cover the B.3 key derivation, AES-CM (B.2) and HMAC-SHA1 end to end.
     */
    @Test
    void knownAnswerAesCm() {
        SrtpKeys keys = symmetricKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                "e1f97a0d3e018be0d64fa32c06de4139", "0ec675ad498afeebb6960b3aabe6");
        byte[] rtp = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
        byte[] srtp = HEX.parseHex("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402"
                + "b78d6acc99ea179b8dbb");
        byte[] rtcp = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));
        byte[] srtcp = HEX.parseHex("81c8000bcafebabe7128035be487b9bdbef89041f977a5a8"
                + "80000001993e08cd54d6c1230798");
        checkKnownAnswer(keys, rtp, srtp, rtcp, srtcp);
    }

    /** AEAD_AES_128_GCM (RFC 7714): libsrtp's {@code srtp_validate_gcm()} reference vectors. */
    @Test
    void knownAnswerAesGcm() {
        SrtpKeys keys = symmetricKeys(SrtpProfile.AEAD_AES_128_GCM,
                "000102030405060708090a0b0c0d0e0f", "a0a1a2a3a4a5a6a7a8a9aaab");
        byte[] rtp = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
        byte[] srtp = HEX.parseHex("800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826"
                + "f796b201df3131a127e8a392");
        byte[] rtcp = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));
        byte[] srtcp = HEX.parseHex("81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446"
                + "ea31123ba88ce61e80000001");
        checkKnownAnswer(keys, rtp, srtp, rtcp, srtcp);
    }

    private void checkKnownAnswer(SrtpKeys keys, byte[] rtp, byte[] srtp, byte[] rtcp, byte[] srtcp) {
        try (SrtpSession sender = new SrtpSession(keys); SrtpSession receiver = new SrtpSession(keys)) {
            PacketBuffer p = packet(rtp);
            assertTrue(sender.protectRtp(p));
            assertEquals(HEX.formatHex(srtp), HEX.formatHex(bytes(p)));
            p.release();

            // jitsi-srtp numbers SRTCP from 0 and the vector carries index 1: the second packet must match
            PacketBuffer first = packet(rtcp);
            assertTrue(sender.protectRtcp(first));
            first.release();
            PacketBuffer second = packet(rtcp);
            assertTrue(sender.protectRtcp(second));
            assertEquals(HEX.formatHex(srtcp), HEX.formatHex(bytes(second)));
            second.release();

            PacketBuffer in = packet(srtp);
            assertTrue(receiver.unprotectRtp(in));
            assertArrayEquals(rtp, bytes(in));
            in.release();
            PacketBuffer inRtcp = packet(srtcp);
            assertTrue(receiver.unprotectRtcp(inRtcp));
            assertArrayEquals(rtcp, bytes(inRtcp));
            inRtcp.release();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private PacketBuffer packet(byte[] data) {
        PacketBuffer p = pool.acquire();
        p.copyFrom(data, 0, data.length);
        return p;
    }

    private static byte[] bytes(PacketBuffer p) {
        return Arrays.copyOfRange(p.array(), p.offset(), p.offset() + p.length());
    }

    static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] b = new byte[12 + payloadLength];
        b[0] = (byte) 0x80;
        b[1] = 111;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        int ts = seq * 960;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) (i * 7 + seq);
        }
        return b;
    }

    static byte[] rtcpSenderReport(int ssrc) {
        byte[] b = new byte[28];
        b[0] = (byte) 0x80;
        b[1] = (byte) 200;
        b[3] = 6;
        b[4] = (byte) (ssrc >> 24);
        b[5] = (byte) (ssrc >> 16);
        b[6] = (byte) (ssrc >> 8);
        b[7] = (byte) ssrc;
        for (int i = 8; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static SrtpKeys randomKeys(SrtpProfile profile, long seed) {
        Random r = new Random(seed);
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = new byte[i % 2 == 0 ? profile.keyLength() : profile.saltLength()];
            r.nextBytes(parts[i]);
        }
        return new SrtpKeys(profile, parts[0], parts[1], parts[2], parts[3]);
    }

    private static SrtpKeys symmetricKeys(SrtpProfile profile, String key, String salt) {
        byte[] k = HEX.parseHex(key);
        byte[] s = HEX.parseHex(salt);
        assertNotEquals(0, k.length);
        return new SrtpKeys(profile, k, s, k, s);
    }
}
