package dev.switchboard.e2e;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes, then fails with what was last seen. */
final class Poll {
    private Poll() {}

    /** A check: returns the problems it sees, none when the condition holds. */
    @FunctionalInterface
    interface Check {
        List<String> problems() throws Exception;
    }

    /**
     * Runs {@code check} every {@code interval} until it reports no problem. Exceptions thrown by the check
     * count as problems (a page still loading is normal). When {@code deadlineNanos} (a
     * {@link System#nanoTime()} value) passes, throws an AssertionError naming the goal, the last problems
     * and {@code diagnostics}.
     *
     * @return how long it took
     */
    static Duration until(String goal, long deadlineNanos, Duration interval, Check check,
                          Supplier<String> diagnostics) {
        long start = System.nanoTime();
        List<String> last = List.of("(never checked)");
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                last = check.problems();
            } catch (Exception e) {
                last = List.of("check threw " + stackTrace(e));
            }
            if (last.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            sleep(Math.min(interval.toNanos(), left));
        }
        StringBuilder msg = new StringBuilder()
                .append(goal).append(": not reached after ")
                .append(Duration.ofNanos(System.nanoTime() - start).toMillis()).append(" ms (")
                .append(attempts).append(" checks). Last problems:\n");
        for (String p : last) {
            msg.append("  - ").append(p).append('\n');
        }
        msg.append(safely(diagnostics));
        throw new AssertionError(msg.toString());
    }

    /** {@link #until} with a timeout that starts now. */
    static Duration within(String goal, Duration timeout, Duration interval, Check check,
                           Supplier<String> diagnostics) {
        return until(goal, System.nanoTime() + timeout.toNanos(), interval, check, diagnostics);
    }

    static void sleep(Duration d) {
        sleep(d.toNanos());
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    static String safely(Supplier<String> diagnostics) {
        try {
            return diagnostics.get();
        } catch (RuntimeException e) {
            return "(diagnostics failed: " + stackTrace(e) + ")";
        }
    }

    static String stackTrace(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        String s = sw.toString();
        return s.length() > 3000 ? s.substring(0, 3000) + "..." : s;
    }
}
