package dev.switchboard.bench.media;

/**
 * Loss, duplicate and order accounting for one received RTP stream from its 16-bit sequence numbers,
 * extended to 64 bits across wrap-arounds (RFC 3550 appendix A.1 style). A bitmap of the last
 * {@value #WINDOW} sequence numbers tells duplicates from late (reordered) packets.
 *
 * <p>Not thread-safe (one receive thread).
 */
public final class SeqTracker {
    public static final int WINDOW = 1024;

    /** Results of {@link #record}. */
    public static final int IN_ORDER = 0;
    public static final int OUT_OF_ORDER = 1;
    public static final int DUPLICATE = 2;
    public static final int TOO_OLD = 3;

    private final long[] bits = new long[WINDOW / 64];
    private long extMax = Long.MIN_VALUE;
    private long firstExt;
    private long unique;
    private long duplicates;
    private long outOfOrder;
    private long tooOld;
    /** Gap opened by the last in-order packet: the first missing extended sequence number and the count. */
    private long gapStart;
    private int gapLength;

    /** Records one packet; returns {@link #IN_ORDER}, {@link #OUT_OF_ORDER}, {@link #DUPLICATE} or {@link #TOO_OLD}. */
    public int record(int seq) {
        seq &= 0xFFFF;
        gapLength = 0;
        if (extMax == Long.MIN_VALUE) {
            extMax = seq;
            firstExt = seq;
            set(seq);
            unique = 1;
            return IN_ORDER;
        }
        long ext = (extMax & ~0xFFFFL) | seq;
        long d = ext - extMax;
        if (d > 32768) {
            ext -= 65536;
        } else if (d < -32768) {
            ext += 65536;
        }
        if (ext > extMax) {
            long advance = ext - extMax;
            if (advance >= WINDOW) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long s = extMax + 1; s < ext; s++) {
                    clear(s);
                }
            }
            if (advance > 1) {
                gapStart = extMax + 1;
                gapLength = (int) Math.min(Integer.MAX_VALUE, advance - 1);
            }
            extMax = ext;
            set(ext);
            unique++;
            return IN_ORDER;
        }
        if (extMax - ext >= WINDOW) {
            tooOld++;
            return TOO_OLD;
        }
        if (isSet(ext)) {
            duplicates++;
            return DUPLICATE;
        }
        set(ext);
        unique++;
        outOfOrder++;
        if (ext < firstExt) {
            firstExt = ext;
        }
        return OUT_OF_ORDER;
    }

    private void set(long ext) {
        int i = (int) Math.floorMod(ext, (long) WINDOW);
        bits[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(long ext) {
        int i = (int) Math.floorMod(ext, (long) WINDOW);
        bits[i >>> 6] &= ~(1L << (i & 63));
    }

    private boolean isSet(long ext) {
        int i = (int) Math.floorMod(ext, (long) WINDOW);
        return (bits[i >>> 6] & (1L << (i & 63))) != 0;
    }

    public boolean started() {
        return extMax != Long.MIN_VALUE;
    }

    /** Highest extended sequence number seen (the first one is the raw 16-bit value). */
    public long extendedMax() {
        return extMax;
    }

    public long firstExtended() {
        return firstExt;
    }

    /** Packets expected from the first to the highest sequence number. */
    public long expected() {
        return started() ? extMax - firstExt + 1 : 0;
    }

    /** Distinct packets received. */
    public long unique() {
        return unique;
    }

    /** Expected minus distinct received, never negative. */
    public long lost() {
        return Math.max(0, expected() - unique);
    }

    public long duplicates() {
        return duplicates;
    }

    /** Packets that arrived after a higher sequence number (reordered or retransmitted). */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Packets older than the window, not counted as received. */
    public long tooOld() {
        return tooOld;
    }

    /** First missing extended sequence number of the gap the last in-order packet opened. */
    public long gapStart() {
        return gapStart;
    }

    /** Missing packets before the last in-order packet (0 when it followed its predecessor). */
    public int gapLength() {
        return gapLength;
    }
}
