package dev.switchboard.core.bwe;

import dev.switchboard.core.rtp.NetworkBytes;

/**
 * Reads one transport-cc feedback packet (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1: RTPFB,
 * FMT 15) in place into preallocated arrays: for each packet from the base sequence number on, its 16-bit
 * transport-wide number and its arrival time in µs on the feedback's reference-time scale (or
 * {@link #NOT_RECEIVED}). The allocating, value-object parser is {@code core.rtcp.TransportCc}; this one is for
 * the media loop, where every receiver's feedback arrives every 50-100 ms. Reports past {@link #MAX_PACKETS}
 * packets are ignored.
 */
public final class TransportCcFeedbackReader {
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    public static final int MAX_PACKETS = 2048;
    private static final int HEADER_LENGTH = 20;
    private static final long REFERENCE_TIME_UNIT_US = 64_000;
    private static final long DELTA_UNIT_US = 250;

    private final int[] sequenceNumbers = new int[MAX_PACKETS];
    private final long[] arrivalUs = new long[MAX_PACKETS];
    private final byte[] symbols = new byte[MAX_PACKETS];
    private int count;
    private int feedbackPacketCount;

    /**
     * Reads the feedback packet {@code [off, off+len)} (one packet of a compound, header included).
     *
     * @return false when it is malformed (then nothing is valid)
     */
    public boolean read(byte[] buf, int off, int len) {
        count = 0;
        if (len < HEADER_LENGTH || (buf[off] & 0xC0) != 0x80 || (buf[off] & 0x1F) != 15 || (buf[off + 1] & 0xFF) != 205) {
            return false;
        }
        int end = off + Math.min(len, 4 * (NetworkBytes.uint16(buf, off + 2) + 1));
        if ((buf[off] & 0x20) != 0) {
            end -= buf[end - 1] & 0xFF; // RFC 3550 padding
        }
        if (end < off + HEADER_LENGTH) {
            return false;
        }
        int base = NetworkBytes.uint16(buf, off + 12);
        int statusCount = NetworkBytes.uint16(buf, off + 14);
        long referenceUs = (long) NetworkBytes.int24(buf, off + 16) * REFERENCE_TIME_UNIT_US;
        feedbackPacketCount = buf[off + 19] & 0xFF;
        int pos = off + HEADER_LENGTH;
        int n = 0;
        while (n < statusCount) {
            if (pos + 2 > end) {
                return false;
            }
            int chunk = NetworkBytes.uint16(buf, pos);
            pos += 2;
            if ((chunk & 0x8000) == 0) { // run length chunk
                int symbol = (chunk >>> 13) & 3;
                for (int run = chunk & 0x1FFF; run > 0 && n < statusCount; run--) {
                    n = put(n, symbol);
                }
            } else if ((chunk & 0x4000) == 0) { // status vector, 14 one-bit symbols
                for (int bit = 13; bit >= 0 && n < statusCount; bit--) {
                    n = put(n, (chunk >>> bit) & 1);
                }
            } else { // status vector, 7 two-bit symbols
                for (int shift = 12; shift >= 0 && n < statusCount; shift -= 2) {
                    n = put(n, (chunk >>> shift) & 3);
                }
            }
        }
        int kept = Math.min(statusCount, MAX_PACKETS);
        long arrival = referenceUs;
        for (int i = 0; i < kept; i++) {
            int symbol = symbols[i];
            sequenceNumbers[i] = (base + i) & 0xFFFF;
            if (symbol == 1) {
                if (pos + 1 > end) {
                    return false;
                }
                arrival += (buf[pos] & 0xFF) * DELTA_UNIT_US;
                pos += 1;
                arrivalUs[i] = arrival;
            } else if (symbol == 2) {
                if (pos + 2 > end) {
                    return false;
                }
                arrival += (short) NetworkBytes.uint16(buf, pos) * DELTA_UNIT_US;
                pos += 2;
                arrivalUs[i] = arrival;
            } else if (symbol == 0) {
                arrivalUs[i] = NOT_RECEIVED;
            } else {
                return false; // symbol 3 is reserved
            }
        }
        count = kept;
        return true;
    }

    private int put(int n, int symbol) {
        if (n < MAX_PACKETS) {
            symbols[n] = (byte) symbol;
        }
        return n + 1;
    }

    /** Packets the last {@link #read} reported (0 after a malformed one). */
    public int count() {
        return count;
    }

    public int sequenceNumber(int i) {
        return sequenceNumbers[i];
    }

    /** Arrival time in µs (the receiver's clock, arbitrary origin), or {@link #NOT_RECEIVED}. */
    public long arrivalUs(int i) {
        return arrivalUs[i];
    }

    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }
}
