package dev.switchboard.signaling.ws;

/** Runs a task on the room loop after a delay (Vert.x {@code setTimer} in production, a fake in tests). */
@FunctionalInterface
public interface GraceTimer {
    /**
     * Schedules {@code task} on the room loop after {@code delayMillis}.
     *
     * @return cancels the task if it has not run yet
     */
    Runnable schedule(long delayMillis, Runnable task);
}
