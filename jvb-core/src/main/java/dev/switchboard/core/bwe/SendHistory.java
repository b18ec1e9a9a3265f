package dev.switchboard.core.bwe;

/**
 * What the bridge sent one receiver, by the transport-wide sequence number it gave each packet (one counter
 * per receiver transport, {@link #next}): send time, size, and the packet's SSRC and RTP sequence number. A
 * preallocated ring of {@link #CAPACITY} entries (about 110 KB; at 1000 packets/s toward one receiver, 4 s); older
 * entries are overwritten. Feedback looks packets up by transport-wide number ({@link #slot}); a retransmission
 * that must repeat a packet byte for byte finds the number that packet was sent with ({@link #find}).
 *
 * <p>Media loop only; allocation-free.
 */
public final class SendHistory {
    public static final int UNREPORTED = 0;
    public static final int LOST = 1;
    public static final int RECEIVED = 2;
    public static final int CAPACITY = 1 << 12;
    private static final int MASK = CAPACITY - 1;

    /** Unwrapped transport-wide number stored in each slot, -1 when empty. */
    private final long[] number = new long[CAPACITY];
    private final long[] sendNanos = new long[CAPACITY];
    private final int[] size = new int[CAPACITY];
    private final int[] ssrc = new int[CAPACITY];
    private final char[] rtpSeq = new char[CAPACITY];
    /** What feedback reported of each packet so far: {@link #UNREPORTED}, {@link #LOST} or {@link #RECEIVED}. */
    private final byte[] reported = new byte[CAPACITY];
    /** The {@link ProbeCluster} id each packet was sent in, 0 for media. */
    private final byte[] cluster = new byte[CAPACITY];
    /** The next unwrapped number to give. */
    private long nextNumber;

    public SendHistory() {
        java.util.Arrays.fill(number, -1);
    }

    /** Gives the next transport-wide sequence number (16 bits on the wire) to a packet sent now and records it. */
    public int next(long ssrc, int rtpSequenceNumber, int size, long sendNanos) {
        return nextInCluster(ssrc, rtpSequenceNumber, size, sendNanos, 0);
    }

    /** Like {@link #next}, for a probe packet of {@link ProbeCluster} {@code clusterId} (1..255). */
    public int nextInCluster(long ssrc, int rtpSequenceNumber, int size, long sendNanos, int clusterId) {
        long n = nextNumber++;
        record(n, ssrc, rtpSequenceNumber, size, sendNanos);
        cluster[(int) (n & MASK)] = (byte) clusterId;
        return (int) (n & 0xFFFF);
    }

    /**
     * Records a packet sent again under an old number ({@link #find}: a byte-identical retransmission): its
     * new send time and size, unacknowledged again.
     */
    public void resent(int slot, long sendNanos) {
        this.sendNanos[slot] = sendNanos;
        reported[slot] = UNREPORTED;
    }

    private void record(long n, long packetSsrc, int seq, int bytes, long nanos) {
        int i = (int) (n & MASK);
        number[i] = n;
        sendNanos[i] = nanos;
        size[i] = bytes;
        ssrc[i] = (int) packetSsrc;
        rtpSeq[i] = (char) seq;
        reported[i] = UNREPORTED;
    }

    /**
     * The slot of the packet sent with 16-bit transport-wide number {@code seq}, or -1 when it is not in the
     * history (never sent, or overwritten). The number is taken as the one closest to the newest given.
     */
    public int slot(int seq) {
        if (nextNumber == 0) {
            return -1;
        }
        long newest = nextNumber - 1;
        long n = newest + (short) ((seq - (int) newest) & 0xFFFF); // nearest unwrapped value
        if (n < 0 || n > newest || newest - n >= CAPACITY) {
            return -1;
        }
        int i = (int) (n & MASK);
        return number[i] == n ? i : -1;
    }

    /**
     * The newest slot holding the packet of {@code ssrc} with RTP sequence number {@code rtpSequenceNumber},
     * or -1: a backwards scan of at most {@code maxScan} entries (NACK answers only, control rate).
     */
    public int find(long packetSsrc, int rtpSequenceNumber, int maxScan) {
        long stop = Math.max(0, nextNumber - Math.min(maxScan, CAPACITY));
        for (long n = nextNumber - 1; n >= stop; n--) {
            int i = (int) (n & MASK);
            if (number[i] != n) {
                return -1;
            }
            if (ssrc[i] == (int) packetSsrc && rtpSeq[i] == rtpSequenceNumber) {
                return i;
            }
        }
        return -1;
    }

    /** The probe cluster a slot's packet was sent in (1..255), or 0 for media. */
    public int cluster(int slot) {
        return cluster[slot] & 0xFF;
    }

    /** The 16-bit transport-wide number of a slot. */
    public int sequenceNumber(int slot) {
        return (int) (number[slot] & 0xFFFF);
    }

    public long sendNanos(int slot) {
        return sendNanos[slot];
    }

    public int size(int slot) {
        return size[slot];
    }

    /** What feedback reported of the packet so far ({@link #UNREPORTED}, {@link #LOST}, {@link #RECEIVED}). */
    public int reported(int slot) {
        return reported[slot];
    }

    public void setReported(int slot, int state) {
        reported[slot] = (byte) state;
    }

    /** How many numbers were given so far. */
    public long sent() {
        return nextNumber;
    }
}
