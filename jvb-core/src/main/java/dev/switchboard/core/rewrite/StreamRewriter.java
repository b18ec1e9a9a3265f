package dev.switchboard.core.rewrite;

import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtp.RtpFields;
import java.util.function.LongSupplier;

/**
 * Turns the packets of several source streams (the simulcast layers of one video source) into the single
 * continuous stream one receiver gets: one SSRC, sequence numbers without gaps of our making, timestamps that
 * only move forward (RFC 3550 section 5.1 semantics), and what the codec needs in the payload (a {@link
 * PayloadRewriter} the caller passes with each packet, chosen by its payload type: VP8 picture IDs; nothing for
 * H.264).
 *
 * <p>The caller names a target source ({@link #setTargetSource}); the rewriter keeps forwarding the current
 * source until a packet of the target arrives that starts a keyframe (the caller says so: {@code
 * keyframeStart}), and switches there. On a switch the output continues at the last sequence number sent
 * plus one, and at the last timestamp sent plus the wall-clock time since that packet in RTP clock units (at
 * least one tick). Packets of other sources, and packets older than the switch point, are dropped without
 * consuming output sequence numbers. Packets the caller drops by choice (e.g. a temporal layer it does not
 * forward) are reported with {@link #skip} so that they do not leave a gap either; a packet reordered across
 * such a drop still gets the number it would have had in order (the last 64 drops are remembered).
 * Sequence numbers wrap at 16 bits and timestamps at 32 bits.
 *
 * <p>Rewriting is in place (SSRC, sequence number, timestamp, payload via the codec's rewriter) on the caller's
 * copy. Upstream losses stay gaps: the receiver NACKs them. Allocation-free; not thread-safe (one per receiver
 * per forwarded video source, on the media loop).
 */
public final class StreamRewriter {
    /** No source: forward nothing. */
    public static final long NONE = -1;
    private static final int DROP_HISTORY = 64;
    /** Forwarded packets remembered for retransmissions (a power of two; the caches hold at most 512 too). */
    public static final int HISTORY = 512;

    private final long outputSsrc;
    private final int clockRate;
    private final LongSupplier nanoClock;

    private long targetSource = NONE;
    private long currentSource = NONE;
    /** Output = input + delta, modulo 2^16 / 2^32, for the current source. */
    private int seqDelta;
    private long tsDelta;
    /** Highest input sequence number of the current source, and the first one after the switch. */
    private int lastInSeq;
    private int segmentStartSeq;
    private boolean started;
    private int highestOutSeq;
    private long highestOutTs;
    private long highestOutTsAtNanos;
    private final int[] drops = new int[DROP_HISTORY];
    private int dropCount;
    private long forwarded;
    private long forwardedOctets;
    /** Per output sequence number (slot = seq mod HISTORY): how that packet was made, for retransmissions. */
    private final int[] historyOutSeq = new int[HISTORY];
    private final long[] historySource = new long[HISTORY];
    private final int[] historyInSeq = new int[HISTORY];
    private final long[] historyTsDelta = new long[HISTORY];
    private final PayloadRewriter[] historyPayload = new PayloadRewriter[HISTORY];
    private final long[] historyPayloadState = new long[HISTORY];

