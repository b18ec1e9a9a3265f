package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.testing.Hex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompoundRtcpTest {
    static final byte[] APP = Hex.bytes("80cc 0002 11223344 41424344"); // APP, name "ABCD", no data
    static final byte[] XR = Hex.bytes("80cf 0002 11223344 04000000"); // XR, an (empty-ish) block
    static final byte[] AFB_OTHER = Hex.bytes("8fce 0003 00000001 00000000 474f4f47"); // AFB "GOOG"

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    @Test
    void yieldsKnownPacketsAndSkipsUnknownOnes() throws Exception {
        byte[] compound = concat(ReceiverReportTest.RR, SdesTest.SDES, APP, PliTest.PLI, XR, AFB_OTHER,
                RembTest.REMB, NackTest.NACK, TransportCcTest.TCC, FirTest.FIR, ByeTest.BYE, SenderReportTest.SR);
        List<RtcpPacket> packets = CompoundRtcp.parseAll(compound, 0, compound.length);
        List<Class<?>> types = new ArrayList<>();
        packets.forEach(p -> types.add(p.getClass()));
        assertEquals(List.of(ReceiverReport.class, Sdes.class, Pli.class, Remb.class, Nack.class, TransportCc.class,
                Fir.class, Bye.class, SenderReport.class), types);
        assertEquals(ReceiverReport.parse(ReceiverReportTest.RR, 0, ReceiverReportTest.RR.length), packets.get(0));

        // known packets serialize back to the compound minus the skipped ones
        byte[] expected = concat(ReceiverReportTest.RR, SdesTest.SDES, PliTest.PLI, RembTest.REMB, NackTest.NACK,
                TransportCcTest.TCC, FirTest.FIR, ByeTest.BYE, SenderReportTest.SR);
        byte[] out = new byte[CompoundRtcp.length(packets)];
        assertEquals(expected.length, CompoundRtcp.serialize(packets, out, 0));
        assertArrayEquals(expected, out);
    }

    @Test
    void cursorWalksEveryPacketInPlace() throws Exception {
        byte[] compound = concat(new byte[5], ReceiverReportTest.RR, APP, PliTest.PLI);
        CompoundRtcp cursor = new CompoundRtcp();
        assertTrue(cursor.reset(compound, 5, compound.length - 5));
        assertTrue(cursor.next());
        assertEquals(RtcpPackets.RR, cursor.packetType());
        assertEquals(2, cursor.format(), "report count");
        assertEquals(5, cursor.offset());
        assertEquals(ReceiverReportTest.RR.length, cursor.length());
        assertTrue(cursor.next());
        assertEquals(RtcpPackets.APP, cursor.packetType());
        assertNull(cursor.parse());
        assertTrue(cursor.next());
        assertEquals(RtcpPackets.PSFB, cursor.packetType());
        assertEquals(Pli.FMT, cursor.format());
        assertEquals(0x12345678L, RtcpPackets.mediaSourceSsrc(compound, cursor.offset()));
        assertInstanceOf(Pli.class, cursor.parse());
        assertFalse(cursor.next());
        assertFalse(cursor.next());
    }

    @Test
    void rejectsBrokenFraming() {
        byte[] truncated = concat(ReceiverReportTest.RR, new byte[] {(byte) 0x81, (byte) 0xce, 0, 2});
        assertFalse(new CompoundRtcp().reset(truncated, 0, truncated.length));
        assertThrows(MalformedPacketException.class, () -> CompoundRtcp.parseAll(truncated, 0, truncated.length));
    }

    @Test
    void aMalformedKnownPacketFailsTheCompound() {
        byte[] badSdes = Hex.bytes("81ca 0002 00000001 01 09 6162"); // item runs past its packet
        byte[] compound = concat(PliTest.PLI, badSdes);
        assertThrows(MalformedPacketException.class, () -> CompoundRtcp.parseAll(compound, 0, compound.length));
    }
}
