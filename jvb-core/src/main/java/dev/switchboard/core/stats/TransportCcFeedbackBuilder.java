package dev.switchboard.core.stats;

import dev.switchboard.core.rtcp.TransportCc;

/**
 * The receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01):
 * it records the transport-wide sequence number and arrival time of every RTP packet one endpoint sends us
 * and writes the transport-cc feedback packets that let that endpoint's send-side bandwidth estimation see
 * how its packets arrived.
 *
 * <p>Each feedback covers the packets from the end of the previous one up to the highest sequence number
 * received (16-bit wrap-around followed as an extended number): received ones with their receive delta, the
 * others as not received. A packet arriving after the feedback that reported it missing moves the start of
 * the next feedback back to it, so it is reported again, received this time (as libwebrtc's receiver does);
 * duplicates are ignored, and packets more than the history's capacity behind the highest are too old to
 * report. A
 * feedback stops early, and the next one continues, when it reaches {@link #MAX_PACKETS_PER_FEEDBACK}
 * packets or {@link #MAX_FEEDBACK_LENGTH} bytes, or when a receive delta does not fit the 16-bit field
 * (about 8 s between two arrivals).
 *
 * <p>Arrival times are in microseconds on any scale (the bridge uses its receive stamps); the reference time
 * of a feedback is the first received packet's arrival, rounded down to 64 ms, modulo 2^24 units. The
 * feedback packet count starts at 0 and increments per feedback (modulo 256).
 *
 * <p>The history is sized to need: it starts at {@link #INITIAL_HISTORY} packets and doubles, up to
 * {@link #HISTORY}, when the packets not yet flushed into a feedback (or a run of losses) no longer fit, so a
 * participant sending 150 packets/s keeps 4 KB instead of 32 KB for the whole call. Growing allocates, a few
 * times per endpoint; otherwise nothing is allocated. Not thread-safe: confined to the media loop of the
 * endpoint.
 */
public final class TransportCcFeedbackBuilder {
    /**
     * Most packets kept (a power of two): how far behind the highest a late packet can still be reported at
     * most. 2048 is 4 s of a publisher sending 500 packets/s (three simulcast layers, their RTX and audio),
     * against feedback every 50-100 ms.
     */
    public static final int HISTORY = 1 << 11;
    /** Packets kept at first: 1.7 s of audio and 1 Mbit/s video. */
    public static final int INITIAL_HISTORY = 1 << 8;
    public static final int MAX_PACKETS_PER_FEEDBACK = 500;
    /** Longest feedback packet written, well under a datagram with SRTCP overhead. */
    public static final int MAX_FEEDBACK_LENGTH = 1100;
    private int mask = INITIAL_HISTORY - 1;
    private long[] slotSequence = new long[INITIAL_HISTORY];
    private long[] slotArrivalUs = new long[INITIAL_HISTORY];
    private final byte[] symbols = new byte[MAX_PACKETS_PER_FEEDBACK];
    private final int[] deltas = new int[MAX_PACKETS_PER_FEEDBACK];
    private final TransportCc.Writer writer = new TransportCc.Writer(MAX_PACKETS_PER_FEEDBACK);

    /** Highest extended sequence number received, -1 before the first packet. */
    private long highest = -1;
    /** First extended sequence number the next feedback covers. */
    private long windowStart;
    private int feedbackPacketCount;

    public TransportCcFeedbackBuilder() {
        java.util.Arrays.fill(slotSequence, -1);
    }

    /** Records a packet carrying transport-wide sequence number {@code sequenceNumber}, received at {@code arrivalUs}. */
    public void onPacket(int sequenceNumber, long arrivalUs) {
        int seq = sequenceNumber & 0xFFFF;
        if (highest < 0) {
            highest = seq + (1L << 16); // one cycle up: late packets before the first stay positive
            windowStart = highest;
            store(highest, arrivalUs);
            return;
        }
        long extended = highest + (short) (seq - (int) (highest & 0xFFFF));
        if (extended > highest) {
            if (extended - windowStart > mask && mask + 1 < HISTORY) {
                grow(extended - windowStart + 1);
            }
            int capacity = mask + 1;
            if (extended - highest >= capacity) {
                windowStart = extended; // a jump past the whole history: nothing before it can be reported
            } else if (extended - windowStart >= capacity) {
                windowStart = extended - capacity + 1; // older ones were never flushed and are overwritten now
            }
            highest = extended;
        } else {
            int slot = (int) (extended & mask);
            if (highest - extended > mask || slotSequence[slot] == extended) {
                return; // too old to report, or a duplicate
            }
            if (extended < windowStart) {
                windowStart = extended;
            }
        }
        store(extended, arrivalUs);
    }

