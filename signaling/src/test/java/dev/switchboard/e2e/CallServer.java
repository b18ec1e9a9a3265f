package dev.switchboard.e2e;

/**
 * The Switchboard server a {@link Call}'s pages open: the in-process {@link TestServer}, or a server process in
 * a network namespace ({@link NetnsServer}).
 */
interface CallServer {
    /** The web client's URL that joins {@code room} as {@code name}. */
    String roomUrl(String room, String name);

    /** What a failure message should show about the server (counters, log). */
    String diagnostics();
}
