package dev.switchboard.core.routing;

import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.speaker.DominantSpeakerDetector;
import dev.switchboard.core.speaker.LastNSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A conference's dominant speaker and last-N state. Confined to the conference's media loop: audio levels
 * come from decrypted packets there, and the forwarding decision it publishes ({@link
 * BridgeEndpoint#setForwardedVideo}) is read there.
 *
 * <p>When the speaker changes, every endpoint hears {@link EndpointEvent.DominantSpeakerChanged}, and an endpoint
 * that joins while there is a speaker hears who it is; when a
 * receiver's last-N selection changes it hears {@link EndpointEvent.ForwardedVideoChanged}, and the newly
 * forwarded senders are asked for a keyframe so their video starts at once.
 */
final class SpeakerTracker {
    interface KeyframeRequester {
        void requestKeyframe(BridgeEndpoint sender);
    }

    private final Supplier<BridgeEndpoint[]> endpoints;
    private final KeyframeRequester keyframes;
    private final DominantSpeakerDetector detector;
    private final LastNSelector lastN = new LastNSelector(LastNSelector.UNLIMITED);

    SpeakerTracker(LongSupplier nanoClock, Supplier<BridgeEndpoint[]> endpoints, KeyframeRequester keyframes) {
        this.endpoints = endpoints;
        this.keyframes = keyframes;
        this.detector = new DominantSpeakerDetector(nanoClock, DominantSpeakerDetector.Config.defaults(),
                (speaker, previous) -> onSpeakerChanged(speaker));
    }

    void onAudioLevel(BridgeEndpoint sender, int level) {
        detector.onAudioLevel(sender.id(), level);
    }

    /** Lets silence end bins when no audio flows. */
    void tick() {
        detector.evaluate();
    }

    void endpointsChanged(List<String> added, List<String> removed) {
        added.forEach(lastN::addEndpoint);
        for (String id : removed) {
            lastN.removeEndpoint(id);
            detector.removeEndpoint(id);
        }
        reselect();
        String speaker = detector.dominantSpeaker();
        if (speaker != null && !added.isEmpty()) { // newcomers learn the current speaker, not only later changes
            for (BridgeEndpoint endpoint : endpoints.get()) {
                if (added.contains(endpoint.id())) {
                    endpoint.notifyListener(new EndpointEvent.DominantSpeakerChanged(endpoint.id(), speaker));
                }
            }
        }
    }

    void setLastN(int n) {
        lastN.setConferenceLastN(n);
        reselect();
    }

    void setReceiverLastN(String endpointId, int n) {
        lastN.setReceiverLastN(endpointId, n);
        reselect();
    }

    String dominantSpeaker() {
        return detector.dominantSpeaker();
    }

    private void onSpeakerChanged(String speaker) {
        if (speaker != null) {
            lastN.onDominantSpeaker(speaker);
        }
        for (BridgeEndpoint endpoint : endpoints.get()) {
            endpoint.notifyListener(new EndpointEvent.DominantSpeakerChanged(endpoint.id(), speaker));
        }
        reselect();
    }

    /** Recomputes each receiver's forwarded senders; tells those whose selection changed. */
    void reselect() {
        BridgeEndpoint[] all = endpoints.get();
        for (BridgeEndpoint receiver : all) {
            boolean unlimited = lastN.effectiveLastN(receiver.id()) == LastNSelector.UNLIMITED;
            List<String> selected = lastN.selectFor(receiver.id(), id -> sendsVideo(all, id));
            List<BridgeEndpoint> senders = new ArrayList<>();
            for (String id : selected) {
                for (BridgeEndpoint candidate : all) {
                    if (candidate.id().equals(id)) {
                        senders.add(candidate);
                    }
                }
            }
            List<BridgeEndpoint> before = receiver.forwardedVideo();
            List<BridgeEndpoint> after = unlimited ? null : List.copyOf(senders);
            if (before == null ? after == null : before.equals(after)) {
                continue;
            }
            receiver.setForwardedVideo(after);
            for (BridgeEndpoint sender : senders) {
                if (before != null && !before.contains(sender)) {
                    keyframes.requestKeyframe(sender);
                }
            }
            receiver.notifyListener(new EndpointEvent.ForwardedVideoChanged(receiver.id(), selected));
        }
    }

    private static boolean sendsVideo(BridgeEndpoint[] all, String id) {
        for (BridgeEndpoint e : all) {
            if (e.id().equals(id)) {
                return e.sendsVideo();
            }
        }
        return false;
    }
}
