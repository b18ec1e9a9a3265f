package dev.switchboard.core.stats;

import dev.switchboard.core.rtcp.ReportBlock;

/**
 * Reception statistics of one incoming RTP stream (one SSRC), as RFC 3550 defines them for a receiver report
 * block (section 6.4.1): the extended highest sequence number (appendix A.1: 16-bit wrap-around counted in
 * cycles, large jumps accepted only when two sequential packets confirm them, reordered and duplicate
 * packets counted as received without moving the highest), the packets expected and lost (cumulative and as
 * a fraction since the previous report, appendix A.3), the interarrival jitter (appendix A.8) and the
 * LSR/DLSR pair from the sender's last SR.
 *
 * <p>Arrival times are nanoseconds from the caller's clock (the socket thread's receive stamp); they are
 * converted to the stream's RTP clock rate (48000 for audio, 90000 for video) for the jitter. The jitter is
 * updated from packets that advance the sequence (not from reordered ones or retransmissions of old ones).
 *
 * <p>Allocation-free per packet; {@link #report} builds a record (once per report interval). Not thread-safe.
 */
public final class ReceiveStreamStatistics {
    private static final int SEQ_MOD = 1 << 16;
    /** RFC 3550 A.1: a forward jump below this is a gap, not a restart. */
    private static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1: a backward jump below this is a reordered packet. */
    private static final int MAX_MISORDER = 100;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ssrc;
    private final int clockRate;

    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    /** The sequence number a large jump has to be followed by to be accepted as a restart (A.1), or -1. */
    private int badSeq = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private long originNanos;
    private int lastTransit;
    private boolean haveTransit;
    /** Jitter times 16, as in the integer version of A.8. */
    private long jitterQ4;

    private long lastPacketNanos;
    private long lastSrCompactNtp;
    private long lastSrArrivalNanos;
    private boolean haveSr;

    /**
     * @param ssrc the stream's SSRC
     * @param clockRate its RTP timestamp rate in Hz (48000 for Opus audio, 90000 for video)
     */
    public ReceiveStreamStatistics(long ssrc, int clockRate) {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || clockRate <= 0) {
            throw new IllegalArgumentException("ssrc " + ssrc + " clock rate " + clockRate);
        }
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    public long ssrc() {
        return ssrc;
    }

    public int clockRate() {
        return clockRate;
    }

    /** Records a received (authenticated) RTP packet of this stream. */
    public void onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        int seq = sequenceNumber & 0xFFFF;
        lastPacketNanos = arrivalNanos;
        if (!started) {
            started = true;
            originNanos = arrivalNanos;
            restart(seq);
            received = 1;
            updateJitter(rtpTimestamp, arrivalNanos);
            return;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (udelta == 0) {
            received++; // a duplicate: counted as received (A.1), so it can make the loss negative
            return;
        }
        if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
            badSeq = -1;
            updateJitter(rtpTimestamp, arrivalNanos);
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            // a very large jump: a restart of the sender, or a stray packet; the next packet decides
            if (seq != badSeq) {
                badSeq = (seq + 1) & 0xFFFF;
                return;
            }
            restart(seq);
            haveTransit = false;
            updateJitter(rtpTimestamp, arrivalNanos);
        }
        // else: reordered or an old retransmission, counted but it neither moves the highest nor the jitter
        received++;
    }

    private void restart(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = -1;
        cycles = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
    }

    /** RFC 3550 A.8, in integer arithmetic on the 32-bit RTP timestamp scale. */
    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        int arrival = (int) toClockUnits(arrivalNanos - originNanos);
        int transit = arrival - (int) rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs((long) (transit - lastTransit));
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
    }

    private long toClockUnits(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long rest = Math.floorMod(nanos, NANOS_PER_SECOND);
        return seconds * clockRate + rest * clockRate / NANOS_PER_SECOND;
    }

    /**
     * Records an SR from the stream's sender: {@code compactNtp} is the middle 32 bits of its NTP timestamp
     * ({@code SenderReport.compactNtp()}), reported back as LSR, with the delay since its arrival as DLSR.
     */
    public void onSenderReport(long compactNtp, long arrivalNanos) {
        lastSrCompactNtp = compactNtp & 0xFFFF_FFFFL;
        lastSrArrivalNanos = arrivalNanos;
        haveSr = true;
    }

    /** Whether any packet was received. */
    public boolean hasReceived() {
        return started;
    }

    /** Arrival time of the latest packet (meaningful once {@link #hasReceived()}). */
    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    /** Packets received since the start (or the last restart), duplicates and reordered ones included. */
    public long received() {
        return received;
    }

    /** Extended highest sequence number received: cycles in the high 16 bits (A.1), modulo 2^32. */
    public long extendedHighestSequenceNumber() {
        return (cycles + maxSeq) & 0xFFFF_FFFFL;
    }

    /** Packets expected: from the first sequence number to the extended highest (A.3). */
    public long expected() {
        return started ? cycles + maxSeq - baseSeq + 1 : 0;
    }

    /** Expected minus received; negative when duplicates arrived (A.3). Not clamped. */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Interarrival jitter in RTP timestamp units (A.8). */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /**
     * The report block for this stream now, and the start of the next report interval (the fraction lost is
     * measured from one call to the next). Cumulative loss is clamped to the signed 24-bit field.
     */
    public ReportBlock report(long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0
                ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        long lost = Math.max(ReportBlock.MIN_CUMULATIVE_LOST,
                Math.min(ReportBlock.MAX_CUMULATIVE_LOST, cumulativeLost()));
        long lsr = 0;
        long dlsr = 0;
        if (haveSr) {
            lsr = lastSrCompactNtp;
            long since = Math.max(0, nowNanos - lastSrArrivalNanos);
            // 1/65536 s units; 2^32 of them (18.2 h) is the most the field holds
            dlsr = since >= 65_536L * NANOS_PER_SECOND ? 0xFFFF_FFFFL : (since << 16) / NANOS_PER_SECOND;
        }
        return new ReportBlock(ssrc, fraction, (int) lost, extendedHighestSequenceNumber(),
                Math.min(jitter(), 0xFFFF_FFFFL), lsr, dlsr);
    }
}
