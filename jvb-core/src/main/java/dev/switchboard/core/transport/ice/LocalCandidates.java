package dev.switchboard.core.transport.ice;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ice4j.ice.Component;
import org.ice4j.ice.LocalCandidate;

/**
 * The candidates a shared port (UDP or TCP) gives ICE agents, by local ufrag. An agent announces its ufrag
 * with its payload handler ({@link #expect}); its next harvest on the port creates the candidate, which the
 * port then finds by the USERNAME of incoming checks. Thread-safe.
 *
 * @param <C> the port's candidate type
 */
final class LocalCandidates<C extends LocalCandidate> {
    /** Creates a port's candidate for an agent's component. */
    interface Factory<C> {
        C create(Component component, String ufrag, PayloadHandler handler);
    }

    private final Map<String, PayloadHandler> expected = new ConcurrentHashMap<>();
    private final Map<String, C> byUfrag = new ConcurrentHashMap<>();

    void expect(String ufrag, PayloadHandler handler) {
        expected.put(ufrag, handler);
    }

    /** The ice4j harvest: a candidate for an agent that announced itself, none for others. */
    Collection<LocalCandidate> harvest(Component component, boolean portClosed, Factory<C> factory) {
        String ufrag = component.getParentStream().getParentAgent().getLocalUfrag();
        PayloadHandler handler = expected.remove(ufrag);
        if (handler == null || portClosed) {
            return List.of();
        }
        C candidate = factory.create(component, ufrag, handler);
        byUfrag.put(ufrag, candidate);
        component.addLocalCandidate(candidate);
        return List.of(candidate);
    }

    C get(String ufrag) {
        return byUfrag.get(ufrag);
    }

    void remove(String ufrag, C candidate) {
        byUfrag.remove(ufrag, candidate);
    }
}
