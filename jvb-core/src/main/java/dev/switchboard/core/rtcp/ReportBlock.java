package dev.switchboard.core.rtcp;

import dev.switchboard.core.rtp.NetworkBytes;

/**
 * A reception report block of an SR or RR (RFC 3550 section 6.4.1), 24 bytes: the source it reports on,
 * fraction lost since the last report (fixed point, /256), cumulative number lost (signed 24-bit), extended
 * highest sequence number received, interarrival jitter (timestamp units), the middle 32 bits of the NTP
 * timestamp of the last SR received from that source (LSR) and the delay since then in 1/65536 s (DLSR).
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequenceNumber,
        long jitter, long lastSr, long delaySinceLastSr) {
    public static final int LENGTH = 24;
    public static final int MIN_CUMULATIVE_LOST = -(1 << 23);
    public static final int MAX_CUMULATIVE_LOST = (1 << 23) - 1;

    public ReportBlock {
        RtcpHeader.checkSsrc(ssrc);
        RtcpHeader.checkRange("fraction lost", fractionLost, 0, 255);
        RtcpHeader.checkRange("cumulative lost", cumulativeLost, MIN_CUMULATIVE_LOST, MAX_CUMULATIVE_LOST);
        RtcpHeader.checkUint32("extended highest sequence number", extendedHighestSequenceNumber);
        RtcpHeader.checkUint32("jitter", jitter);
        RtcpHeader.checkUint32("LSR", lastSr);
        RtcpHeader.checkUint32("DLSR", delaySinceLastSr);
    }

    /** Parses the 24 bytes at {@code off}. */
    public static ReportBlock parse(byte[] buf, int off, int len) throws MalformedPacketException {
        if (len < LENGTH) {
            throw new MalformedPacketException("report block needs 24 bytes, " + len + " given");
        }
        return new ReportBlock(NetworkBytes.uint32(buf, off), buf[off + 4] & 0xFF, NetworkBytes.int24(buf, off + 5),
                NetworkBytes.uint32(buf, off + 8), NetworkBytes.uint32(buf, off + 12),
                NetworkBytes.uint32(buf, off + 16), NetworkBytes.uint32(buf, off + 20));
    }

    public int length() {
        return LENGTH;
    }

    public int serialize(byte[] out, int off) {
        NetworkBytes.putUint32(out, off, ssrc);
        out[off + 4] = (byte) fractionLost;
        NetworkBytes.putUint24(out, off + 5, cumulativeLost);
        NetworkBytes.putUint32(out, off + 8, extendedHighestSequenceNumber);
        NetworkBytes.putUint32(out, off + 12, jitter);
        NetworkBytes.putUint32(out, off + 16, lastSr);
        NetworkBytes.putUint32(out, off + 20, delaySinceLastSr);
        return LENGTH;
    }
}
