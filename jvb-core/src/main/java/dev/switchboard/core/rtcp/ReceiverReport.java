package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.util.List;

/**
 * Receiver report, PT=201 (RFC 3550 section 6.4.2): the reporter's SSRC and up to 31 report blocks (none is
 * valid: an RR that only says "I am here"). A profile-specific extension is skipped when parsing.
 */
public record ReceiverReport(long senderSsrc, List<ReportBlock> reportBlocks) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.RR;
    public static final int MIN_LENGTH = 8;

    public ReceiverReport {
        RtcpHeader.checkSsrc(senderSsrc);
        reportBlocks = List.copyOf(reportBlocks);
        RtcpHeader.checkRange("report blocks", reportBlocks.size(), 0, SenderReport.MAX_REPORT_BLOCKS);
    }

    public static ReceiverReport parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int length = RtcpHeader.check(buf, off, len, PACKET_TYPE, MIN_LENGTH);
        int content = RtcpHeader.contentLength(buf, off, length, MIN_LENGTH);
        return new ReceiverReport(NetworkBytes.uint32(buf, off + 4),
                SenderReport.parseBlocks(buf, off, content, MIN_LENGTH));
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
        int pos = off + MIN_LENGTH;
        for (ReportBlock block : reportBlocks) {
            pos += block.serialize(out, pos);
        }
        return length;
    }
}
