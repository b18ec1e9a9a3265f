package dev.switchboard.bench.gen;

import dev.switchboard.bench.media.LatencyHistogram;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the generator's participants counted in one phase of a run. */
public final class GeneratorStats {
    /** Loss accounting of one media kind, over the measured window and the drain after it. */
    public static final class Loss {
        public long expected;
        public long received;
        public long duplicates;
        public long outOfOrder;
        public long tooOld;
        public long retransmissions;

        public long lost() {
            return Math.max(0, expected - received);
        }

        public double lossRate() {
            return expected == 0 ? 0 : (double) lost() / expected;
        }
    }

    public int participants;
    public int connected;
    public Map<String, Integer> failures = Map.of();
    public List<Double> joinConnectedMs = List.of();
    /** Join start (WebSocket connect) to the first answer. */
    public List<Double> joinAnswerMs = List.of();
    /** Join start to the first ICE Binding Success Response. */
    public List<Double> joinIceMs = List.of();
    /** Join start to the server's first DTLS record (its answer to our ClientHello). */
    public List<Double> joinDtlsResponseMs = List.of();
    public List<Double> joinFirstMediaMs = List.of();
    public LatencyHistogram latency = new LatencyHistogram();
    public final Loss audioLoss = new Loss();
    public final Loss videoLoss = new Loss();
    public double windowSeconds;
    public long windowPackets;
    public long windowBytes;
    public long sentRtp;
    public long sentRtcp;
    public long sentBytes;
    public long sendErrors;
    public long protectFailures;
    public long retransmissionsSent;
    public long retransmissionsSkipped;
    public long keyFramesSent;
    public long keyFramesReceived;
    public long vp8Errors;
    public long rtpReceived;
    public long rtcpReceived;
    public long unprotectFailures;
    public long plisReceived;
    public long firsReceived;
    public long nacksReceived;
    public long foreignPackets;
    public long readErrors;
    public long signalingErrors;
    public long stunErrors;
    public long stunRequestsAnswered;
    public long sendLoopLateWakeups;
    public double sendLoopMaxLatenessMs;
    /** Per receiving participant: "senderIndex/kind" to RTP packets received from that stream (all layers). */
    public final Map<Integer, Map<String, Long>> receivedFromPeers = new TreeMap<>();

    public Loss totalLoss() {
        Loss t = new Loss();
        for (Loss l : new Loss[] {audioLoss, videoLoss}) {
            t.expected += l.expected;
            t.received += l.received;
            t.duplicates += l.duplicates;
            t.outOfOrder += l.outOfOrder;
            t.tooOld += l.tooOld;
            t.retransmissions += l.retransmissions;
        }
        return t;
    }

    /** The q-quantile of a sorted list (nearest rank), or NaN when empty. */
    public static double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
