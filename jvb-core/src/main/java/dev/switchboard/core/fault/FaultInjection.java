package dev.switchboard.core.fault;

import dev.switchboard.core.api.FaultInjectionConfig;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drops a configured share of the bridge's datagrams, as a lossy network would: a test and diagnostic tool
 * ({@link FaultInjectionConfig}), off by default.
 *
 * <p>What is dropped: non-STUN datagrams only, that is RTP, RTCP and DTLS (RFC 7983: a first byte of 0..3 is
 * STUN). ICE connectivity checks, their answers, consent freshness and the bridge's STUN discovery are never
 * dropped, so ICE stays connected at any setting (even 100 %). Incoming datagrams are dropped on the socket
 * thread before anything looks at them (they count nowhere else: not as received, not as activity for the
 * silence timeout, so 100 % incoming drop makes connected endpoints fail after the ICE timeout); outgoing ones
 * instead of the channel write (they were already counted as forwarded). Each direction counts its drops
 * ({@link #injectedIncoming()}, {@link #injectedOutgoing()}, {@code BridgeStatistics.dropped} keys
 * {@code injected-in} and {@code injected-out}).
 *
 * <p>Decisions are pseudo-random and replayable: incoming decisions are the sequence of
 * {@code new SplittableRandom(seed)}, outgoing ones that of {@code new SplittableRandom(~seed)} (SplitMix64);
 * a value {@code nextLong() >>> 11} below {@code percent / 100 * 2^53} drops. The generator state is one
 * {@link AtomicLong} per direction, so any number of socket and media threads may ask concurrently, without
 * locks and without allocating. Which datagram a decision meets still depends on thread timing.
 *
 * <p>Disabled directions cost one field read per datagram.
 */
public final class FaultInjection {
    /** Never drops anything. */
    public static final FaultInjection DISABLED = new FaultInjection(0, 0, 0);

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double TWO_POW_53 = 0x1.0p53;

    private final double dropIncomingPercent;
    private final double dropOutgoingPercent;
    private final long seed;
    private final boolean dropsIncoming;
    private final boolean dropsOutgoing;
    private final long incomingThreshold;
    private final long outgoingThreshold;
    private final AtomicLong incomingState;
    private final AtomicLong outgoingState;
    private final LongAdder injectedIncoming = new LongAdder();
    private final LongAdder injectedOutgoing = new LongAdder();

    /**
     * @param dropIncomingPercent share of incoming non-STUN datagrams to drop, 0..100
     * @param dropOutgoingPercent share of outgoing non-STUN datagrams to drop, 0..100
     * @param seed                seed of both directions' decisions
     */
    public FaultInjection(double dropIncomingPercent, double dropOutgoingPercent, long seed) {
        FaultInjectionConfig checked = new FaultInjectionConfig(dropIncomingPercent, dropOutgoingPercent, seed);
        this.dropIncomingPercent = checked.dropIncomingPercent();
        this.dropOutgoingPercent = checked.dropOutgoingPercent();
        this.seed = seed;
        this.dropsIncoming = dropIncomingPercent > 0;
        this.dropsOutgoing = dropOutgoingPercent > 0;
        this.incomingThreshold = threshold(dropIncomingPercent);
        this.outgoingThreshold = threshold(dropOutgoingPercent);
        this.incomingState = new AtomicLong(seed);
        this.outgoingState = new AtomicLong(~seed);
    }

    /** The injector for {@code config}; {@link #DISABLED} when it drops nothing. */
    public static FaultInjection of(FaultInjectionConfig config) {
        return config.enabled()
                ? new FaultInjection(config.dropIncomingPercent(), config.dropOutgoingPercent(), config.seed())
                : DISABLED;
    }

    private static long threshold(double percent) {
        return percent >= 100 ? 1L << 53 : Math.round(percent / 100 * TWO_POW_53);
    }

    /**
     * Decides about one incoming datagram already known not to be STUN: true (and counted) when it must be
     * dropped.
     */
    public boolean dropIncoming() {
        if (!dropsIncoming || (next(incomingState) >>> 11) >= incomingThreshold) {
            return false;
        }
        injectedIncoming.increment();
        return true;
    }

    /**
     * Decides about one outgoing datagram already known not to be STUN: true (and counted) when it must be
     * dropped instead of sent.
     */
    public boolean dropOutgoing() {
        if (!dropsOutgoing || (next(outgoingState) >>> 11) >= outgoingThreshold) {
            return false;
        }
        injectedOutgoing.increment();
        return true;
    }

    /** {@link #dropIncoming()} for a datagram that may be STUN (never dropped). */
    public boolean dropIncoming(byte[] datagram, int offset, int length) {
        return dropsIncoming && length > 0 && !isStun(datagram[offset]) && dropIncoming();
    }

    /** {@link #dropOutgoing()} for a datagram that may be STUN (never dropped). */
    public boolean dropOutgoing(byte[] datagram, int offset, int length) {
        return dropsOutgoing && length > 0 && !isStun(datagram[offset]) && dropOutgoing();
    }

    /** {@link #dropOutgoing()} for the datagram between {@code position} and {@code limit} (untouched). */
    public boolean dropOutgoing(ByteBuffer datagram) {
        return dropsOutgoing && datagram.hasRemaining() && !isStun(datagram.get(datagram.position()))
                && dropOutgoing();
    }

    /** RFC 7983 demultiplexing: a first byte of 0..3 is STUN. */
    public static boolean isStun(byte firstByte) {
        return (firstByte & 0xFF) < 4;
    }

    /** SplitMix64, as {@link java.util.SplittableRandom#nextLong()}: advance by the golden gamma, then mix. */
    private static long next(AtomicLong state) {
        long z = state.addAndGet(GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public boolean enabled() {
        return dropsIncoming || dropsOutgoing;
    }

    public double dropIncomingPercent() {
        return dropIncomingPercent;
    }

    public double dropOutgoingPercent() {
        return dropOutgoingPercent;
    }

    public long seed() {
        return seed;
    }

    /** Incoming datagrams dropped so far. */
    public long injectedIncoming() {
        return injectedIncoming.sum();
    }

    /** Outgoing datagrams dropped so far. */
    public long injectedOutgoing() {
        return injectedOutgoing.sum();
    }

    @Override
    public String toString() {
        return enabled() ? String.format(java.util.Locale.ROOT, "drop %.2f%% in, %.2f%% out (seed %d)",
                dropIncomingPercent, dropOutgoingPercent, seed) : "no fault injection";
    }
}
