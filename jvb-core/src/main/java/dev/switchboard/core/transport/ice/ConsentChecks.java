package dev.switchboard.core.transport.ice;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ice4j.ResponseCollector;
import org.ice4j.StunResponseEvent;
import org.ice4j.StunTimeoutEvent;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.stack.TransactionID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7675 consent freshness for one ICE session, sent by the bridge: a STUN Binding Request (USERNAME,
 * PRIORITY, ICE-CONTROLLED, MESSAGE-INTEGRITY with the peer's password, FINGERPRINT, as an ordinary check) on the selected
 * pair at randomized intervals, through the agent's own STUN stack (its retransmissions, its transaction
 * matching). ice4j's built-in consent mode is not used: its interval and retransmission count are JVM-wide
 * settings, read once.
 *
 * <p>Threading: {@link #tick} runs on the bridge's timer thread, which owns all timing (the injected clock);
 * answers arrive on ice4j threads and only count up {@link #answered}, so consent is stamped with the timer's
 * clock at the next tick (granularity: the tick period).
 */
final class ConsentChecks implements ResponseCollector {
    private static final Logger LOG = LoggerFactory.getLogger(ConsentChecks.class);
    private static final long UNSET = Long.MIN_VALUE;

    private final String name;
    private final Agent agent;
    private final Component component;
    private final AtomicLong answered = new AtomicLong();
    // timer thread only:
    private long seenAnswered;
    private long lastConsentNanos = UNSET;
    private long nextCheckNanos = UNSET;

    ConsentChecks(String name, Agent agent, Component component) {
        this.name = name;
        this.agent = agent;
        this.component = component;
    }

    /**
     * Sends a check when one is due and returns the time of the latest consent: the last answered check, or
     * the first tick after ICE completed (its checks were the first consent).
     */
    long tick(long nowNanos, long intervalNanos) {
        long count = answered.get();
        if (lastConsentNanos == UNSET || count != seenAnswered) {
            seenAnswered = count;
            lastConsentNanos = nowNanos;
        }
        if (nextCheckNanos == UNSET) {
            nextCheckNanos = nowNanos + jittered(intervalNanos);
        } else if (nowNanos - nextCheckNanos >= 0) {
            nextCheckNanos = nowNanos + jittered(intervalNanos);
            send(intervalNanos / 1_000_000);
        }
        return lastConsentNanos;
    }

    /** RFC 7675 section 5.1: uniformly 0.8 to 1.2 times the interval, so checks of many sessions spread out. */
    private static long jittered(long intervalNanos) {
        return (long) (intervalNanos * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    private void send(long intervalMillis) {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null) {
            return;
        }
        LocalCandidate local = pair.getLocalCandidate().getBase() != null
                ? pair.getLocalCandidate().getBase() : pair.getLocalCandidate();
        TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
        String media = component.getParentStream().getName();
        String username = agent.generateLocalUserName(media);
        if (username == null) {
            return; // no remote credentials (cannot happen once ICE completed)
        }
        Request request = MessageFactory.createBindingRequest();
        request.putAttribute(AttributeFactory.createPriorityAttribute(
                pair.getLocalCandidate().computePriorityForType(CandidateType.PEER_REFLEXIVE_CANDIDATE)));
        request.putAttribute(AttributeFactory.createIceControlledAttribute(agent.getTieBreaker()));
        request.putAttribute(AttributeFactory.createUsernameAttribute(username));
        MessageIntegrityAttribute integrity = AttributeFactory.createMessageIntegrityAttribute(username);
        integrity.setMedia(media); // signed with the peer's password, looked up by the stack
        request.putAttribute(integrity);
        request.putAttribute(AttributeFactory.createFingerprintAttribute()); // RFC 8445 7.1: checks carry it
        // Retransmitted a few times within one interval (500 ms at first, less for short test intervals).
        int firstWait = (int) Math.max(20, Math.min(500, intervalMillis / 5));
        int maxWait = (int) Math.max(firstWait, Math.min(1600, intervalMillis / 2));
        try {
            agent.getStunStack().sendRequest(request, remote, local.getTransportAddress(), this,
                    TransactionID.createNewTransactionID(), firstWait, maxWait, 4);
        } catch (Exception e) {
            LOG.debug("{}: consent check to {} not sent: {}", name, remote, e.toString());
        }
    }

    @Override
    public void processResponse(StunResponseEvent event) {
        if (event.getResponse().isSuccessResponse()) {
            answered.incrementAndGet();
        } else {
            LOG.debug("{}: consent check refused by {}", name, event.getRemoteAddress());
        }
    }

    @Override
    public void processTimeout(StunTimeoutEvent event) {
        LOG.debug("{}: a consent check was not answered", name);
    }
}
