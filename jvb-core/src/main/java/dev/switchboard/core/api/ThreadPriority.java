package dev.switchboard.core.api;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets the Linux nice value of the calling thread ({@code setpriority(PRIO_PROCESS, tid, nice)} through JNA), and
 * of the JVM's JIT compiler threads.
 *
 * <p>Why: the bridge's media and socket threads share their CPUs with the JIT compiler threads, the HTTP event
 * loop, ice4j's STUN threads and the timers. The kernel's fair scheduler gives a waking thread that has used
 * little CPU precedence over one that uses a lot, so the busiest thread (the media loop) is the one that waits,
 * for a millisecond or more, whenever one of the others runs: measured on a 2-core machine with the bridge on one
 * CPU, 40 participants, 56,000 forwarded packets/s, receive-to-send time p99 2.5-4 ms at nice 0 and 0.6-1.1 ms
 * at nice -15 (docs/benchmark.md).
 *
 * <p>A negative value needs root, {@code CAP_SYS_NICE} or an {@code RLIMIT_NICE} that allows it (the Docker compose
 * file sets {@code ulimits: nice: 30} for the image's non-root user); without them the kernel refuses and the thread keeps its priority. Not
 * Linux: nothing happens. Stateless; any thread may call it for itself.
 */
public final class ThreadPriority {
    /** What became of a request. */
    public enum Result {
        /** The thread runs at the requested nice value. */
        SET,
        /** The kernel refused (no {@code CAP_SYS_NICE}, or a nice limit): the thread keeps its priority. */
        REFUSED,
        /** Not Linux, or the C library could not be reached: the thread keeps its priority. */
        UNSUPPORTED
    }

    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final int PRIO_PROCESS = 0;

    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);

        int getpriority(int which, int who);
    }

    /** Loaded at first use; holds no state of ours. */
    private static final class Holder {
        static final LibC LIBC = load();

        private static LibC load() {
            try {
                return Native.load("c", LibC.class);
            } catch (LinkageError | RuntimeException e) { // no JNA native stub for this platform, no libc
                return null;
            }
        }
    }

    private ThreadPriority() {
    }

    /** Sets the calling thread's nice value (-20 to 19); 0 is a request too (back to the default). */
    public static Result setCurrentThreadNice(int nice) {
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20..19: " + nice);
        }
        int tid = currentThreadId();
        LibC libc = tid > 0 ? Holder.LIBC : null;
        if (libc == null) {
            return Result.UNSUPPORTED;
        }
        return libc.setpriority(PRIO_PROCESS, tid, nice) == 0 ? Result.SET : Result.REFUSED;
    }

    /**
     * Sets the nice value of the JVM's JIT compiler threads (named {@code C1 CompilerThread<n>} and
     * {@code C2 CompilerThread<n>}, found in {@code /proc/self/task}). The bridge gives them the media threads'
     * value: at nice 0 next to busy threads at -10 the kernel gives a compiler thread about a twentieth of a shared
     * CPU, so code made hot by a wave of joins (SDP, JSON, DTLS) stayed interpreted or at C1 for seconds and ran
     * several times slower meanwhile, and the compiler was still catching up 20 s later (docs/benchmark.md). The
     * JVM may start more compiler threads later: calling this again sets those too.
     *
     * @return how many compiler threads now run at {@code nice} (0 when none could be set, or not Linux)
     */
    public static int setCompilerThreadsNice(int nice) {
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20..19: " + nice);
        }
        LibC libc = Holder.LIBC;
        if (libc == null) {
            return 0;
        }
        int set = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String name;
                int tid;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (IOException | NumberFormatException e) {
                    continue; // the thread ended meanwhile
                }
                if (isCompilerThread(name) && libc.setpriority(PRIO_PROCESS, tid, nice) == 0) {
                    set++;
                }
            }
        } catch (IOException | SecurityException e) {
            // no /proc (not Linux): nothing more to set
        }
        return set;
    }

    /** HotSpot's compiler threads, as the kernel shows their names (cut to 15 characters). */
    static boolean isCompilerThread(String kernelName) {
        return kernelName.startsWith("C1 CompilerThre") || kernelName.startsWith("C2 CompilerThre");
    }

    /** The calling thread's nice value, or null when it cannot be read here. */
    public static Integer currentThreadNice() {
        int tid = currentThreadId();
        LibC libc = tid > 0 ? Holder.LIBC : null;
        if (libc == null) {
            return null;
        }
        return libc.getpriority(PRIO_PROCESS, tid); // -1 is also a valid value; fine for diagnostics
    }

    /** The kernel's id of the calling thread, from {@code /proc/thread-self} ("pid/task/tid"), or -1. */
    static int currentThreadId() {
        try {
            Path target = Files.readSymbolicLink(THREAD_SELF);
            return Integer.parseInt(target.getFileName().toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException | SecurityException e) {
            return -1;
        }
    }
}
