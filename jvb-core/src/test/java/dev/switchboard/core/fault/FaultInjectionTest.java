package dev.switchboard.core.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.FaultInjectionConfig;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
    private static final int DECISIONS = 100_000;
    private static final long SEED = 20240611L;
    /** An SRTP-like first byte (RTP version 2) and a STUN Binding Request's. */
    private static final byte[] RTP = {(byte) 0x80, 96, 0, 1};
    private static final byte[] DTLS = {22, (byte) 0xFE, (byte) 0xFD, 0};
    private static final byte[] STUN = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42};

    @Test
    void dropRatioOver100kDecisionsIsWithinHalfAPercentOfTheSetting() {
        for (double percent : new double[] {0.1, 1, 5, 12.5, 50, 99}) {
            FaultInjection faults = new FaultInjection(percent, percent, SEED);
            int in = 0;
            int out = 0;
            for (int i = 0; i < DECISIONS; i++) {
                in += faults.dropIncoming() ? 1 : 0;
                out += faults.dropOutgoing() ? 1 : 0;
            }
            double inPercent = 100.0 * in / DECISIONS;
            double outPercent = 100.0 * out / DECISIONS;
            System.out.printf("setting %.1f%%: dropped %.3f%% in, %.3f%% out%n", percent, inPercent, outPercent);
            assertEquals(percent, inPercent, 0.5, "incoming drop ratio at " + percent + "%");
            assertEquals(percent, outPercent, 0.5, "outgoing drop ratio at " + percent + "%");
            assertEquals(in, faults.injectedIncoming());
            assertEquals(out, faults.injectedOutgoing());
        }
    }

    @Test
    void zeroPercentNeverDropsAndIsTheDefault() {
        FaultInjection faults = new FaultInjection(0, 0, SEED);
        for (int i = 0; i < DECISIONS; i++) {
            assertFalse(faults.dropIncoming());
            assertFalse(faults.dropOutgoing());
            assertFalse(faults.dropIncoming(RTP, 0, RTP.length));
            assertFalse(faults.dropOutgoing(ByteBuffer.wrap(DTLS)));
        }
        assertEquals(0, faults.injectedIncoming());
        assertEquals(0, faults.injectedOutgoing());
        assertFalse(faults.enabled());

        assertEquals(FaultInjectionConfig.NONE, BridgeConfig.loopbackDefaults().faultInjection());
        assertSame(FaultInjection.DISABLED, FaultInjection.of(BridgeConfig.loopbackDefaults().faultInjection()));
        assertFalse(FaultInjection.DISABLED.dropIncoming());
        assertFalse(FaultInjection.DISABLED.dropOutgoing());
    }

    @Test
    void oneDirectionOnly() {
        FaultInjection faults = new FaultInjection(0, 100, SEED);
        for (int i = 0; i < 1000; i++) {
            assertFalse(faults.dropIncoming());
            assertTrue(faults.dropOutgoing());
        }
        assertEquals(0, faults.injectedIncoming());
        assertEquals(1000, faults.injectedOutgoing());
    }

    @Test
    void stunIsNeverDroppedEvenAtOneHundredPercent() {
        FaultInjection faults = new FaultInjection(100, 100, SEED);
        for (int first = 0; first < 4; first++) { // RFC 7983: 0..3 is STUN
            byte[] stun = STUN.clone();
            stun[0] = (byte) first;
            assertFalse(faults.dropIncoming(stun, 0, stun.length));
            assertFalse(faults.dropOutgoing(stun, 0, stun.length));
            assertFalse(faults.dropOutgoing(ByteBuffer.wrap(stun)));
        }
        assertEquals(0, faults.injectedIncoming() + faults.injectedOutgoing());
        for (byte[] other : List.of(RTP, DTLS)) {
            assertTrue(faults.dropIncoming(other, 0, other.length));
            assertTrue(faults.dropOutgoing(other, 0, other.length));
            ByteBuffer buffer = ByteBuffer.wrap(other);
            assertTrue(faults.dropOutgoing(buffer));
            assertEquals(0, buffer.position(), "the decision leaves the buffer alone");
        }
        // at an offset: the datagram's own first byte counts
        byte[] framed = {(byte) 0x80, 0, 1};
        assertFalse(faults.dropOutgoing(framed, 1, 2));
        assertFalse(faults.dropOutgoing(new byte[0], 0, 0), "nothing to drop");
    }

    @Test
    void decisionsReplayFromTheSeedAsSplittableRandomWouldDrawThem() {
        double percent = 5;
        long threshold = Math.round(percent / 100 * 0x1.0p53);
        FaultInjection faults = new FaultInjection(percent, percent, SEED);
        FaultInjection replay = new FaultInjection(percent, percent, SEED);
        SplittableRandom in = new SplittableRandom(SEED);
        SplittableRandom out = new SplittableRandom(~SEED);
        for (int i = 0; i < DECISIONS; i++) {
            boolean dropIn = faults.dropIncoming();
            assertEquals((in.nextLong() >>> 11) < threshold, dropIn, "incoming decision " + i);
            assertEquals(dropIn, replay.dropIncoming());
            boolean dropOut = faults.dropOutgoing();
            assertEquals((out.nextLong() >>> 11) < threshold, dropOut, "outgoing decision " + i);
            assertEquals(dropOut, replay.dropOutgoing());
        }
        FaultInjection other = new FaultInjection(percent, percent, SEED + 1);
        int differences = 0;
        FaultInjection again = new FaultInjection(percent, percent, SEED);
        for (int i = 0; i < DECISIONS; i++) {
            differences += other.dropIncoming() != again.dropIncoming() ? 1 : 0;
        }
        assertTrue(differences > 1000, "another seed gives other decisions: " + differences);
    }

    @Test
    void concurrentDecisionsAreCountedAndKeepTheRatio() throws Exception {
        FaultInjection faults = new FaultInjection(5, 5, SEED);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<int[]>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    int[] dropped = new int[2];
                    for (int i = 0; i < DECISIONS / 4; i++) {
                        dropped[0] += faults.dropIncoming() ? 1 : 0;
                        dropped[1] += faults.dropOutgoing(RTP, 0, RTP.length) ? 1 : 0;
                    }
                    return dropped;
                });
            }
            int in = 0;
            int out = 0;
            for (Future<int[]> f : threads.invokeAll(tasks)) {
                in += f.get()[0];
                out += f.get()[1];
            }
            assertEquals(in, faults.injectedIncoming());
            assertEquals(out, faults.injectedOutgoing());
            assertEquals(5, 100.0 * in / DECISIONS, 0.5);
            assertEquals(5, 100.0 * out / DECISIONS, 0.5);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void decisionsAllocateNothing() {
        FaultInjection faults = new FaultInjection(5, 5, SEED);
        ByteBuffer buffer = ByteBuffer.wrap(RTP);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int dropped = 0;
        for (int round = 0; round < 3; round++) { // the first rounds warm up (interpreter, JIT, LongAdder)
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < DECISIONS; i++) {
                dropped += faults.dropIncoming(RTP, 0, RTP.length) ? 1 : 0;
                dropped += faults.dropOutgoing(buffer) ? 1 : 0;
                dropped += faults.dropOutgoing(STUN, 0, STUN.length) ? 1 : 0;
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertTrue(allocated < 1024, allocated + " bytes allocated by " + 3 * DECISIONS + " decisions");
            }
        }
        assertTrue(dropped > 0);
    }

    @Test
    void percentagesOutsideZeroToHundredAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FaultInjectionConfig(-0.1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new FaultInjectionConfig(0, 100.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new FaultInjectionConfig(Double.NaN, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new FaultInjection(0, Double.POSITIVE_INFINITY, 1));
        BridgeConfig config = BridgeConfig.loopbackDefaults().withFaultInjection(5, 2.5, 42);
        assertEquals(new FaultInjectionConfig(5, 2.5, 42), config.faultInjection());
        assertEquals(config.faultInjection(), config.withUdpPort(0).faultInjection(), "kept by other withers");
        assertEquals(config.faultInjection(), config.withPublicAddresses(List.of(), List.of()).faultInjection());
        FaultInjection faults = FaultInjection.of(config.faultInjection());
        assertEquals(5, faults.dropIncomingPercent());
        assertEquals(2.5, faults.dropOutgoingPercent());
        assertEquals(42, faults.seed());
        assertTrue(faults.toString().contains("seed 42"), faults.toString());
    }
}