    /** Doubles the history until it holds {@code needed} packets (at most {@link #HISTORY}), keeping its entries. */
    private void grow(long needed) {
        int capacity = mask + 1;
        while (capacity < needed && capacity < HISTORY) {
            capacity *= 2;
        }
        long[] sequences = new long[capacity];
        long[] arrivals = new long[capacity];
        java.util.Arrays.fill(sequences, -1);
        int newMask = capacity - 1;
        for (int i = 0; i <= mask; i++) {
            long s = slotSequence[i];
            if (s >= 0) {
                sequences[(int) (s & newMask)] = s;
                arrivals[(int) (s & newMask)] = slotArrivalUs[i];
            }
        }
        slotSequence = sequences;
        slotArrivalUs = arrivals;
        mask = newMask;
    }

    /** How many packets the history holds now. */
    public int capacity() {
        return mask + 1;
    }

    private void store(long extended, long arrivalUs) {
        int slot = (int) (extended & mask);
        slotSequence[slot] = extended;
        slotArrivalUs[slot] = arrivalUs;
    }

    /** Packets (received or not) the next feedbacks will cover. */
    public int pendingPackets() {
        return highest < 0 || windowStart > highest ? 0 : (int) (highest - windowStart + 1);
    }

    /** The feedback packet count the next feedback carries. */
    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }

    /**
     * Writes the next feedback packet at {@code off} (room for {@link #MAX_FEEDBACK_LENGTH} bytes needed) and
     * moves on past the packets it covers. Call again while {@link #pendingPackets()} is not 0 to flush
     * everything.
     *
     * @return its length, or 0 when nothing is pending
     */
    public int writeFeedback(byte[] out, int off, long senderSsrc, long mediaSsrc) {
        if (pendingPackets() == 0) {
            return 0;
        }
        long referenceTicks = -1;
        for (long s = windowStart; s <= highest; s++) {
            if (received(s)) {
                referenceTicks = Math.floorDiv(slotArrivalUs[(int) (s & mask)], TransportCc.REFERENCE_TIME_UNIT_US);
                break;
            }
        }
        // highest is always received, so there is a reference
        long previousUs = referenceTicks * TransportCc.REFERENCE_TIME_UNIT_US;
        int count = 0;
        int lastReceived = -1;
        int deltaBytes = 0;
        for (long s = windowStart; s <= highest && count < MAX_PACKETS_PER_FEEDBACK; s++) {
            if (!received(s)) {
                symbols[count] = TransportCc.SYMBOL_NOT_RECEIVED;
                deltas[count++] = 0;
                continue;
            }
            long delta = Math.floorDiv(slotArrivalUs[(int) (s & mask)] - previousUs, TransportCc.DELTA_UNIT_US);
            if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                break; // too far from the previous arrival: the next feedback starts here with a new reference
            }
            boolean small = delta >= 0 && delta <= 255;
            if (TransportCc.Writer.maxLength(count + 1, deltaBytes + (small ? 1 : 2)) > MAX_FEEDBACK_LENGTH) {
                break;
            }
            symbols[count] = (byte) (small ? TransportCc.SYMBOL_SMALL_DELTA : TransportCc.SYMBOL_LARGE_DELTA);
            deltas[count] = (int) delta;
            deltaBytes += small ? 1 : 2;
            previousUs += delta * TransportCc.DELTA_UNIT_US;
            lastReceived = count++;
        }
        if (lastReceived >= 0) {
            count = lastReceived + 1; // trailing losses wait for the next feedback, which starts with them
        }
        int referenceTime = (int) (referenceTicks << 40 >> 40);
        int length = writer.write(out, off, senderSsrc, mediaSsrc, (int) (windowStart & 0xFFFF), referenceTime,
                feedbackPacketCount, symbols, deltas, count);
        feedbackPacketCount = (feedbackPacketCount + 1) & 0xFF;
        windowStart += count;
        return length;
    }

    private boolean received(long extended) {
        return slotSequence[(int) (extended & mask)] == extended;
    }
}
