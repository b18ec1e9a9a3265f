package dev.switchboard.bench.gen;

import dev.switchboard.bench.media.SeqTracker;

/**
 * One stream a participant receives. Written by its receive loop only; the send loop reads a few fields for
 * RTCP receiver reports (plain fields: a stale value only makes a report slightly old).
 */
final class RxStream {
    final long ssrc;
    final StreamInfo info;
    final boolean video;
    final int clockRate;
    final SeqTracker seq = new SeqTracker();
    long packets;
    long bytes;
    long retransmissionsReceived;
    long keyFrames;
    long vp8Errors;
    boolean waitingKeyFrame;
    long lastPliNanos;
    long lastNackNanos = Long.MIN_VALUE / 2;
    // RFC 3550 interarrival jitter, in RTP clock units
    double jitter;
    private long lastTransit;
    private boolean haveTransit;
    // last SR from this SSRC: middle 32 bits of its NTP time and when it arrived
    volatile long lastSrNtpMiddle;
    volatile long lastSrArrivalNanos;
    // send loop only: for the fraction lost of consecutive reports
    long reportedExpected;
    long reportedReceived;

    // marks taken by the receive loop when the runner asks
    boolean startMarked;
    long startExtMax;
    long startUnique;
    long startDuplicates;
    long startOutOfOrder;
    long startPackets;
    long startBytes;
    long startRetransmissions;
    long endPackets;
    long endBytes;
    boolean finalMarked;
    long finalExpected;
    long finalUnique;
    long finalDuplicates;
    long finalOutOfOrder;
    long finalTooOld;
    long finalRetransmissions;

    RxStream(long ssrc, StreamInfo info) {
        this.ssrc = ssrc;
        this.info = info;
        this.video = info != null && StreamInfo.VIDEO.equals(info.kind());
        this.clockRate = video ? 90_000 : 48_000;
        this.waitingKeyFrame = video;
    }

    void updateJitter(long arrivalNanos, long rtpTimestamp) {
        long arrival = (long) (arrivalNanos * (clockRate / 1e9));
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < clockRate) { // ignore timestamp jumps (e.g. wrap) bigger than a second
                jitter += (d - jitter) / 16.0;
            }
        }
        lastTransit = transit;
        haveTransit = true;
    }

    void markStart() {
        startMarked = seq.started();
        startExtMax = seq.extendedMax();
        startUnique = seq.unique();
        startDuplicates = seq.duplicates();
        startOutOfOrder = seq.outOfOrder();
        startPackets = packets;
        startBytes = bytes;
        startRetransmissions = retransmissionsReceived;
    }

    void markEnd() {
        endPackets = packets;
        endBytes = bytes;
    }

    void markFinal() {
        finalMarked = true;
        if (startMarked) {
            finalExpected = seq.extendedMax() - startExtMax;
            finalUnique = seq.unique() - startUnique;
            finalDuplicates = seq.duplicates() - startDuplicates;
            finalOutOfOrder = seq.outOfOrder() - startOutOfOrder;
            finalRetransmissions = retransmissionsReceived - startRetransmissions;
        } else {
            finalExpected = seq.expected();
            finalUnique = seq.unique();
            finalDuplicates = seq.duplicates();
            finalOutOfOrder = seq.outOfOrder();
            finalRetransmissions = retransmissionsReceived;
        }
        finalTooOld = seq.tooOld();
    }
}
