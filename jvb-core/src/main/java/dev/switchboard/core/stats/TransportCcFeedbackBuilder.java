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
 * duplicates are ignored, and packets more than {@link #HISTORY} behind the highest are too old to report. A
 * feedback stops early, and the next one continues, when it reaches {@link #MAX_PACKETS_PER_FEEDBACK}
 * packets or {@link #MAX_FEEDBACK_LENGTH} bytes, or when a receive delta does not fit the 16-bit field
 * (about 8 s between two arrivals).
 *
 * <p>Arrival times are in microseconds on any scale (the bridge uses its receive stamps); the reference time
 * of a feedback is the first received packet's arrival, rounded down to 64 ms, modulo 2^24 units. The
 * feedback packet count starts at 0 and increments per feedback (modulo 256).
 *
 * <p>Allocation-free after construction. Not thread-safe: confined to the media loop of the endpoint.
 */
public final class TransportCcFeedbackBuilder {
    /**
     * Packets kept (a power of two): how far behind the highest a late packet can still be reported. 2048 is
     * 4 s of a publisher sending 500 packets/s (three simulcast layers, their RTX and audio), against feedback
     * every 50-100 ms; it was 4096, and the arrays are kept per participant for the whole call (32 KB less each).
     */
    public static final int HISTORY = 1 << 11;
    public static final int MAX_PACKETS_PER_FEEDBACK = 500;
    /** Longest feedback packet written, well under a datagram with SRTCP overhead. */
    public static final int MAX_FEEDBACK_LENGTH = 1100;
    private static final int MASK = HISTORY - 1;

    private final long[] slotSequence = new long[HISTORY];
    private final long[] slotArrivalUs = new long[HISTORY];
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
        int slot = (int) (extended & MASK);
        if (extended > highest) {
            if (extended - highest >= HISTORY) {
                windowStart = extended; // a jump past the whole history: nothing before it can be reported
            } else if (extended - windowStart >= HISTORY) {
                windowStart = extended - HISTORY + 1; // older ones were never flushed and are overwritten now
            }
            highest = extended;
        } else {
            if (highest - extended >= HISTORY || slotSequence[slot] == extended) {
                return; // too old to report, or a duplicate
            }
            if (extended < windowStart) {
                windowStart = extended;
            }
        }
        store(extended, arrivalUs);
    }

    private void store(long extended, long arrivalUs) {
        int slot = (int) (extended & MASK);
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
                referenceTicks = Math.floorDiv(slotArrivalUs[(int) (s & MASK)], TransportCc.REFERENCE_TIME_UNIT_US);
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
            long delta = Math.floorDiv(slotArrivalUs[(int) (s & MASK)] - previousUs, TransportCc.DELTA_UNIT_US);
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
        return slotSequence[(int) (extended & MASK)] == extended;
    }
}
