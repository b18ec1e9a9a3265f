package dev.switchboard.core.bwe;

/**
 * One bandwidth probe cluster toward a receiver (the probing that GCC implementations add to the delay- and
 * loss-based controllers of draft-ietf-rmcat-gcc): {@link #packets()} packets of {@link #packetSize()} bytes paced at
 * {@link #targetBps()} for about {@link #DURATION_NANOS}, whose arrival times transport-cc feedback reports.
 * The rate the receiver got them at ({@code (received - 1) * size} over the span of their arrival times) is
 * what its downlink carried; when it kept up with the rate they were sent at (no queue grew) and hardly any was
 * lost, the link can carry at least that rate ({@link #resultBps}).
 *
 * <p>Reused from cluster to cluster; media loop only; allocation-free.
 */
public final class ProbeCluster {
    /** How long a cluster lasts at its target rate (at least {@link #MIN_PACKETS} packets). */
    public static final long DURATION_NANOS = 30_000_000L;
    public static final int MIN_PACKETS = 6;
    /** More lost than this fraction of the packets: failed. */
    static final double MAX_LOSS = 0.1;
    /** The receive rate must be at least this fraction of the send rate: below, a queue grew on the way. */
    static final double MIN_DELIVERY = 0.9;

    private int id;
    private long targetBps;
    private int packetSize;
    private int packets;
    private long startNanos;
    private int sent;
    private long firstSendNanos;
    private long lastSendNanos;
    private int received;
    private int lost;
    private long firstArrivalUs;
    private long lastArrivalUs;

    /** Starts cluster {@code id} (1..255): packets of {@code packetSize} bytes at {@code targetBps}, from now. */
    public void start(int id, long targetBps, int packetSize, long nowNanos) {
        if (id < 1 || id > 255 || targetBps <= 0 || packetSize <= 0) {
            throw new IllegalArgumentException("cluster " + id + " at " + targetBps + " bit/s of " + packetSize);
        }
        this.id = id;
        this.targetBps = targetBps;
        this.packetSize = packetSize;
        this.packets = packetCount(targetBps, packetSize);
        this.startNanos = nowNanos;
        sent = 0;
        received = 0;
        lost = 0;
        firstArrivalUs = Long.MAX_VALUE;
        lastArrivalUs = Long.MIN_VALUE;
    }

    /** Bytes a cluster at {@code targetBps} sends. */
    public static long bytes(long targetBps, int packetSize) {
        return (long) packetCount(targetBps, packetSize) * packetSize;
    }

    private static int packetCount(long targetBps, int packetSize) {
        return Math.max(MIN_PACKETS, (int) Math.ceil(targetBps * (DURATION_NANOS / 1e9) / 8 / packetSize));
    }

    /** Whether the next packet is due at {@code nowNanos}: packet i goes {@code i * size * 8 / rate} after start. */
    public boolean due(long nowNanos) {
        return sent < packets && nowNanos - (startNanos + (long) (sent * packetSize * 8e9 / targetBps)) >= 0;
    }

    /** The next packet went out. */
    public void onSent(long nowNanos) {
        if (sent == 0) {
            firstSendNanos = nowNanos;
        }
        lastSendNanos = nowNanos;
        sent++;
    }

    public boolean allSent() {
        return sent >= packets;
    }

    /**
     * Feedback reports one of this cluster's packets: received at {@code arrivalUs} (once; {@code wasLost}: an
     * earlier feedback reported it lost), or lost (once, before any report of it).
     */
    public void onReport(boolean wasReceived, long arrivalUs, boolean wasLost) {
        if (wasReceived) {
            if (wasLost) {
                lost--;
            }
            received++;
            firstArrivalUs = Math.min(firstArrivalUs, arrivalUs);
            lastArrivalUs = Math.max(lastArrivalUs, arrivalUs);
        } else {
            lost++;
        }
    }

    /** Whether feedback has reported every packet sent (received or lost). */
    public boolean allReported() {
        return allSent() && received + lost >= sent;
    }

    /** Send rate over the cluster, bit/s (0 when it cannot be told). */
    public double sendBps() {
        long span = lastSendNanos - firstSendNanos;
        return sent < 2 || span <= 0 ? 0 : (sent - 1) * packetSize * 8e9 / span;
    }

    /** Receive rate over the cluster, bit/s (0 when it cannot be told). */
    public double receiveBps() {
        long spanUs = lastArrivalUs - firstArrivalUs;
        return received < 2 || spanUs <= 0 ? 0 : (received - 1) * packetSize * 8e6 / spanUs;
    }

    /**
     * What the cluster proved the link carries, bit/s: the smaller of the send and receive rates, when at most
     * {@link #MAX_LOSS} of the packets sent were lost (or not reported) and the receive rate kept up with the
     * send rate ({@link #MIN_DELIVERY}); else -1 (failed).
     */
    public long resultBps() {
        int missing = sent - received;
        if (sent < MIN_PACKETS || missing > MAX_LOSS * sent) {
            return -1;
        }
        double send = sendBps();
        double receive = receiveBps();
        if (send <= 0 || receive <= 0 || receive < MIN_DELIVERY * send) {
            return -1;
        }
        return (long) Math.min(send, receive);
    }

    public int id() {
        return id;
    }

    public long targetBps() {
        return targetBps;
    }

    public int packetSize() {
        return packetSize;
    }

    public int packets() {
        return packets;
    }

    public int sent() {
        return sent;
    }

    /** When the last packet went out. */
    public long lastSendNanos() {
        return lastSendNanos;
    }
}
