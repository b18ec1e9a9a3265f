package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * Sender report, PT=200 (RFC 3550 section 6.4.1): sender info (64-bit NTP timestamp, the RTP timestamp of the
 * same instant, packet and octet counts) and up to 31 report blocks. A profile-specific extension after the
 * blocks is skipped when parsing and not written.
 */
public record SenderReport(long senderSsrc, long ntpTimestamp, long rtpTimestamp, long packetCount,
        long octetCount, List<ReportBlock> reportBlocks) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.SR;
    /** Header, SSRC and sender info. */
    public static final int MIN_LENGTH = 28;
    public static final int MAX_REPORT_BLOCKS = 31;

    public SenderReport {
        RtcpHeader.checkSsrc(senderSsrc);
        RtcpHeader.checkUint32("RTP timestamp", rtpTimestamp);
        RtcpHeader.checkUint32("packet count", packetCount);
        RtcpHeader.checkUint32("octet count", octetCount);
        reportBlocks = List.copyOf(reportBlocks);
        RtcpHeader.checkRange("report blocks", reportBlocks.size(), 0, MAX_REPORT_BLOCKS);
    }

    public static SenderReport parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int length = RtcpHeader.check(buf, off, len, PACKET_TYPE, MIN_LENGTH);
        int content = RtcpHeader.contentLength(buf, off, length, MIN_LENGTH);
        List<ReportBlock> blocks = parseBlocks(buf, off, content, MIN_LENGTH);
        return new SenderReport(NetworkBytes.uint32(buf, off + 4), NetworkBytes.uint64(buf, off + 8),
                NetworkBytes.uint32(buf, off + 16), NetworkBytes.uint32(buf, off + 20),
                NetworkBytes.uint32(buf, off + 24), blocks);
    }

    /** The report blocks announced by the count field, starting {@code first} bytes into the packet. */
    static List<ReportBlock> parseBlocks(byte[] buf, int off, int contentLength, int first)
            throws MalformedPacketException {
        int count = RtcpHeader.countOrFormat(buf, off);
        if (first + count * ReportBlock.LENGTH > contentLength) {
            throw new MalformedPacketException(count + " report blocks do not fit in " + contentLength + " bytes");
        }
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pos = off + first + i * ReportBlock.LENGTH;
            blocks.add(ReportBlock.parse(buf, pos, ReportBlock.LENGTH));
        }
        return blocks;
    }

    /**
     * The middle 32 bits of the NTP timestamp: what a receiver puts in LSR (RFC 3550 section 6.4.1) when it
     * reports on this sender.
     */
    public long compactNtp() {
        return (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
    }

    @Override
    public int length() {
        return MIN_LENGTH + reportBlocks.size() * ReportBlock.LENGTH;
    }

    @Override
    public int serialize(byte[] out, int off) {
        int length = length();
        RtcpHeader.write(out, off, reportBlocks.size(), PACKET_TYPE, length);
        NetworkBytes.putUint32(out, off + 4, senderSsrc);
        NetworkBytes.putUint64(out, off + 8, ntpTimestamp);
        NetworkBytes.putUint32(out, off + 16, rtpTimestamp);
        NetworkBytes.putUint32(out, off + 20, packetCount);
        NetworkBytes.putUint32(out, off + 24, octetCount);
        int pos = off + MIN_LENGTH;
        for (ReportBlock block : reportBlocks) {
            pos += block.serialize(out, pos);
        }
        return length;
    }
}
