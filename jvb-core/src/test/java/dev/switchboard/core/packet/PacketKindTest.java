package dev.switchboard.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PacketKindTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void stunBindingRequestHeader() {
        // type 0x0001 (Binding Request), length 0, magic cookie 2112A442, 12-byte transaction id
        byte[] stun = hex("0001 0000 2112a442 000102030405060708090a0b");
        assertEquals(PacketKind.STUN, PacketKind.classify(stun, 0, stun.length));
    }

    @Test
    void dtlsHandshakeRecord() {
        // content type 22 (handshake), version FEFD (DTLS 1.2), epoch 0, seq 0, length 0
        byte[] dtls = hex("16 fefd 0000 000000000000 0000");
        assertEquals(PacketKind.DTLS, PacketKind.classify(dtls, 0, dtls.length));
    }

    @Test
    void rtpAndRtcpAreToldApartByPayloadType() {
        // V=2, PT=111 (opus), seq 1, ts 0, ssrc 0x11223344
        byte[] rtp = hex("80 6f 0001 00000000 11223344");
        assertEquals(PacketKind.RTP, PacketKind.classify(rtp, 0, rtp.length));
        // V=2, PT=96 with marker bit set (0xE0): still RTP
        byte[] rtpMarker = hex("80 e0 0001 00000000 11223344");
        assertEquals(PacketKind.RTP, PacketKind.classify(rtpMarker, 0, rtpMarker.length));
        // V=2, RC=0, PT=201 (RR), length 1, ssrc
        byte[] rr = hex("80 c9 0001 11223344");
        assertEquals(PacketKind.RTCP, PacketKind.classify(rr, 0, rr.length));
    }

    @Test
    void garbageAndTruncatedAreUnknown() {
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(new byte[0], 0, 0));
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(hex("ff00"), 0, 2));
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(hex("0001 0000"), 0, 4));
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(hex("80 6f 0001"), 0, 4));
        // 64..127 is reserved (TURN channels etc. are not demuxed here)
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(hex("40 00 0004 00000000"), 0, 8));
    }

    @Test
    void honoursOffset() {
        byte[] framed = hex("ffff 80 c9 0001 11223344");
        assertEquals(PacketKind.RTCP, PacketKind.classify(framed, 2, 8));
    }
}
