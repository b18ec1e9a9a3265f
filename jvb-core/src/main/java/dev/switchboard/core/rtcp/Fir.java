package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * Full Intra Request, PSFB FMT=4 (RFC 5104 section 4.3.1): the media source SSRC field is unused (0); each
 * 8-byte FCI entry names the SSRC that should send a decoder refresh point and a command sequence number
 * (incremented per new request, section 4.3.1.2), followed by 24 reserved bits.
 */
public record Fir(long senderSsrc, long mediaSsrc, List<Entry> entries) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.PSFB;
    public static final int FMT = RtcpPackets.FMT_FIR;
    public static final int HEADER_LENGTH = 12;
    public static final int ENTRY_LENGTH = 8;

    /** One FCI entry. */
    public record Entry(long ssrc, int sequenceNumber) {
        public Entry {
            RtcpHeader.checkSsrc(ssrc);
            RtcpHeader.checkRange("FIR sequence number", sequenceNumber, 0, 255);
        }
    }

    public Fir {
        RtcpHeader.checkSsrc(senderSsrc);
        RtcpHeader.checkSsrc(mediaSsrc);
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a FIR needs at least one entry");
        }
    }

    /** A FIR asking one source for a keyframe. */
    public static Fir of(long senderSsrc, long targetSsrc, int sequenceNumber) {
        return new Fir(senderSsrc, 0, List.of(new Entry(targetSsrc, sequenceNumber)));
    }

    public static Fir parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int minLength = HEADER_LENGTH + ENTRY_LENGTH;
        int length = RtcpHeader.checkFeedback(buf, off, len, PACKET_TYPE, FMT, minLength);
        int end = off + RtcpHeader.contentLength(buf, off, length, minLength);
        List<Entry> entries = new ArrayList<>((end - off - HEADER_LENGTH) / ENTRY_LENGTH);
        for (int pos = off + HEADER_LENGTH; pos + ENTRY_LENGTH <= end; pos += ENTRY_LENGTH) {
            entries.add(new Entry(NetworkBytes.uint32(buf, pos), buf[pos + 4] & 0xFF));
        }
        return new Fir(NetworkBytes.uint32(buf, off + 4), NetworkBytes.uint32(buf, off + 8), entries);
    }

    @Override
    public int length() {
        return HEADER_LENGTH + ENTRY_LENGTH * entries.size();
    }

    @Override
    public int serialize(byte[] out, int off) {
        int length = length();
        RtcpHeader.writeFeedback(out, off, FMT, PACKET_TYPE, length, false, senderSsrc, mediaSsrc);
        int pos = off + HEADER_LENGTH;
        for (Entry entry : entries) {
            NetworkBytes.putUint32(out, pos, entry.ssrc());
            out[pos + 4] = (byte) entry.sequenceNumber();
            NetworkBytes.putUint24(out, pos + 5, 0);
            pos += ENTRY_LENGTH;
        }
        return length;
    }
}
