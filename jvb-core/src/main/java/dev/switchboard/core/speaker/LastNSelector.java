package dev.switchboard.core.speaker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Last-N: which endpoints' video each receiver gets. Endpoints are ordered by how recently they were the
 * dominant speaker (most recent first; those who never were follow in the order they joined); a receiver
 * gets the first N of that order, itself excluded. N is set per conference and may be lowered per receiver:
 * the effective N is the smaller of the two, where -1 means unlimited (and 0 means no video).
 *
 * <p>Not thread-safe: confine it to one thread (the conference's control or media loop), and publish
 * selections to the packet path as immutable snapshots.
 */
public final class LastNSelector {
    public static final int UNLIMITED = -1;

    private final List<String> order = new ArrayList<>();
    private final Map<String, Integer> receiverLastN = new HashMap<>();
    private int conferenceLastN;

    /** @param conferenceLastN N for every receiver, or {@link #UNLIMITED} */
    public LastNSelector(int conferenceLastN) {
        setConferenceLastN(conferenceLastN);
    }

    public void setConferenceLastN(int n) {
        this.conferenceLastN = checkN(n);
    }

    /** A receiver's own limit ({@link #UNLIMITED} to follow the conference's). */
    public void setReceiverLastN(String receiverId, int n) {
        if (checkN(n) == UNLIMITED) {
            receiverLastN.remove(receiverId);
        } else {
            receiverLastN.put(receiverId, n);
        }
    }

    /** The N that applies to {@code receiverId}: the smaller limit, {@link #UNLIMITED} if neither limits. */
    public int effectiveLastN(String receiverId) {
        Integer own = receiverLastN.get(receiverId);
        if (own == null) {
            return conferenceLastN;
        }
        return conferenceLastN == UNLIMITED ? own : Math.min(own, conferenceLastN);
    }

    /** A new endpoint, placed after everyone (it has not spoken yet). */
    public void addEndpoint(String endpointId) {
        if (!order.contains(endpointId)) {
            order.add(endpointId);
        }
    }

    public void removeEndpoint(String endpointId) {
        order.remove(endpointId);
        receiverLastN.remove(endpointId);
    }

    /** {@code endpointId} became the dominant speaker: it moves to the front. */
    public void onDominantSpeaker(String endpointId) {
        order.remove(endpointId);
        order.add(0, endpointId);
    }

    /** Endpoints, most recent dominant speaker first. */
    public List<String> speakerOrder() {
        return List.copyOf(order);
    }

    /** The endpoints whose video {@code receiverId} gets, in speaker order. */
    public List<String> selectFor(String receiverId) {
        return selectFor(receiverId, id -> true);
    }

    /**
     * The endpoints whose video {@code receiverId} gets, counting only {@code eligible} ones (e.g. those that
     * send video at all), in speaker order.
     */
    public List<String> selectFor(String receiverId, Predicate<String> eligible) {
        int n = effectiveLastN(receiverId);
        List<String> selected = new ArrayList<>();
        for (String id : order) {
            if (n != UNLIMITED && selected.size() >= n) {
                break;
            }
            if (!id.equals(receiverId) && eligible.test(id)) {
                selected.add(id);
            }
        }
        return selected;
    }

    /** Whether {@code senderId}'s video goes to {@code receiverId}; allocation-free. */
    public boolean isForwarded(String receiverId, String senderId) {
        if (senderId.equals(receiverId)) {
            return false;
        }
        int n = effectiveLastN(receiverId);
        int rank = 0;
        for (int i = 0; i < order.size(); i++) {
            String id = order.get(i);
            if (id.equals(receiverId)) {
                continue;
            }
            if (n != UNLIMITED && rank >= n) {
                return false;
            }
            if (id.equals(senderId)) {
                return true;
            }
            rank++;
        }
        return false;
    }

    private static int checkN(int n) {
        if (n < UNLIMITED) {
            throw new IllegalArgumentException("last-N " + n);
        }
        return n;
    }
}
