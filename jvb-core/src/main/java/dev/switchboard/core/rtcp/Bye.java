package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Goodbye, PT=203 (RFC 3550 section 6.6): up to 31 SSRC/CSRCs that leave, optionally with a reason (a length
 * octet and up to 255 bytes of UTF-8, null-padded to a 32-bit boundary). {@code reason} is null when absent.
 */
public record Bye(List<Long> ssrcs, String reason) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.BYE;

    public Bye {
        ssrcs = List.copyOf(ssrcs);
        RtcpHeader.checkRange("SSRCs", ssrcs.size(), 0, 31);
        ssrcs.forEach(RtcpHeader::checkSsrc);
        if (reason != null) {
            RtcpHeader.checkRange("reason length", reason.getBytes(StandardCharsets.UTF_8).length, 0, 255);
        }
    }

    public static Bye parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int length = RtcpHeader.check(buf, off, len, PACKET_TYPE, RtcpHeader.LENGTH);
        int end = off + RtcpHeader.contentLength(buf, off, length, RtcpHeader.LENGTH);
        int count = RtcpHeader.countOrFormat(buf, off);
        int pos = off + RtcpHeader.LENGTH;
        if (pos + 4 * count > end) {
            throw new MalformedPacketException(count + " SSRCs do not fit in the BYE");
        }
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++, pos += 4) {
            ssrcs.add(NetworkBytes.uint32(buf, pos));
        }
        String reason = null;
        if (pos < end) {
            int reasonLength = buf[pos] & 0xFF;
            if (pos + 1 + reasonLength > end) {
                throw new MalformedPacketException("BYE reason runs past the packet");
            }
            reason = new String(buf, pos + 1, reasonLength, StandardCharsets.UTF_8);
        }
        return new Bye(ssrcs, reason);
    }

    private int reasonBlockLength() {
        return reason == null ? 0 : (reason.getBytes(StandardCharsets.UTF_8).length + 1 + 3) & ~3;
    }

    @Override
    public int length() {
        return RtcpHeader.LENGTH + 4 * ssrcs.size() + reasonBlockLength();
    }

    @Override
    public int serialize(byte[] out, int off) {
        int length = length();
        RtcpHeader.write(out, off, ssrcs.size(), PACKET_TYPE, length);
        int pos = off + RtcpHeader.LENGTH;
        for (long ssrc : ssrcs) {
            NetworkBytes.putUint32(out, pos, ssrc);
            pos += 4;
        }
        if (reason != null) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            out[pos] = (byte) text.length;
            System.arraycopy(text, 0, out, pos + 1, text.length);
            Arrays.fill(out, pos + 1 + text.length, off + length, (byte) 0);
        }
        return length;
    }
}
