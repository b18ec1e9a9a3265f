package dev.switchboard.bench.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {
    @Test
    void procStatCpuTicksSurviveSpacesInTheCommand() {
        String stat = "4242 (java (media) x) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1500 250 0 0 20 0 42 0 "
                + "1000 5000000 3000 18446744073709551615 1 1 0 0 0 0 0 4096 16384 0 0 0 17 1 0 0 0 0 0";
        assertEquals(1750, Proc.parseCpuTicks(stat));
    }

    @Test
    void machineTicksExcludeIdleAndIowait() {
        long[] t = Proc.parseMachineTicks("cpu  100 5 50 1000 20 3 2 0 0 0");
        assertArrayEquals(new long[] {160, 1180}, t);
    }

    @Test
    void ownProcessIsReadable() {
        long pid = ProcessHandle.current().pid();
        assertTrue(Proc.cpuTicks(pid) >= 0);
        assertTrue(Proc.rssKiB(pid) > 0);
        assertTrue(Proc.machineTicks()[1] > 0);
        assertTrue(Proc.clockTicksPerSecond() > 0);
    }

    @Test
    void threadNamesAreGroupedWithoutTheirNumbers() {
        assertEquals("GC Thread", Proc.groupName("GC Thread#3"));
        assertEquals("G1 Conc", Proc.groupName("G1 Conc#0"));
        assertEquals("bench-receive", Proc.groupName("bench-receive-0"));
        assertEquals("pool-5-thread", Proc.groupName("pool-5-thread-2"));
        assertEquals("switchboard-med", Proc.groupName("switchboard-med"));
        assertEquals("C2 CompilerThre", Proc.groupName("C2 CompilerThre"));
        assertEquals("switchboard-udp", Proc.groupName("switchboard-udp"));
        assertEquals("java", Proc.groupName("java"));
        assertTrue(Proc.threadGroupTicks(ProcessHandle.current().pid()).size() > 1);
    }

    @Test
    void gcLogPausesAreParsed() {
        String log = """
                [0.012s][info][gc] Using G1
                [5.123s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 52M->6M(256M) 2.345ms
                [6.000s][info][gc] GC(4) Pause Young (Concurrent Start) (G1 Humongous Allocation) 30M->29M(256M) 1.5ms
                [6.100s][info][gc] GC(4) Concurrent Mark Cycle 12.300ms
                [6.200s][info][gc] GC(4) Pause Remark 40M->40M(256M) 0.800ms
                [7.000s][info][gc] GC(5) Pause Full (System.gc()) 20M->8M(40M) 25.100ms
                [8.000s][info][gc] GC(6) Pause Young (Normal) (G1 Evacuation Pause) 900K->500K(8192K) 0.100ms
                """;
        List<GcLog.Pause> pauses = GcLog.parse(log);
        assertEquals(5, pauses.size());
        assertEquals(new GcLog.Pause(3, "Pause Young (Normal) (G1 Evacuation Pause)", 52 * 1024, 6 * 1024, 2.345),
                pauses.get(0));
        assertEquals("Pause Remark", pauses.get(2).kind());
        assertEquals(25.1, pauses.get(3).millis(), 1e-9);
        assertEquals(900, pauses.get(4).beforeKiB());
        assertEquals(List.of(new GcLog.Reclaim(52 * 1024, 6 * 1024), new GcLog.Reclaim(30 * 1024, 29 * 1024),
                new GcLog.Reclaim(40 * 1024, 40 * 1024), new GcLog.Reclaim(20 * 1024, 8 * 1024),
                new GcLog.Reclaim(900, 500)), GcLog.parseReclaims(log));
    }

    @Test
    void concurrentCollectorPausesAndReclaimsAreParsed() {
        String log = """
                [0.005s][info][gc] Using Shenandoah
                [2.499s][info][gc] Trigger: Metadata GC Threshold
                [2.500s][info][gc] GC(0) Pause Init Mark (unload classes) 0.027ms
                [2.591s][info][gc] GC(0) Concurrent marking (unload classes) 85.519ms
                [2.592s][info][gc] GC(0) Pause Final Mark (unload classes) 0.086ms
                [2.606s][info][gc] GC(0) Concurrent cleanup 135M->133M(380M) 0.078ms
                [2.663s][info][gc] GC(0) Pause Init Update Refs 0.009ms
                [2.703s][info][gc] GC(0) Pause Final Update Refs 0.054ms
                [2.703s][info][gc] GC(0) Concurrent cleanup 154M->42M(394M) 0.086ms
                """;
        List<GcLog.Pause> pauses = GcLog.parse(log);
        assertEquals(4, pauses.size(), "concurrent phases are not pauses");
        assertEquals(new GcLog.Pause(0, "Pause Init Mark (unload classes)", -1, -1, 0.027), pauses.get(0));
        assertEquals(0.086, pauses.get(1).millis(), 1e-9);
        assertEquals(List.of(new GcLog.Reclaim(135 * 1024, 133 * 1024), new GcLog.Reclaim(154 * 1024, 42 * 1024)),
                GcLog.parseReclaims(log));
    }

    @Test
    void heapInfoUsedIsParsed() {
        String g1 = """
                12345:
                 garbage-first heap   total 262144K, used 21504K [0x00000000f0000000, 0x0000000100000000)
                  region size 1024K, 21 young (21504K), 0 survivors (0K)
                 Metaspace       used 1234K, committed 1280K, reserved 1114112K
                  class space    used 100K, committed 128K, reserved 1048576K
                """;
        assertEquals(21504, Jcmd.parseHeapUsed(g1));
        String serial = """
                1:
                 def new generation   total 4928K, used 1500K [0x0, 0x0, 0x0)
                  eden space 4416K,  30% used [0x0, 0x0, 0x0)
                 tenured generation   total 10944K, used 2000K [0x0, 0x0, 0x0)
                """;
        assertEquals(3500, Jcmd.parseHeapUsed(serial));
        String shenandoah = """
                9486:
                Shenandoah Heap
                 6028M max, 6028M soft max, 378M committed, 8192K used
                 3014 x 2048K regions
                 Metaspace       used 128K, committed 320K, reserved 1114112K
                """;
        assertEquals(8192, Jcmd.parseHeapUsed(shenandoah));
        assertEquals(52 * 1024, Jcmd.parseHeapUsed(" ZHeap           used 52M, capacity 560M, max capacity 6144M\n"));
        assertEquals(-1, Jcmd.parseHeapUsed("nothing"));
    }
}
