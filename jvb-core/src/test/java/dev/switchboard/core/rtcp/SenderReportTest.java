package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderReportTest {
    static final byte[] SR = Hex.bytes(
            "81 c8 000c", //         V=2 P=0 RC=1 | PT=200 (SR) | length=12 (52 bytes)
            "5f1c2a3b", //           SSRC of sender
            "e94a1c3d 8a3d70a4", //  NTP timestamp (MSW, LSW)
            "0012d687", //           RTP timestamp 1234567
            "000004d2", //           sender's packet count 1234
            "0007a120", //           sender's octet count 500000
            "1a2b3c4d", //           report block 1: SSRC
            "0a 00002a", //          fraction lost 10/256 | cumulative lost 42
            "00010fa0", //           extended highest seq: cycles 1, seq 4000
            "00000032", //           interarrival jitter 50
            "1c3d8a3d", //           LSR
            "00012000"); //          DLSR 1.125 s (73728/65536)

    static final ReportBlock BLOCK = new ReportBlock(0x1a2b3c4dL, 10, 42, 0x10fa0L, 50, 0x1c3d8a3dL, 0x12000L);

    private static void assertFields(SenderReport sr) {
        assertEquals(0x5f1c2a3bL, sr.senderSsrc());
        assertEquals(0xe94a1c3d8a3d70a4L, sr.ntpTimestamp());
        assertEquals(1234567L, sr.rtpTimestamp());
        assertEquals(1234L, sr.packetCount());
        assertEquals(500000L, sr.octetCount());
        assertEquals(0x1c3d8a3dL, sr.compactNtp(), "middle 32 bits of the NTP timestamp");
        assertEquals(List.of(BLOCK), sr.reportBlocks());
        ReportBlock block = sr.reportBlocks().get(0);
        assertEquals(1, block.extendedHighestSequenceNumber() >>> 16, "cycles");
        assertEquals(4000, block.extendedHighestSequenceNumber() & 0xFFFF);
    }

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        SenderReport parsed = SenderReport.parse(SR, 0, SR.length);
        assertFields(parsed);
        assertArrayEquals(SR, RtcpRoundTrip.serialize(parsed));

        SenderReport built = new SenderReport(0x5f1c2a3bL, 0xe94a1c3d8a3d70a4L, 1234567, 1234, 500000,
                List.of(BLOCK));
        assertFields(built);
        assertEquals(parsed, built);
        assertArrayEquals(SR, RtcpRoundTrip.serialize(built));
    }

    @Test
    void parsesAtAnOffsetAndIgnoresBytesAfterThePacket() throws Exception {
        byte[] shifted = new byte[SR.length + 10];
        System.arraycopy(SR, 0, shifted, 7, SR.length);
        assertFields(SenderReport.parse(shifted, 7, SR.length + 3));
    }

    @Test
    void withoutReportBlocks() throws Exception {
        SenderReport sr = new SenderReport(1, 2, 3, 4, 5, List.of());
        byte[] bytes = RtcpRoundTrip.serialize(sr);
        assertArrayEquals(Hex.bytes("80c8 0006 00000001 0000000000000002 00000003 00000004 00000005"), bytes);
        assertEquals(sr, SenderReport.parse(bytes, 0, bytes.length));
    }

    @Test
    void skipsAProfileSpecificExtension() throws Exception {
        // RC=0, length 7: sender info followed by one word of extension
        byte[] withExtension = Hex.bytes("80c8 0007 00000001 0000000000000002 00000003 00000004 00000005 cafebabe");
        assertEquals(new SenderReport(1, 2, 3, 4, 5, List.of()),
                SenderReport.parse(withExtension, 0, withExtension.length));
    }

    @Test
    void rejectsMalformed() {
        byte[] truncated = java.util.Arrays.copyOf(SR, SR.length - 4);
        assertThrows(MalformedPacketException.class, () -> SenderReport.parse(truncated, 0, truncated.length));
        byte[] rr = Hex.bytes("80c9 0001 00000001");
        assertThrows(MalformedPacketException.class, () -> SenderReport.parse(rr, 0, rr.length));
        // RC=2 but room for one block only
        byte[] tooManyBlocks = SR.clone();
        tooManyBlocks[0] = (byte) 0x82;
        assertThrows(MalformedPacketException.class, () -> SenderReport.parse(tooManyBlocks, 0, SR.length));
        byte[] version1 = SR.clone();
        version1[0] = 0x41;
        assertThrows(MalformedPacketException.class, () -> SenderReport.parse(version1, 0, SR.length));
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new SenderReport(-1, 0, 0, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SenderReport(0, 0, 1L << 32, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 0, 1 << 23, 0, 0, 0, 0));
    }
}
