package dev.switchboard.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A room on a {@link CallServer} and the browsers in it. Each participant is a headless Chromium that opens
 * the web client with {@code ?room=R&name=N}. Closing the call closes every browser still open.
 */
final class Call implements AutoCloseable {
    static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);
    /** Camera height the pages ask for unless a test says otherwise (see {@link Participant#join(String)}). */
    static final int DEFAULT_CAMERA_LINES = 360;

    final CallServer server;
    final String room;
    private final List<Participant> participants = new ArrayList<>();
    private final Map<Participant, PageSnapshot> lastSeen = new ConcurrentHashMap<>();

    Call(CallServer server, String room) {
        this.server = server;
        this.room = room;
    }

    /** One browser in the room. */
    final class Participant {
        final String name;
        final Browser browser;
        private String endpointId;
        private volatile boolean joined;

        private Participant(String name, Browser browser) {
            this.name = name;
            this.browser = browser;
        }

        /** Opens the web client for the room; returns once the page has loaded. */
        void join() {
            join("");
        }

        /**
         * Like {@link #join()}, with more query parameters (e.g. {@code "relay=1"}). Unless they say otherwise,
         * the camera is asked for 360 lines ({@code camera=360}: simulcast layers of 90, 180 and 360 lines): four
         * headless browsers encoding three layers of 720p each overload this 2-core machine; {@link
         * SimulcastConstraintE2ETest} uses the web client's default of 720.
         */
        void join(String extraQuery) {
            joined = true;
            String query = extraQuery.contains("camera=") ? extraQuery
                    : "camera=" + DEFAULT_CAMERA_LINES + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
            browser.open(server.roomUrl(room, name) + "&" + query);
        }

        /** Forgets the endpoint id, so that {@link Call#awaitJoined} waits for a new one (after a re-join). */
        void forgetEndpointId() {
            endpointId = null;
        }

        String endpointId() {
            if (endpointId == null) {
                throw new IllegalStateException(name + " has no endpoint id yet");
            }
            return endpointId;
        }

        PageSnapshot snapshot() {
            PageSnapshot s = PageSnapshot.capture(browser);
            lastSeen.put(this, s);
            return s;
        }

        /** Closes the browser window: the page goes away without saying goodbye. */
        void quit() {
            browser.close();
        }

        /** Joined and not closed. */
        boolean active() {
            return joined && !browser.isClosed();
        }

        @Override
        public String toString() {
            return name + (endpointId == null ? "" : "(" + endpointId + ")");
        }
    }

    /** Starts a browser for a participant; it joins only when {@link Participant#join()} is called. */
    Participant launch(String name) {
        return launch(name, List.of());
    }

    /** Like {@link #launch(String)}, with more Chromium flags. */
    Participant launch(String name, List<String> extraFlags) {
        return adopt(name, Chromium.launch(name, extraFlags));
    }

    /** A participant in a browser started elsewhere (e.g. in a network namespace); the call closes it. */
    Participant adopt(String name, Browser browser) {
        Participant p = new Participant(name, browser);
        synchronized (participants) {
            participants.add(p);
        }
        return p;
    }

    /** The participants in the call now: joined, window still open. */
    List<Participant> active() {
        synchronized (participants) {
            return participants.stream().filter(Participant::active).toList();
        }
    }

    /**
     * Opens the room in each page of {@code who} with the same extra query ({@code camera=720}, or "" for
     * none), waits until all joined, then until they see and hear each other, within 20 s in all.
     */
    void joinAllAndAwaitMedia(List<Participant> who, String query) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        who.forEach(p -> p.join(query));
        awaitJoined(deadline, who);
        awaitMediaFlowing(who.stream().map(p -> p.name).collect(java.util.stream.Collectors.joining(" and "))
                + " see and hear each other within 20 s", deadline);
    }

    /** Waits until each of {@code who} has an endpoint id ({@code window.switchboard.endpointId}). */
    void awaitJoined(long deadlineNanos, List<Participant> who) {
        Poll.until("every page has window.switchboard.endpointId (joined " + room + ")", deadlineNanos,
                Duration.ofMillis(200), () -> {
                    List<String> problems = new ArrayList<>();
                    for (Participant p : who) {
                        if (p.endpointId != null) {
                            continue;
                        }
                        PageSnapshot s = p.snapshot();
                        if (s.error() != null) {
                            problems.add(p.name + ": " + s.error());
                        } else if (s.endpointId() == null || s.endpointId().isBlank()) {
                            problems.add(p.name + ": no endpoint id yet; status '" + s.status() + "'");
                        } else {
                            p.endpointId = s.endpointId();
                        }
                    }
                    return problems;
                }, this::diagnostics);
        for (Participant p : who) {
            for (Participant q : who) {
                if (p != q && p.endpointId.equals(q.endpointId)) {
                    throw new AssertionError(p.name + " and " + q.name + " got the same endpoint id " + p.endpointId
                            + "\n" + diagnostics());
                }
            }
        }
    }

    /** For a viewer: every other active participant, endpoint id to name. */
    Map<String, String> remotesOf(Participant viewer) {
        Map<String, String> remotes = new LinkedHashMap<>();
        for (Participant p : active()) {
            if (p != viewer) {
                remotes.put(p.endpointId(), p.name);
            }
        }
        return remotes;
    }

    /**
     * Samples every active page every {@link #SAMPLE_INTERVAL} until, between two samples, each one shows every
     * other active participant with video and audio advancing; fails at the deadline with the last problems.
     */
    Duration awaitMediaFlowing(String goal, long deadlineNanos) {
        Map<Participant, PageSnapshot> previous = new LinkedHashMap<>();
        for (Participant p : active()) {
            previous.put(p, p.snapshot());
        }
        Poll.sleep(SAMPLE_INTERVAL);
        return Poll.until(goal, deadlineNanos, SAMPLE_INTERVAL, () -> {
            List<String> problems = new ArrayList<>();
            for (Participant p : active()) {
                PageSnapshot now = p.snapshot();
                PageSnapshot before = previous.put(p, now);
                if (before == null) {
                    problems.add(p.name + ": first sample");
                    continue;
                }
                problems.addAll(MediaCheck.problems(p.name, before, now, remotesOf(p), 0));
            }
            return problems;
        }, this::diagnostics);
    }

    /** Samples all active pages now and after {@code window}; returns the problems seen between the two. */
    List<String> mediaProblemsOver(Duration window, double minFps, StringBuilder ratesOut) {
        Map<Participant, PageSnapshot> first = new LinkedHashMap<>();
        for (Participant p : active()) {
            first.put(p, p.snapshot());
        }
        Poll.sleep(window);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Participant, PageSnapshot> e : first.entrySet()) {
            Participant p = e.getKey();
            PageSnapshot now = p.snapshot();
            problems.addAll(MediaCheck.problems(p.name, e.getValue(), now, remotesOf(p), minFps));
            if (ratesOut != null) {
                ratesOut.append(p.name).append(" sees ").append(MediaCheck.rates(e.getValue(), now, remotesOf(p)))
                        .append(" | ");
            }
        }
        return problems;
    }

    /** Everything a failure message needs: server counters, and per page its status, snapshot and log. */
    String diagnostics() {
        StringBuilder sb = new StringBuilder("\n").append(server.diagnostics());
        List<Participant> all;
        synchronized (participants) {
            all = List.copyOf(participants);
        }
        for (Participant p : all) {
            sb.append(p.browser.diagnostics());
            PageSnapshot s = lastSeen.get(p);
            if (s != null) {
                sb.append("last snapshot: ").append(s.summary()).append('\n');
                if (s.json() != null) {
                    sb.append("raw: ").append(PageSnapshot.abbreviate(s.json(), 3000)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** Closes the browsers of {@code call}, then {@code server}; either may be null (setup failed early). */
    static void close(Call call, TestServer server) {
        try {
            if (call != null) {
                call.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        List<Participant> all;
        synchronized (participants) {
            all = List.copyOf(participants);
        }
        for (Participant p : all) {
            try {
                p.quit();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
