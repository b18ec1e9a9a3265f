package dev.switchboard.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void refusesValuesOutsideTheKernelsRange() {
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.setCurrentThreadNice(-21));
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.setCurrentThreadNice(20));
    }
}
