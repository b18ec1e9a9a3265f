package dev.switchboard.core.routing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When one endpoint reached each step of its set-up, for finding where a join waits (docs/benchmark.md, "Where
 * the join time goes"). Each stage keeps its first stamp; any thread may stamp. When the endpoint is connected
 * the whole timeline is logged once at DEBUG on the logger {@code dev.switchboard.core.routing.JoinTimeline}:
 * the creation time as raw {@code System.nanoTime()} (the same clock in every JVM of the machine, so a load
 * generator's own stamps can be lined up with it) and every other stage in milliseconds after creation.
 */
final class JoinTimeline {
    /** The stages, in the order a join normally passes them. */
    enum Stage {
        /** addEndpoint was called (signaling thread). */
        CREATED("created"),
        /** The set-up task began on a set-up thread. */
        SETUP_STARTED("setup-start"),
        /** The ICE agent exists with its candidates; the answer can be built. */
        AGENT_READY("agent-ready"),
        /** The first connectivity check from the peer reached the shared port. */
        FIRST_CHECK("first-check"),
        /** ice4j answered a check of the peer (a Binding Success Response went out). */
        CHECK_ANSWERED("check-answered"),
        /** ice4j reported the session completed (a nominated pair). */
        ICE_CONNECTED("ice-connected"),
        /** The first DTLS record from the peer arrived. */
        FIRST_DTLS("first-dtls"),
        /** The DTLS handshake produced SRTP keys. */
        DTLS_DONE("dtls-done"),
        /** The media loop installed the keys: the endpoint can send and receive media. */
        KEYS_INSTALLED("keys-installed");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    static final Logger LOG = LoggerFactory.getLogger(JoinTimeline.class);

    private final String endpointId;
    private final LongSupplier clock;
    private final AtomicLongArray stamps = new AtomicLongArray(Stage.values().length);
    /** DTLS datagrams received before the keys were installed: more than a handshake needs means retransmissions. */
    private final AtomicInteger dtlsDatagrams = new AtomicInteger();

    JoinTimeline(String endpointId, LongSupplier clock) {
        this.endpointId = endpointId;
        this.clock = clock;
        stamp(Stage.CREATED);
    }

    /** Records {@code stage} now unless it was recorded before; cheap when already recorded. */
    void stamp(Stage stage) {
        if (stamps.get(stage.ordinal()) == 0) {
            long now = clock.getAsLong();
            stamps.compareAndSet(stage.ordinal(), 0, now == 0 ? 1 : now);
        }
    }

    /** Counts one DTLS datagram from the peer (only until the keys are installed). */
    void dtlsDatagram() {
        if (stamps.get(Stage.KEYS_INSTALLED.ordinal()) == 0) {
            dtlsDatagrams.incrementAndGet();
        }
    }

    /** The stamp of {@code stage}, or 0 when not reached. */
    long at(Stage stage) {
        return stamps.get(stage.ordinal());
    }

    /**
     * One line: {@code join-timeline <id> created=<nanos> setup-start=+1.2 agent-ready=+15.0 ... dtls-in=3}
     * (milliseconds after creation; {@code -} for a stage not reached; then the DTLS datagram count).
     */
    String describe() {
        long created = at(Stage.CREATED);
        StringBuilder sb = new StringBuilder("join-timeline ").append(endpointId).append(" created=").append(created);
        for (Stage stage : Stage.values()) {
            if (stage == Stage.CREATED) {
                continue;
            }
            long t = at(stage);
            sb.append(' ').append(stage.label).append('=');
            if (t == 0) {
                sb.append('-');
            } else {
                sb.append(String.format(java.util.Locale.ROOT, "+%.1f", (t - created) / 1e6));
            }
        }
        return sb.append(" dtls-in=").append(dtlsDatagrams.get()).toString();
    }

    /** Logs {@link #describe()} at DEBUG. */
    void log() {
        if (LOG.isDebugEnabled()) {
            LOG.debug(describe());
        }
    }
}
