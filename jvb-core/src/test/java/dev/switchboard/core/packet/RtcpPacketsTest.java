package dev.switchboard.core.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtcpPacketsTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** V=2 FMT=1 PT=206 (PSFB) length=2 | sender SSRC 0x00000001 | media SSRC 0x12345678. */
    private static final byte[] PLI = hex("81 ce 0002 00000001 12345678");

    @Test
    void pliFixtureFields() {
        assertTrue(RtcpPackets.isValidCompound(PLI, 0, PLI.length));
        assertEquals(RtcpPackets.PSFB, RtcpPackets.packetType(PLI, 0));
        assertEquals(RtcpPackets.FMT_PLI, RtcpPackets.format(PLI, 0));
        assertEquals(12, RtcpPackets.packetLength(PLI, 0));
        assertEquals(1L, RtcpPackets.senderSsrc(PLI, 0));
        assertEquals(0x12345678L, RtcpPackets.mediaSourceSsrc(PLI, 0));
    }

    @Test
    void writtenPliEqualsFixture() {
        byte[] out = new byte[16];
        int len = RtcpPackets.writePli(out, 2, 1L, 0x12345678L);
        assertEquals(12, len);
        assertArrayEquals(PLI, Arrays.copyOfRange(out, 2, 14));
    }

    @Test
    void compoundOfReceiverReportAndPli() {
        // RR with no report blocks: V=2 RC=0 PT=201 length=1 | ssrc; then the PLI
        byte[] compound = hex("80 c9 0001 00000001" + "81 ce 0002 00000001 12345678");
        assertTrue(RtcpPackets.isValidCompound(compound, 0, compound.length));
    }

    @Test
    void rejectsLengthsThatOverrunOrDoNotAddUp() {
        byte[] overrun = hex("80 c9 0005 00000001");
        assertFalse(RtcpPackets.isValidCompound(overrun, 0, overrun.length));
        byte[] trailing = hex("80 c9 0001 00000001 80");
        assertFalse(RtcpPackets.isValidCompound(trailing, 0, trailing.length));
        byte[] notRtcpType = hex("80 c9 0001 00000001 80 60 0001 00000001");
        assertFalse(RtcpPackets.isValidCompound(notRtcpType, 0, notRtcpType.length));
    }
}