    /**
     * @param outputSsrc the SSRC the receiver sees
     * @param clockRate the RTP clock rate (90000 for video)
     */
    public StreamRewriter(long outputSsrc, int clockRate, LongSupplier nanoClock) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate);
        }
        this.outputSsrc = outputSsrc;
        this.clockRate = clockRate;
        this.nanoClock = nanoClock;
        java.util.Arrays.fill(historyOutSeq, -1);
    }

    /** The source to switch to at its next keyframe, or {@link #NONE} to stop forwarding at once. */
    public void setTargetSource(long ssrc) {
        targetSource = ssrc;
        if (ssrc == NONE) {
            currentSource = NONE;
        }
    }

    public long targetSource() {
        return targetSource;
    }

    /** The source being forwarded now, or {@link #NONE}. Receivers' keyframe requests map to it (or the target). */
    public long currentSource() {
        return currentSource;
    }

    /** Whether the rewriter waits for a keyframe of the target (the caller should request one). */
    public boolean isSwitchPending() {
        return targetSource != NONE && targetSource != currentSource;
    }

    public long outputSsrc() {
        return outputSsrc;
    }

    /** The highest output sequence number so far (meaningful once a packet was forwarded). */
    public int highestOutputSequenceNumber() {
        return highestOutSeq;
    }

    /** The highest output timestamp so far. */
    public long highestOutputTimestamp() {
        return highestOutTs;
    }

    public long forwardedCount() {
        return forwarded;
    }

    /** Payload octets forwarded (RFC 3550 sender's octet count: after the header, padding included). */
    public long forwardedOctets() {
        return forwardedOctets;
    }

    /**
     * A timestamp of the current source in the output timeline (e.g. the RTP time of the source's sender
     * report), or -1 when nothing is forwarded.
     */
    public long outputTimestamp(long sourceTimestamp) {
        return currentSource == NONE || !started ? -1 : (sourceTimestamp + tsDelta) & 0xFFFF_FFFFL;
    }

    /**
     * Decides about one RTP packet (a copy the caller owns) and rewrites it in place when it is forwarded.
     *
     * @param keyframeStart whether the packet is a switch point: the first of a keyframe ({@link
     *     VideoPayloadFormat#inspect})
     * @param payload the codec's rewriter of this stream for the packet's payload type ({@link
     *     PayloadRewriter#NONE} when there is nothing to rewrite)
     * @return true to forward the (rewritten) packet, false to drop it
     */
    public boolean rewrite(byte[] buf, int off, int len, boolean keyframeStart, PayloadRewriter payload) {
        int headerLength = RtpHeader.headerLength(buf, off, len);
        if (headerLength < 0) {
            return false;
        }
        long ssrc = RtpHeader.ssrc(buf, off);
        int seq = RtpHeader.sequenceNumber(buf, off);
        if (ssrc == targetSource && ssrc != currentSource && keyframeStart) {
            switchTo(ssrc, seq, RtpHeader.timestamp(buf, off), payload);
        }
        if (ssrc != currentSource || currentSource == NONE) {
            return false;
        }
        int ahead = (short) (seq - lastInSeq);
        int outSeq;
        if (ahead > 0) {
            lastInSeq = seq;
            outSeq = (seq + seqDelta) & 0xFFFF;
        } else {
            if ((short) (seq - segmentStartSeq) < 0 || wasDropped(seq)) {
                return false; // from before the switch, or a copy of a packet dropped by choice
            }
            outSeq = (seq + seqDelta + dropsAfter(seq)) & 0xFFFF;
        }
        long outTs = (RtpHeader.timestamp(buf, off) + tsDelta) & 0xFFFF_FFFFL;
        RtpFields.setSsrc(buf, off, outputSsrc);
        RtpFields.setSequenceNumber(buf, off, outSeq);
        RtpFields.setTimestamp(buf, off, outTs);
        if (!started || (short) (outSeq - highestOutSeq) > 0) {
            highestOutSeq = outSeq;
        }
        if (!started || (int) (outTs - highestOutTs) > 0) {
            highestOutTs = outTs;
            highestOutTsAtNanos = nanoClock.getAsLong();
        }
        started = true;
        int payloadLength = RtpFields.payloadLength(buf, off, len);
        if (payloadLength > 0) {
            payload.rewrite(buf, off + headerLength, payloadLength);
        }
        int slot = outSeq & (HISTORY - 1);
        historyOutSeq[slot] = outSeq;
        historySource[slot] = ssrc;
        historyInSeq[slot] = seq;
        historyTsDelta[slot] = tsDelta;
        historyPayload[slot] = payload;
        historyPayloadState[slot] = payload.state();
        forwarded++;
        forwardedOctets += len - headerLength;
        return true;
    }

    /**
     * Where the packet forwarded under output sequence number {@code outSeq} came from: a slot for {@link
     * #historySource}, {@link #historyInputSequenceNumber} and {@link #rewriteAgain}, or -1 when it is not
     * among the last {@link #HISTORY} forwarded (or was never sent). Receivers' NACKs name output numbers.
     */
    public int historySlot(int outSeq) {
        int slot = outSeq & (HISTORY - 1);
        return historyOutSeq[slot] == outSeq ? slot : -1;
    }

    /** The source SSRC of the packet in {@code slot}. */
    public long historySource(int slot) {
        return historySource[slot];
    }

    /** The input sequence number of the packet in {@code slot}. */
    public int historyInputSequenceNumber(int slot) {
        return historyInSeq[slot];
    }

    /**
     * Rewrites a copy of the original input packet of {@code slot} in place exactly as {@link #rewrite} did when
     * it was forwarded (SSRC, sequence number, timestamp, the payload as its codec's rewriter had it), so that a
     * retransmission is byte-identical to the original.
     */
    public void rewriteAgain(int slot, byte[] buf, int off, int len) {
        int headerLength = RtpHeader.headerLength(buf, off, len);
        if (headerLength < 0) {
            return;
        }
        RtpFields.setSsrc(buf, off, outputSsrc);
        RtpFields.setSequenceNumber(buf, off, historyOutSeq[slot]);
        RtpFields.setTimestamp(buf, off, (RtpHeader.timestamp(buf, off) + historyTsDelta[slot]) & 0xFFFF_FFFFL);
        int payloadLength = RtpFields.payloadLength(buf, off, len);
        if (payloadLength > 0 && historyPayload[slot] != null) {
            historyPayload[slot].reapply(buf, off + headerLength, payloadLength, historyPayloadState[slot]);
        }
    }

    /**
     * A packet of the current source the caller chose not to forward: the output numbering closes over it.
     * Packets of other sources are ignored (they never had output numbers).
     */
    public void skip(byte[] buf, int off, int len) {
        if (RtpHeader.headerLength(buf, off, len) < 0 || RtpHeader.ssrc(buf, off) != currentSource
                || currentSource == NONE) {
            return;
        }
        int seq = RtpHeader.sequenceNumber(buf, off);
        if ((short) (seq - lastInSeq) <= 0) {
            return; // older than what was numbered already: its output number stays a gap
        }
        lastInSeq = seq;
        seqDelta--;
        drops[dropCount++ % DROP_HISTORY] = seq;
    }

    private void switchTo(long ssrc, int seq, long ts, PayloadRewriter payload) {
        if (started) {
            seqDelta = (highestOutSeq + 1 - seq) & 0xFFFF;
            long elapsedNanos = Math.max(0, nanoClock.getAsLong() - highestOutTsAtNanos);
            long ticks = Math.max(1, elapsedNanos * clockRate / 1_000_000_000L);
            tsDelta = (highestOutTs + ticks - ts) & 0xFFFF_FFFFL;
            payload.onSourceSwitch();
        } else {
            seqDelta = 0;
            tsDelta = 0;
        }
        currentSource = ssrc;
        lastInSeq = (seq - 1) & 0xFFFF;
        segmentStartSeq = seq;
        dropCount = 0;
    }

    /** Drops by choice with a sequence number in (seq, lastInSeq]. */
    private int dropsAfter(int seq) {
        int n = 0;
        for (int i = 0; i < Math.min(dropCount, DROP_HISTORY); i++) {
            int distance = (short) (drops[i] - seq);
            if (distance > 0 && (short) (drops[i] - lastInSeq) <= 0) {
                n++;
            }
        }
        return n;
    }

    private boolean wasDropped(int seq) {
        for (int i = 0; i < Math.min(dropCount, DROP_HISTORY); i++) {
            if (drops[i] == seq) {
                return true;
            }
        }
        return false;
    }
}
