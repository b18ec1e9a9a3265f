package dev.switchboard.bench.media;

/**
 * Builds the RTCP a WebRTC endpoint sends (RFC 3550 SR/RR/SDES, RFC 4585 generic NACK and PLI), in place.
 * Every method returns the number of bytes written.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int RTPFB = 205;
    public static final int PSFB = 206;
    public static final int FMT_NACK = 1;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int REPORT_BLOCK_LENGTH = 24;
    public static final int MAX_REPORT_BLOCKS = 31;
    /** Seconds from 1900 (NTP epoch) to 1970. */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private Rtcp() {}

    /** 64-bit NTP timestamp for a Unix time in nanoseconds. */
    public static long ntp(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, 1_000_000_000L);
        long nanos = Math.floorMod(unixNanos, 1_000_000_000L);
        long fraction = (nanos << 32) / 1_000_000_000L;
        return ((seconds + NTP_UNIX_OFFSET) << 32) | fraction;
    }

    /** SR header and sender info; {@code blocks} report blocks must follow (written by the caller). */
    public static int writeSenderReport(byte[] b, int off, long ssrc, long ntp, long rtpTimestamp, long packets,
            long octets, int blocks) {
        header(b, off, blocks, SR, 28 + REPORT_BLOCK_LENGTH * blocks);
        Bytes.put32(b, off + 4, ssrc);
        Bytes.put64(b, off + 8, ntp);
        Bytes.put32(b, off + 16, rtpTimestamp);
        Bytes.put32(b, off + 20, packets);
        Bytes.put32(b, off + 24, octets);
        return 28;
    }

    /** RR header; {@code blocks} report blocks must follow. */
    public static int writeReceiverReport(byte[] b, int off, long ssrc, int blocks) {
        header(b, off, blocks, RR, 8 + REPORT_BLOCK_LENGTH * blocks);
        Bytes.put32(b, off + 4, ssrc);
        return 8;
    }

    /** One report block (RFC 3550 section 6.4.1). */
    public static int writeReportBlock(byte[] b, int off, long ssrc, int fractionLost, long cumulativeLost,
            long extendedHighest, long jitter, long lastSr, long delaySinceLastSr) {
        Bytes.put32(b, off, ssrc);
        long lost = Math.max(-0x800000L, Math.min(0x7FFFFFL, cumulativeLost)) & 0xFFFFFF;
        Bytes.put32(b, off + 4, ((long) (fractionLost & 0xFF) << 24) | lost);
        Bytes.put32(b, off + 8, extendedHighest);
        Bytes.put32(b, off + 12, jitter);
        Bytes.put32(b, off + 16, lastSr);
        Bytes.put32(b, off + 20, delaySinceLastSr);
        return REPORT_BLOCK_LENGTH;
    }

    /** SDES with one chunk carrying a CNAME (RFC 3550 section 6.5). */
    public static int writeSdesCname(byte[] b, int off, long ssrc, String cname) {
        byte[] text = cname.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int chunk = 4 + 2 + text.length + 1; // SSRC, type+len, text, END item
        int padded = (chunk + 3) & ~3;
        int length = 4 + padded;
        header(b, off, 1, SDES, length);
        Bytes.put32(b, off + 4, ssrc);
        b[off + 8] = 1; // CNAME
        b[off + 9] = (byte) text.length;
        System.arraycopy(text, 0, b, off + 10, text.length);
        for (int i = off + 10 + text.length; i < off + length; i++) {
            b[i] = 0;
        }
        return length;
    }

    /**
     * Generic NACK (RFC 4585 section 6.2.1) for {@code count} consecutive sequence numbers from
     * {@code firstSeq}, packed as PID/BLP pairs; at most {@code maxPairs} pairs.
     */
    public static int writeNack(byte[] b, int off, long senderSsrc, long mediaSsrc, int firstSeq, int count,
            int maxPairs) {
        int pos = off + 12;
        int seq = firstSeq & 0xFFFF;
        int remaining = count;
        int pairs = 0;
        while (remaining > 0 && pairs < maxPairs) {
            int blp = 0;
            int inPair = Math.min(17, remaining);
            for (int i = 1; i < inPair; i++) {
                blp |= 1 << (i - 1);
            }
            Bytes.put16(b, pos, seq);
            Bytes.put16(b, pos + 2, blp);
            pos += 4;
            pairs++;
            seq = (seq + inPair) & 0xFFFF;
            remaining -= inPair;
        }
        header(b, off, FMT_NACK, RTPFB, pos - off);
        Bytes.put32(b, off + 4, senderSsrc);
        Bytes.put32(b, off + 8, mediaSsrc);
        return pos - off;
    }

    /** Picture Loss Indication (RFC 4585 section 6.3.1). */
    public static int writePli(byte[] b, int off, long senderSsrc, long mediaSsrc) {
        header(b, off, FMT_PLI, PSFB, 12);
        Bytes.put32(b, off + 4, senderSsrc);
        Bytes.put32(b, off + 8, mediaSsrc);
        return 12;
    }

    private static void header(byte[] b, int off, int countOrFormat, int type, int lengthBytes) {
        b[off] = (byte) (0x80 | (countOrFormat & 0x1F));
        b[off + 1] = (byte) type;
        Bytes.put16(b, off + 2, lengthBytes / 4 - 1);
    }

    // ---- reading ----------------------------------------------------------------------------------------

    public static int packetLength(byte[] b, int pos) {
        return (Bytes.u16(b, pos + 2) + 1) * 4;
    }

    public static int packetType(byte[] b, int pos) {
        return b[pos + 1] & 0xFF;
    }

    public static int countOrFormat(byte[] b, int pos) {
        return b[pos] & 0x1F;
    }

    /** Callback for {@link #walkNack}: one lost sequence number named by a NACK. */
    public interface SeqConsumer {
        void accept(int seq);
    }

    /** Calls {@code out} for every sequence number a generic NACK at {@code pos} names. */
    public static void walkNack(byte[] b, int pos, SeqConsumer out) {
        int end = pos + packetLength(b, pos);
        for (int p = pos + 12; p + 4 <= end; p += 4) {
            int pid = Bytes.u16(b, p);
            int blp = Bytes.u16(b, p + 2);
            out.accept(pid);
            for (int i = 0; i < 16; i++) {
                if ((blp & (1 << i)) != 0) {
                    out.accept((pid + i + 1) & 0xFFFF);
                }
            }
        }
    }
}
