package dev.switchboard.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Linux only (the build machine and the Docker image): fails rather than passing vacuously elsewhere. */
class ThreadPriorityTest {
    @Test
    void findsTheKernelIdOfTheCallingThread() throws Exception {
        AtomicReference<String> comm = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                int tid = ThreadPriority.currentThreadId();
                comm.set(Files.readString(Path.of("/proc/self/task/" + tid + "/comm")).trim());
            } catch (Exception e) {
                comm.set(e.toString());
            }
        }, "prio-probe");
        t.start();
        t.join();
        assertEquals("prio-probe", comm.get());
    }

    @Test
    void lowersTheCallingThreadOnlyAndReadsItBack() throws Exception {
        Integer before = ThreadPriority.currentThreadNice();
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread t = new Thread(() -> seen.set(ThreadPriority.setCurrentThreadNice(19) + " "
                + ThreadPriority.currentThreadNice()));
        t.start();
        t.join();
        assertEquals("SET 19", seen.get(), "the lowest priority needs no privilege, whatever the test runs at");
        assertEquals(before, ThreadPriority.currentThreadNice(), "other threads keep theirs");
    }

    @Test
    void findsAndSetsTheJitCompilerThreads() throws Exception {
        // at the least favoured value they have now (raising a priority needs privileges; this JVM's JIT must not
        // be slowed down further: an earlier bridge in this JVM may have given some of them its value already)
        List<Integer> before = compilerThreadNices();
        assertFalse(before.isEmpty(), "HotSpot runs C1/C2 compiler threads");
        int nice = before.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int set = ThreadPriority.setCompilerThreadsNice(nice);
        assertTrue(set >= before.size(), set + " of " + before); // more if the JVM started one meanwhile
        assertTrue(compilerThreadNices().stream().allMatch(n -> n == nice), compilerThreadNices().toString());
        assertTrue(ThreadPriority.isCompilerThread("C2 CompilerThre"));
        assertFalse(ThreadPriority.isCompilerThread("switchboard-med"));
    }

    /** The nice value (field 19 of /proc/self/task/TID/stat) of each compiler thread. */
    private static List<Integer> compilerThreadNices() throws Exception {
        List<Integer> nices = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (ThreadPriority.isCompilerThread(Files.readString(task.resolve("comm")).strip())) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    nices.add(Integer.parseInt(fields[16]));
                }
            }
        }
        return nices;
    }

    @Test
    void refusesValuesOutsideTheKernelsRange() {
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.setCurrentThreadNice(-21));
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.setCurrentThreadNice(20));
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.setCompilerThreadsNice(-21));
    }
}
