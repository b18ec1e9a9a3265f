package dev.switchboard.bench.media;

/**
 * The benchmark's 16-byte trailer at the end of every RTP payload it sends: magic "SBNC", flags (bit 0:
 * retransmission after a NACK), 3 reserved bytes, and the sender's {@link System#nanoTime()} when the packet
 * left. Generator senders and receivers are one process, so the difference is a one-way latency on one
 * clock.
 */
public final class Probe {
    public static final int LENGTH = 16;
    public static final int FLAG_RETRANSMISSION = 1;
    private static final int MAGIC = 0x53424E43; // "SBNC"

    private Probe() {}

    /** Writes the trailer so that it ends at {@code end}. */
    public static void write(byte[] b, int end, long sendNanos, int flags) {
        int off = end - LENGTH;
        Bytes.put32(b, off, MAGIC);
        b[off + 4] = (byte) flags;
        b[off + 5] = 0;
        b[off + 6] = 0;
        b[off + 7] = 0;
        Bytes.put64(b, off + 8, sendNanos);
    }

    /** Sets or clears flags on an existing trailer ending at {@code end}. */
    public static void setFlags(byte[] b, int end, int flags) {
        b[end - LENGTH + 4] = (byte) flags;
    }

    /** Whether a trailer ends at {@code end} (and fits after {@code payloadStart}). */
    public static boolean present(byte[] b, int payloadStart, int end) {
        return end - payloadStart >= LENGTH && (int) Bytes.u32(b, end - LENGTH) == MAGIC;
    }

    public static int flags(byte[] b, int end) {
        return b[end - LENGTH + 4] & 0xFF;
    }

    public static long sendNanos(byte[] b, int end) {
        return Bytes.u64(b, end - LENGTH + 8);
    }
}
