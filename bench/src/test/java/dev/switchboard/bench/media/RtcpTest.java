package dev.switchboard.bench.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.packet.RtcpPackets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpTest {
    @Test
    void nackPacksConsecutiveLossesAndWalksBack() {
        byte[] b = new byte[128];
        int n = Rtcp.writeNack(b, 0, 1, 2, 65530, 20, 16); // crosses the wrap
        assertEquals(12 + 2 * 4, n); // 17 + 3: two PID/BLP pairs
        assertTrue(RtcpPackets.isValidCompound(b, 0, n));
        assertEquals(Rtcp.RTPFB, Rtcp.packetType(b, 0));
        assertEquals(Rtcp.FMT_NACK, Rtcp.countOrFormat(b, 0));
        assertEquals(2, Bytes.u32(b, 8));
        List<Integer> seqs = new ArrayList<>();
        Rtcp.walkNack(b, 0, seqs::add);
        assertEquals(20, seqs.size());
        for (int i = 0; i < 20; i++) {
            assertEquals((65530 + i) & 0xFFFF, seqs.get(i));
        }
    }

    @Test
    void compoundReportIsWellFormed() {
        byte[] b = new byte[1500];
        int pos = Rtcp.writeSenderReport(b, 0, 0x11111111L, Rtcp.ntp(1_700_000_000_000_000_000L), 1234, 10, 1000, 2);
        pos += Rtcp.writeReportBlock(b, pos, 0x22222222L, 25, 3, 70_000, 12, 0, 0);
        pos += Rtcp.writeReportBlock(b, pos, 0x33333333L, 0, -1, 5, 0, 0xABCD, 65536);
        pos += Rtcp.writeSdesCname(b, pos, 0x11111111L, "abcdefgh12345678");
        pos += Rtcp.writePli(b, pos, 0x11111111L, 0x22222222L);
        assertTrue(RtcpPackets.isValidCompound(b, 0, pos));
        assertEquals(28 + 48, Rtcp.packetLength(b, 0));
        assertEquals(2, Rtcp.countOrFormat(b, 0));
        assertEquals(0xFFFFFF, Bytes.u32(b, 28 + 24 + 4) & 0xFFFFFF, "negative cumulative loss as 24-bit two's complement");
    }

    @Test
    void ntpTimestampsUseThe1900Epoch() {
        long ntp = Rtcp.ntp(0);
        assertEquals(2_208_988_800L, ntp >>> 32);
        assertEquals(0x80000000L, Rtcp.ntp(500_000_000L) & 0xFFFFFFFFL, 1);
    }

    @Test
    void audioLevelExtensionRoundTrips() {
        byte[] b = new byte[64];
        int pos = Rtp.writeHeader(b, 0, true, false, 111, 7, 960, 42);
        Rtp.writeAudioLevelExtension(b, pos, 1, true, 30);
        assertEquals(30, Rtp.readAudioLevel(b, 0, 40, 1));
        assertEquals(-1, Rtp.readAudioLevel(b, 0, 40, 2));
        assertEquals(20, dev.switchboard.core.packet.RtpHeader.headerLength(b, 0, 40));
        assertTrue((b[pos + 5] & 0x80) != 0, "voice activity flag");
    }

    @Test
    void probeRoundTrips() {
        byte[] b = new byte[100];
        Probe.write(b, 100, 123_456_789_012L, 0);
        assertTrue(Probe.present(b, 20, 100));
        assertEquals(123_456_789_012L, Probe.sendNanos(b, 100));
        Probe.setFlags(b, 100, Probe.FLAG_RETRANSMISSION);
        assertEquals(Probe.FLAG_RETRANSMISSION, Probe.flags(b, 100));
        assertTrue(!Probe.present(b, 90, 100), "too short for a probe");
    }
}
