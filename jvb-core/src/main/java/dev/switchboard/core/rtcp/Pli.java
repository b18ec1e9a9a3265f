package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;

/** Picture Loss Indication, PSFB FMT=1 (RFC 4585 section 6.3.1): no FCI, 12 bytes. */
public record Pli(long senderSsrc, long mediaSsrc) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.PSFB;
    public static final int FMT = RtcpPackets.FMT_PLI;
    public static final int LENGTH = RtcpPackets.PLI_LENGTH;

    public Pli {
        RtcpHeader.checkSsrc(senderSsrc);
        RtcpHeader.checkSsrc(mediaSsrc);
    }

    /** Parses a PLI; FCI bytes after the 12 bytes (which RFC 4585 says there are none of) are ignored. */
    public static Pli parse(byte[] buf, int off, int len) throws MalformedPacketException {
        RtcpHeader.checkFeedback(buf, off, len, PACKET_TYPE, FMT, LENGTH);
        return new Pli(NetworkBytes.uint32(buf, off + 4), NetworkBytes.uint32(buf, off + 8));
    }

    @Override
    public int length() {
        return LENGTH;
    }

    @Override
    public int serialize(byte[] out, int off) {
        return RtcpPackets.writePli(out, off, senderSsrc, mediaSsrc);
    }
}
