package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import org.junit.jupiter.api.Test;

class PliTest {
    static final byte[] PLI = Hex.bytes(
            "81 ce 0002", //  V=2 P=0 FMT=1 (PLI) | PT=206 (PSFB) | length=2 (12 bytes)
            "00000001", //    SSRC of packet sender
            "12345678"); //   SSRC of media source (the stream that should send a keyframe)

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        Pli parsed = Pli.parse(PLI, 0, PLI.length);
        assertEquals(1L, parsed.senderSsrc());
        assertEquals(0x12345678L, parsed.mediaSsrc());
        assertArrayEquals(PLI, RtcpRoundTrip.serialize(parsed));

        Pli built = new Pli(1, 0x12345678L);
        assertEquals(parsed, built);
        assertArrayEquals(PLI, RtcpRoundTrip.serialize(built));
    }

    @Test
    void rejectsOtherFeedbackAndShortPackets() {
        byte[] fir = PLI.clone();
        fir[0] = (byte) 0x84;
        assertThrows(MalformedPacketException.class, () -> Pli.parse(fir, 0, fir.length));
        byte[] rtpfb = PLI.clone();
        rtpfb[1] = (byte) 205;
        assertThrows(MalformedPacketException.class, () -> Pli.parse(rtpfb, 0, rtpfb.length));
        byte[] tooShort = Hex.bytes("81ce 0001 00000001");
        assertThrows(MalformedPacketException.class, () -> Pli.parse(tooShort, 0, tooShort.length));
    }
}
