package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverReportTest {
    static final byte[] RR = Hex.bytes(
            "82 c9 000d", //  V=2 P=0 RC=2 | PT=201 (RR) | length=13 (56 bytes)
            "00000001", //    SSRC of packet sender
            "aabbccdd", //    block 1: SSRC of source
            "ff fffffd", //   fraction lost 255/256 | cumulative lost -3 (duplicates outnumber losses)
            "0000ffff", //    extended highest seq 65535
            "00000000", //    jitter 0
            "00000000", //    LSR 0: no SR received yet
            "00000000", //    DLSR 0
            "11223344", //    block 2: SSRC of source
            "00 7fffff", //   fraction lost 0 | cumulative lost 8388607 (maximum)
            "ffffffff", //    extended highest seq (32 bits, all set)
            "00000123", //    jitter 291
            "89abcdef", //    LSR
            "00000001"); //   DLSR 1/65536 s

    static final ReportBlock FIRST = new ReportBlock(0xaabbccddL, 255, -3, 0xffffL, 0, 0, 0);
    static final ReportBlock SECOND = new ReportBlock(0x11223344L, 0, 8388607, 0xffffffffL, 0x123, 0x89abcdefL, 1);

    private static void assertFields(ReceiverReport rr) {
        assertEquals(1L, rr.senderSsrc());
        assertEquals(List.of(FIRST, SECOND), rr.reportBlocks());
        assertEquals(-3, rr.reportBlocks().get(0).cumulativeLost(), "24-bit field is sign-extended");
    }

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        ReceiverReport parsed = ReceiverReport.parse(RR, 0, RR.length);
        assertFields(parsed);
        assertArrayEquals(RR, RtcpRoundTrip.serialize(parsed));

        ReceiverReport built = new ReceiverReport(1, List.of(FIRST, SECOND));
        assertFields(built);
        assertArrayEquals(RR, RtcpRoundTrip.serialize(built));
    }

    @Test
    void emptyReceiverReport() throws Exception {
        byte[] empty = Hex.bytes("80c9 0001 00000001"); // RC=0: "still here", nothing to report
        ReceiverReport rr = ReceiverReport.parse(empty, 0, empty.length);
        assertEquals(new ReceiverReport(1, List.of()), rr);
        assertArrayEquals(empty, RtcpRoundTrip.serialize(rr));
    }

    @Test
    void paddingIsExcludedFromTheBlocks() throws Exception {
        // P=1 RC=0, length 2: SSRC then 4 bytes of padding whose last octet counts them
        byte[] padded = Hex.bytes("a0c9 0002 00000001 00000004");
        assertEquals(new ReceiverReport(1, List.of()), ReceiverReport.parse(padded, 0, padded.length));
        byte[] badPadding = Hex.bytes("a0c9 0002 00000001 00000009");
        assertThrows(MalformedPacketException.class, () -> ReceiverReport.parse(badPadding, 0, badPadding.length));
    }

    @Test
    void rejectsTruncated() {
        assertThrows(MalformedPacketException.class, () -> ReceiverReport.parse(RR, 0, RR.length - 1));
        assertThrows(MalformedPacketException.class, () -> ReceiverReport.parse(RR, 0, 3));
    }
}
