package dev.switchboard.core.bwe;

/**
 * What the bridge sent one receiver, by the transport-wide sequence number it gave each packet (one counter
 * per receiver transport, {@link #next}): send time, size, and the packet's SSRC and RTP sequence number. Feedback
 * looks packets up by transport-wide number ({@link #slot}); a retransmission that must repeat a packet byte for
 * byte finds the number that packet was sent with ({@link #find}).
 *
 * <p>A ring sized to need: it starts at {@link #INITIAL_CAPACITY} entries (26 bytes each) and doubles, up to
 * {@link #MAX_CAPACITY}, whenever the entry about to be overwritten was sent less than {@link #KEEP_NANOS} ago,
 * so it holds at least the last second of packets at any rate up to 16,384 packets/s (a receiver of a 10-party
 * room: about 1,400 packets/s, 2,048 entries, 53 KB; a 1:1 call: 256 entries, 7 KB). Everything it keeps
 * lives as long as the receiver, so a smaller ring is less for the young collections after a join to copy.
 *
 * <p>Media loop only. A slot index is valid until the next {@link #next}/{@link #nextInCluster} (which may grow
 * the ring); growing allocates, a handful of times per receiver, never at steady state.
 */
public final class SendHistory {
    public static final int UNREPORTED = 0;
    public static final int LOST = 1;
    public static final int RECEIVED = 2;
    public static final int INITIAL_CAPACITY = 1 << 8;
    public static final int MAX_CAPACITY = 1 << 14;
    /** An entry younger than this is not overwritten while the ring may still grow. */
    public static final long KEEP_NANOS = 1_000_000_000L;

    private int mask = INITIAL_CAPACITY - 1;
    /** Unwrapped transport-wide number stored in each slot, -1 when empty. */
    private long[] number = new long[INITIAL_CAPACITY];
    private long[] sendNanos = new long[INITIAL_CAPACITY];
    private int[] size = new int[INITIAL_CAPACITY];
    private int[] ssrc = new int[INITIAL_CAPACITY];
    private char[] rtpSeq = new char[INITIAL_CAPACITY];
    /** What feedback reported of each packet so far: {@link #UNREPORTED}, {@link #LOST} or {@link #RECEIVED}. */
    private byte[] reported = new byte[INITIAL_CAPACITY];
    /** The {@link ProbeCluster} id each packet was sent in, 0 for media. */
    private byte[] cluster = new byte[INITIAL_CAPACITY];
    /** The next unwrapped number to give. */
    private long nextNumber;

    public SendHistory() {
        java.util.Arrays.fill(number, -1);
    }

    /** How many entries the ring has now. */
    public int capacity() {
        return mask + 1;
    }

    /** Gives the next transport-wide sequence number (16 bits on the wire) to a packet sent now and records it. */
    public int next(long ssrc, int rtpSequenceNumber, int size, long sendNanos) {
        return nextInCluster(ssrc, rtpSequenceNumber, size, sendNanos, 0);
    }

    /** Like {@link #next}, for a probe packet of {@link ProbeCluster} {@code clusterId} (1..255). */
    public int nextInCluster(long ssrc, int rtpSequenceNumber, int size, long sendNanos, int clusterId) {
        long n = nextNumber++;
        int i = record(n, ssrc, rtpSequenceNumber, size, sendNanos);
        cluster[i] = (byte) clusterId;
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

    private int record(long n, long packetSsrc, int seq, int bytes, long nanos) {
        int i = (int) (n & mask);
        if (number[i] >= 0 && nanos - sendNanos[i] < KEEP_NANOS && mask + 1 < MAX_CAPACITY) {
            grow();
            i = (int) (n & mask);
        }
        number[i] = n;
        sendNanos[i] = nanos;
        size[i] = bytes;
        ssrc[i] = (int) packetSsrc;
        rtpSeq[i] = (char) seq;
        reported[i] = UNREPORTED;
        return i;
    }

    /** Doubles the ring, moving every entry to its slot under the new mask. */
    private void grow() {
        int capacity = (mask + 1) * 2;
        int newMask = capacity - 1;
        long[] number2 = new long[capacity];
        long[] sendNanos2 = new long[capacity];
        int[] size2 = new int[capacity];
        int[] ssrc2 = new int[capacity];
        char[] rtpSeq2 = new char[capacity];
        byte[] reported2 = new byte[capacity];
        byte[] cluster2 = new byte[capacity];
        java.util.Arrays.fill(number2, -1);
        for (int i = 0; i <= mask; i++) {
            long n = number[i];
            if (n >= 0) {
                int j = (int) (n & newMask);
                number2[j] = n;
                sendNanos2[j] = sendNanos[i];
                size2[j] = size[i];
                ssrc2[j] = ssrc[i];
                rtpSeq2[j] = rtpSeq[i];
                reported2[j] = reported[i];
                cluster2[j] = cluster[i];
            }
        }
        number = number2;
        sendNanos = sendNanos2;
        size = size2;
        ssrc = ssrc2;
        rtpSeq = rtpSeq2;
        reported = reported2;
        cluster = cluster2;
        mask = newMask;
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
        if (n < 0 || n > newest || newest - n > mask) {
            return -1;
        }
        int i = (int) (n & mask);
        return number[i] == n ? i : -1;
    }

    /**
     * The newest slot holding the packet of {@code ssrc} with RTP sequence number {@code rtpSequenceNumber},
     * or -1: a backwards scan of at most {@code maxScan} entries (NACK answers only, control rate).
     */
    public int find(long packetSsrc, int rtpSequenceNumber, int maxScan) {
        long stop = Math.max(0, nextNumber - Math.min(maxScan, mask + 1));
        for (long n = nextNumber - 1; n >= stop; n--) {
            int i = (int) (n & mask);
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
