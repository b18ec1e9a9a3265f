package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * Receiver Estimated Maximum Bitrate, an application layer feedback message, PSFB FMT=15
 * (draft-alvestrand-rmcat-remb-03 section 2.2): the media source SSRC is 0, then the ASCII identifier
 * "REMB", the number of SSRCs (8 bits), the bitrate as a 6-bit exponent and an 18-bit mantissa
 * ({@code bps = mantissa << exp}) and the SSRCs the estimate applies to.
 *
 * <p>{@code bitrateBps} is normalized to what the wire can carry: building rounds it down to the nearest
 * representable value (smallest exponent that fits the mantissa, as libwebrtc encodes it). A parsed value
 * that does not fit in a {@code long} is clamped to {@link #MAX_BITRATE}.
 */
public record Remb(long senderSsrc, long mediaSsrc, long bitrateBps, List<Long> ssrcs) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.PSFB;
    public static final int FMT = 15;
    /** "REMB" in ASCII. */
    public static final long IDENTIFIER = 0x52454D42L;
    public static final int HEADER_LENGTH = 20;
    private static final int MAX_MANTISSA = 0x3FFFF;
    /** The largest bitrate representable on the wire that fits in a {@code long}. */
    public static final long MAX_BITRATE = (long) MAX_MANTISSA << 45;

    public Remb {
        RtcpHeader.checkSsrc(senderSsrc);
        RtcpHeader.checkSsrc(mediaSsrc);
        if (bitrateBps < 0) {
            throw new IllegalArgumentException("negative bitrate " + bitrateBps);
        }
        int exponent = exponent(bitrateBps);
        bitrateBps = decode(bitrateBps >>> exponent, exponent);
        ssrcs = List.copyOf(ssrcs);
        RtcpHeader.checkRange("SSRCs", ssrcs.size(), 0, 255);
        ssrcs.forEach(RtcpHeader::checkSsrc);
    }

    /** Whether the PSFB FMT=15 packet at {@code off} is a REMB (other application layer feedback exists). */
    public static boolean isRemb(byte[] buf, int off, int len) {
        return len >= HEADER_LENGTH && NetworkBytes.uint32(buf, off + 12) == IDENTIFIER;
    }

    public static Remb parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int length = RtcpHeader.checkFeedback(buf, off, len, PACKET_TYPE, FMT, HEADER_LENGTH);
        int end = off + RtcpHeader.contentLength(buf, off, length, HEADER_LENGTH);
        if (!isRemb(buf, off, len)) {
            throw new MalformedPacketException("application layer feedback without the REMB identifier");
        }
        int count = buf[off + 16] & 0xFF;
        if (off + HEADER_LENGTH + 4 * count > end) {
            throw new MalformedPacketException(count + " SSRCs do not fit in the REMB");
        }
        int exponent = (buf[off + 17] & 0xFF) >>> 2;
        long mantissa = ((buf[off + 17] & 0x03L) << 16) | NetworkBytes.uint16(buf, off + 18);
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(NetworkBytes.uint32(buf, off + HEADER_LENGTH + 4 * i));
        }
        return new Remb(NetworkBytes.uint32(buf, off + 4), NetworkBytes.uint32(buf, off + 8),
                decode(mantissa, exponent), ssrcs);
    }

    private static int exponent(long bps) {
        int exponent = 0;
        while ((bps >>> exponent) > MAX_MANTISSA) {
            exponent++;
        }
        return exponent;
    }

    private static long decode(long mantissa, int exponent) {
        if (mantissa != 0 && exponent >= Long.numberOfLeadingZeros(mantissa)) {
            return MAX_BITRATE;
        }
        return mantissa << exponent;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + 4 * ssrcs.size();
    }

    @Override
    public int serialize(byte[] out, int off) {
        int length = length();
        RtcpHeader.writeFeedback(out, off, FMT, PACKET_TYPE, length, false, senderSsrc, mediaSsrc);
        NetworkBytes.putUint32(out, off + 12, IDENTIFIER);
        int exponent = exponent(bitrateBps);
        long mantissa = bitrateBps >>> exponent;
        out[off + 16] = (byte) ssrcs.size();
        out[off + 17] = (byte) ((exponent << 2) | (int) (mantissa >>> 16));
        NetworkBytes.putUint16(out, off + 18, (int) mantissa);
        int pos = off + HEADER_LENGTH;
        for (long ssrc : ssrcs) {
            NetworkBytes.putUint32(out, pos, ssrc);
            pos += 4;
        }
        return length;
    }
}
