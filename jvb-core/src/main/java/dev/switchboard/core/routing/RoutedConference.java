package dev.switchboard.core.routing;

import dev.switchboard.core.api.Conference;
import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.EndpointRequest;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.SelectedPair;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.api.VideoCodec;
import dev.switchboard.core.bwe.TransportCcFeedbackReader;
import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rewrite.VideoPayloadFormat;
import dev.switchboard.core.rtp.RtpFields;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.rtp.ExtensionIds;
import dev.switchboard.core.rtp.HeaderExtensions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conference: its endpoints and the forwarding between them, all on one {@link MediaLoop}.
 *
 * <p>Forwarding: every RTP packet an endpoint sends is decrypted once and re-encrypted for each other
 * connected endpoint (video subject to last-N); payload, SSRC, sequence numbers and timestamps are untouched.
 * RTCP is terminated by the bridge ({@link BridgeRtcp}): it sends its own receiver reports, transport-cc
 * feedback and NACKs to senders, routes receivers' keyframe requests to the sender they name, answers their
 * NACKs from its cache, and forwards only senders' SRs (for lip sync). The endpoint list the loop iterates
 * is a copy-on-write array, so the packet path takes no lock.
 */
public final class RoutedConference implements Conference {
    private static final Logger LOG = LoggerFactory.getLogger(RoutedConference.class);

    private final String id;
    private final MediaLoop loop;
    private final PacketPool pool;
    private final BridgeCounters counters;
    private final LongSupplier nanoClock;
    private final EndpointFactory endpointFactory;
    private final Executor setupExecutor;
    private final Runnable onEmpty;
    private final long bridgeSsrc;
    private final Object lock = new Object();
    private final Map<String, BridgeEndpoint> endpoints = new LinkedHashMap<>();
    private final TransportCcFeedbackReader feedbackReader = new TransportCcFeedbackReader();
    private volatile BridgeEndpoint[] snapshot = new BridgeEndpoint[0];
    private boolean closed;
    /** Loop-confined: dominant speaker and last-N. */
    private final SpeakerTracker speakers;
    /** Loop-confined: reusable header extension cursor. */
    private final HeaderExtensions extensionCursor = new HeaderExtensions();
    /** Loop-confined: the endpoints the speaker tracker knows. */
    private final java.util.Set<String> trackedEndpoints = new java.util.HashSet<>();
    /** Loop-confined: the {@link SimulcastSource#index}es in use by live sources of this conference. */
    private final java.util.BitSet sourceIndexes = new java.util.BitSet();
    /** Loop-confined: the bridge's RTCP (reports, feedback, keyframe requests, NACKs). */
    private final BridgeRtcp rtcp;
    /** Whether an RTCP tick is queued on the loop and has not run yet (ticks do not pile up). */
    private final AtomicBoolean rtcpTickQueued = new AtomicBoolean();
    private final Runnable rtcpTick = this::runRtcpTick;
    /** Loop-confined: whether some endpoint has packets to pace out (probes, test-only shaped egress). */
    private boolean pacing;
    /** The same, published for the timer, which queues pacing ticks only while it is true. */
    private volatile boolean pacingWanted;
    private final AtomicBoolean pacingTickQueued = new AtomicBoolean();
    private final Runnable pacingTick = this::runPacingTick;

    /** Builds an endpoint's transports (ICE agent, DTLS session); may block, so it runs on setupExecutor. */
    public interface EndpointFactory {
        TransportDescription connect(BridgeEndpoint endpoint) throws Exception;

        /** Creates and starts a new ICE session for an existing endpoint (ICE restart). */
        TransportDescription restartIce(BridgeEndpoint endpoint, IceParameters remoteIce,
                List<IceCandidate> candidates) throws Exception;
    }

    RoutedConference(String id, MediaLoop loop, PacketPool pool, BridgeCounters counters, LongSupplier nanoClock,
            EndpointFactory endpointFactory, Executor setupExecutor, long bridgeSsrc, Runnable onEmpty) {
        this.id = id;
        this.loop = loop;
        this.pool = pool;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.endpointFactory = endpointFactory;
        this.setupExecutor = setupExecutor;
        this.bridgeSsrc = bridgeSsrc;
        this.onEmpty = onEmpty;
        this.speakers = new SpeakerTracker(nanoClock, () -> snapshot, this::requestKeyframe);
        this.rtcp = new BridgeRtcp(this, loop, nanoClock, bridgeSsrc);
    }

    BridgeRtcp rtcp() {
        assert loop.inLoop();
        return rtcp;
    }

    /** The transport-cc feedback reader this conference's receivers share (loop thread only). */
    TransportCcFeedbackReader feedbackReader() {
        return feedbackReader;
    }

    LongSupplier nanoClock() {
        return nanoClock;
    }

    /** Loop thread: the endpoints now (a copy-on-write snapshot; do not modify). */
    BridgeEndpoint[] endpointsSnapshot() {
        return snapshot;
    }

    /**
     * Timer: queues the periodic RTCP work (NACKs, transport-cc feedback, receiver reports) on the loop,
     * unless the previous tick has not run yet or the loop's queue is full (the next tick catches up).
     */
    void scheduleRtcpTick() {
        if (rtcpTickQueued.compareAndSet(false, true) && !loop.tryExecute(rtcpTick)) {
            rtcpTickQueued.set(false);
        }
    }

    private void runRtcpTick() {
        rtcpTickQueued.set(false);
        rtcp.tick();
    }

    /**
     * Timer, every few ms: while an endpoint has packets to pace out, queues a pacing turn on the loop (skipped
     * while the previous one waits; the loop also paces after every packet it handles).
     */
    void schedulePacingTick() {
        if (pacingWanted && pacingTickQueued.compareAndSet(false, true) && !loop.tryExecute(pacingTick)) {
            pacingTickQueued.set(false);
        }
    }

    private void runPacingTick() {
        pacingTickQueued.set(false);
        pace();
    }

    /** Loop thread: some endpoint has something to pace out from now on. */
    void pacingNeeded() {
        pacing = true;
        pacingWanted = true;
    }

    /** Loop thread, after each packet: a pacing turn when something waits (one field read otherwise). */
    void paceIfNeeded() {
        if (pacing) {
            pace();
        }
    }

    /** Loop thread: every endpoint sends what is due now ({@link BridgeEndpoint#pace}). */
    void pace() {
        long now = nanoClock.getAsLong();
        boolean more = false;
        for (BridgeEndpoint endpoint : snapshot) {
            more |= endpoint.pace(now);
        }
        pacing = more;
        pacingWanted = more;
    }

    SpeakerTracker speakers() {
        assert loop.inLoop();
        return speakers;
    }

    HeaderExtensions extensionCursor() {
        assert loop.inLoop();
        return extensionCursor;
    }

    /** Loop thread: the smallest simulcast source index not in use, now taken. */
    int allocateSourceIndex() {
        assert loop.inLoop();
        int index = sourceIndexes.nextClearBit(0);
        sourceIndexes.set(index);
        return index;
    }

    /** Loop thread: a retired source's index is free again. */
    void releaseSourceIndex(int index) {
        assert loop.inLoop();
        sourceIndexes.clear(index);
    }

    /** Timer: lets the speaker detector close bins while nobody sends audio. */
    void tickSpeakers() {
        loop.execute(speakers::tick);
    }

    @Override
    public void setLastN(int n) {
        checkLastN(n);
        loop.execute(() -> speakers.setLastN(n));
    }

    @Override
    public void setReceiverLastN(String endpointId, int n) {
        checkLastN(n);
        loop.execute(() -> speakers.setReceiverLastN(endpointId, n));
    }

    @Override
    public void setVideoConstraints(String endpointId, VideoConstraints constraints) {
        java.util.Objects.requireNonNull(constraints, "constraints");
        BridgeEndpoint endpoint = find(endpointId);
        if (endpoint != null) {
            loop.execute(() -> endpoint.setVideoConstraints(constraints));
        }
    }

    /**
     * Test-only fault injection (only through {@link RoutingBridge#setEgressLimitForTesting}): puts a link of
     * {@code bitsPerSecond} with a drop-tail queue between the bridge and {@code endpointId}, 0 to lift the limit.
     */
    void setEgressLimit(String endpointId, long bitsPerSecond) {
        BridgeEndpoint endpoint = find(endpointId);
        if (endpoint == null) {
            throw new IllegalArgumentException("no endpoint " + endpointId + " in conference " + id);
        }
        loop.execute(() -> endpoint.setEgressLimit(bitsPerSecond));
    }

    /** Loop-confined data, read on the loop: each endpoint's bandwidth estimate toward it (-1: none yet). */
    CompletionStage<Map<String, Long>> bandwidthEstimates() {
        CompletableFuture<Map<String, Long>> result = new CompletableFuture<>();
        loop.execute(() -> {
            Map<String, Long> estimates = new LinkedHashMap<>();
            for (BridgeEndpoint e : snapshot) {
                estimates.put(e.id(), e.downlink().estimateBps());
            }
            result.complete(estimates);
        });
        return result;
    }

    private static void checkLastN(int n) {
        if (n < -1) {
            throw new IllegalArgumentException("last-N must be -1 (unlimited) or >= 0: " + n);
        }
    }

    @Override
    public String id() {
        return id;
    }

    MediaLoop loop() {
        return loop;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    BridgeCounters counters() {
        return counters;
    }

    /** Fails connected endpoints that have been silent for longer than {@code timeoutNanos}. */
    void failSilentEndpoints(long timeoutNanos) {
        long now = nanoClock.getAsLong();
        for (BridgeEndpoint endpoint : snapshot) {
            endpoint.failIfSilent(now, timeoutNanos);
        }
    }

    /** Consent freshness (RFC 7675) of every connected endpoint; see {@link BridgeEndpoint#checkConsent}. */
    void checkConsent(long intervalNanos, long timeoutNanos) {
        long now = nanoClock.getAsLong();
        for (BridgeEndpoint endpoint : snapshot) {
            endpoint.checkConsent(now, intervalNanos, timeoutNanos);
        }
    }

    @Override
    public CompletionStage<TransportDescription> addEndpoint(EndpointRequest request) {
        BridgeEndpoint endpoint;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("conference " + id + " is closed"));
            }
            if (endpoints.containsKey(request.endpointId())) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException("endpoint " + request.endpointId() + " already exists"));
            }
            endpoint = newEndpoint(request);
            endpoints.put(request.endpointId(), endpoint);
        }
        CompletableFuture<TransportDescription> result = new CompletableFuture<>();
        setupExecutor.execute(() -> {
            endpoint.timeline().stamp(JoinTimeline.Stage.SETUP_STARTED);
            try {
                TransportDescription local = endpointFactory.connect(endpoint);
                synchronized (lock) {
                    if (endpoints.get(endpoint.id()) != endpoint) {
                        throw new IllegalStateException("endpoint " + endpoint.id() + " was removed while starting");
                    }
                    publishSnapshot();
                }
                result.complete(local);
            } catch (Exception e) {
                LOG.warn("Could not start endpoint {} in conference {}: {}", endpoint.id(), id, e.toString());
                removeEndpoint(endpoint.id(), new EndpointEvent.Failed(endpoint.id(), e.getMessage()));
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private BridgeEndpoint newEndpoint(EndpointRequest request) {
        return new BridgeEndpoint(request.endpointId(), this, loop, pool, counters, request.remote(),
                request.media(), request.listener());
    }

    @Override
    public CompletionStage<TransportDescription> restartIce(String endpointId, IceParameters remoteIce,
            List<IceCandidate> remoteCandidates) {
        BridgeEndpoint endpoint = find(endpointId);
        if (endpoint == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no endpoint " + endpointId));
        }
        CompletableFuture<TransportDescription> result = new CompletableFuture<>();
        setupExecutor.execute(() -> {
            try {
                result.complete(endpointFactory.restartIce(endpoint, remoteIce, remoteCandidates));
            } catch (Exception e) {
                LOG.warn("ICE restart of endpoint {} in conference {} failed: {}", endpointId, id, e.toString());
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void updateMedia(String endpointId, MediaDescription media) {
        BridgeEndpoint endpoint = find(endpointId);
        if (endpoint != null) {
            endpoint.updateMedia(media);
        }
    }

    @Override
    public void addRemoteCandidate(String endpointId, IceCandidate candidate) {
        BridgeEndpoint endpoint = find(endpointId);
        if (endpoint != null) {
            endpoint.addRemoteCandidate(candidate);
        }
    }

    @Override
    public void removeEndpoint(String endpointId) {
        removeEndpoint(endpointId, new EndpointEvent.Removed(endpointId));
    }

    void removeEndpoint(String endpointId, EndpointEvent event) {
        BridgeEndpoint endpoint;
        boolean empty;
        synchronized (lock) {
            endpoint = endpoints.remove(endpointId);
            if (endpoint == null) {
                return;
            }
            publishSnapshot();
            empty = endpoints.isEmpty();
            if (empty) {
                closed = true;
            }
        }
        loop.execute(() -> rtcp.endpointRemoved(endpoint));
        if (endpoint.close()) {
            loop.execute(this::removeRetiredForwarders);
            LOG.info("Endpoint {} left conference {} ({})", endpointId, id, event.getClass().getSimpleName());
            notify(endpoint, event);
        }
        if (empty) {
            onEmpty.run();
        }
    }

    /** Removes every endpoint (bridge shutdown). */
    void close() {
        for (String endpointId : endpointIds()) {
            removeEndpoint(endpointId);
        }
        synchronized (lock) {
            closed = true;
        }
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public Set<String> endpointIds() {
        synchronized (lock) {
            return Set.copyOf(endpoints.keySet());
        }
    }

    @Override
    public Optional<SelectedPair> selectedPair(String endpointId) {
        BridgeEndpoint endpoint = find(endpointId);
        return endpoint == null ? Optional.empty() : endpoint.selectedPair();
    }

    int endpointCount() {
        synchronized (lock) {
            return endpoints.size();
        }
    }

    private BridgeEndpoint find(String endpointId) {
        synchronized (lock) {
            return endpoints.get(endpointId);
        }
    }

    private void publishSnapshot() {
        BridgeEndpoint[] published = endpoints.values().toArray(new BridgeEndpoint[0]);
        snapshot = published;
        loop.execute(() -> syncSpeakers(published));
    }

    /** Loop thread: tells the speaker tracker which endpoints joined and left. */
    private void syncSpeakers(BridgeEndpoint[] published) {
        List<String> added = new java.util.ArrayList<>();
        java.util.Set<String> present = new java.util.HashSet<>();
        for (BridgeEndpoint e : published) {
            present.add(e.id());
            if (trackedEndpoints.add(e.id())) {
                added.add(e.id());
            }
        }
        List<String> removed = trackedEndpoints.stream().filter(id -> !present.contains(id)).toList();
        trackedEndpoints.removeAll(removed);
        speakers.endpointsChanged(added, removed);
    }

    private static void notify(BridgeEndpoint endpoint, EndpointEvent event) {
        try {
            endpoint.listener().onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("Endpoint listener failed on {}", event, e);
        }
    }

    // ---- media loop ----------------------------------------------------------------------------------

    /**
     * Sends a decrypted packet as it is (RTP, or with {@code rtcp} a compound RTCP packet) to every other
     * endpoint that can receive, re-encrypted for each. Video goes only to receivers whose last-N selection
     * includes the sender. RTCP the bridge relays takes {@link BridgeRtcp}'s own path instead.
     */
    void forward(BridgeEndpoint sender, PacketBuffer packet, boolean rtcp, boolean video) {
        PacketBuffer out = loop.scratch();
        boolean sent = false;
        int payloadType = video ? RtpHeader.payloadType(packet.array(), packet.offset()) : -1;
        VideoCodec codec = video ? sender.payloadFormats().codec(payloadType) : null;
        for (BridgeEndpoint receiver : snapshot) {
            if (receiver != sender && receiver.canReceiveMedia() && (!video || receiver.receivesVideoFrom(sender))) {
                if (video && !receiver.payloadFormats().accepts(payloadType, codec)) {
                    counters.drop(DropReason.CODEC_NOT_NEGOTIATED);
                    continue;
                }
                out.copyFrom(packet.array(), packet.offset(), packet.length());
                if (!rtcp) {
                    receiver.downlink().stamp(out, sender.extensionIds(), extensionCursor, false);
                }
                receiver.protectAndSend(out, rtcp);
                sent = true;
            }
        }
        if (sent && !rtcp) { // the time to the last copy; RTCP has its own paths
            loop.transit().record(nanoClock.getAsLong() - packet.receivedAtNanos());
        }
    }

    /**
     * Forwards a decrypted packet of a simulcast layer: to each other receiver that gets the sender's video, as
     * part of the one stream it receives of that source ({@link SimulcastForwarder}: its chosen layer, switched
     * at keyframes, SSRC/sequence number/timestamp and the codec's payload fields rewritten, header extensions
     * translated to the receiver's, see {@link Downlink#stamp}). The codec is the one the sender negotiated for the
     * packet's payload type ({@link PayloadFormats}); a payload it cannot parse is dropped and counted, and
     * receivers that did not negotiate that payload type get nothing of the source. A receiver waiting for a
     * switch makes the bridge ask the sender for a keyframe of the target layer.
     * {@code fresh}: the packet is newer than every one before on its layer (not retransmitted or late).
     */
    void forwardSimulcast(BridgeEndpoint sender, IncomingStream stream, PacketBuffer packet, boolean fresh) {
        SimulcastSource source = stream.simulcast;
        byte[] a = packet.array();
        int off = packet.offset();
        int len = packet.length();
        long now = nanoClock.getAsLong();
        int headerLength = RtpHeader.headerLength(a, off, len);
        int payloadLength = RtpFields.payloadLength(a, off, len);
        if (headerLength < 0 || payloadLength < 0) {
            return;
        }
        int payloadType = RtpHeader.payloadType(a, off);
        VideoPayloadFormat format = sender.payloadFormats().format(payloadType);
        int kind = payloadLength > 0 ? format.inspect(a, off + headerLength, payloadLength)
                : VideoPayloadFormat.ORDINARY;
        if (kind == VideoPayloadFormat.MALFORMED) {
            counters.drop(DropReason.MALFORMED_PAYLOAD);
            return;
        }
        // Only the newest packet of a layer can start a switch: a keyframe start that arrives late (retransmitted)
        // would leave the receiver without the rest of that keyframe, already gone by.
        boolean keyframeStart = fresh && kind == VideoPayloadFormat.SWITCH_POINT;
        source.onPacket(stream.layer, now,
                keyframeStart ? format.keyframeHeight(a, off + headerLength, payloadLength) : -1, len);
        if (keyframeStart) {
            rtcp.onKeyframe(stream.ssrc);
        }
        ExtensionIds extensionIds = sender.extensionIds();
        VideoCodec codec = sender.payloadFormats().codec(payloadType);
        PacketBuffer out = loop.scratch();
        boolean sent = false;
        for (BridgeEndpoint receiver : snapshot) {
            if (receiver == sender || !receiver.canReceiveMedia()) {
                continue;
            }
            if (!receiver.payloadFormats().accepts(payloadType, codec)) {
                counters.drop(DropReason.CODEC_NOT_NEGOTIATED);
                continue;
            }
            SimulcastForwarder forwarder = receiver.forwarder(source);
            if (!receiver.receivesVideoFrom(sender)) {
                forwarder.pause();
                continue;
            }
            forwarder.selectLayer(receiver, now);
            sent |= forwardLayerPacket(receiver, forwarder, packet, keyframeStart, payloadLength == 0, extensionIds,
                    out, format);
            if (forwarder.keyframeRequestDue(now)) {
                rtcp.requestKeyframe(sender, forwarder.rewriter.targetSource());
            }
        }
        if (sent) {
            loop.transit().record(nanoClock.getAsLong() - packet.receivedAtNanos());
        }
    }

    /**
     * One receiver's share of {@link #forwardSimulcast}: the packet, rewritten, if it belongs to its stream.
     * Returns true when a copy went out.
     */
    private boolean forwardLayerPacket(BridgeEndpoint receiver, SimulcastForwarder forwarder, PacketBuffer packet,
            boolean keyframeStart, boolean paddingOnly, ExtensionIds extensionIds, PacketBuffer out,
            VideoPayloadFormat format) {
        byte[] a = packet.array();
        int off = packet.offset();
        int len = packet.length();
        long ssrc = RtpHeader.ssrc(a, off);
        if (ssrc != forwarder.rewriter.currentSource()
                && !(keyframeStart && ssrc == forwarder.rewriter.targetSource())) {
            return false; // another layer: not for this receiver (no copy)
        }
        if (paddingOnly) {
            forwarder.rewriter.skip(a, off, len); // bandwidth probing: not sent, and no gap
            return false;
        }
        out.copyFrom(a, off, len);
        byte[] o = out.array();
        if (forwarder.rewriter.rewrite(o, out.offset(), out.length(), keyframeStart,
                forwarder.payloadRewriter(format))) {
            forwarder.setPayloadType(RtpHeader.payloadType(o, out.offset()) & 0x7F);
            receiver.downlink().stamp(out, extensionIds, extensionCursor, true);
            receiver.protectAndSend(out, false);
            return true;
        }
        return false;
    }

    /** Asks every other endpoint for a keyframe of each of its video sources (rate-limited per sender). */
    void requestKeyframesFromOthers(BridgeEndpoint receiver) {
        for (BridgeEndpoint sender : snapshot) {
            if (sender != receiver) {
                requestKeyframe(sender);
            }
        }
    }

    /** Sends the bridge's own PLI for each video source of {@code sender} (rate-limited per source). */
    void requestKeyframe(BridgeEndpoint sender) {
        for (long ssrc : sender.videoPrimarySsrcs()) {
            rtcp.requestKeyframe(sender, ssrc);
        }
        for (SimulcastSource source : sender.simulcastSources()) {
            for (int layer = 0; layer < source.layers(); layer++) {
                if (source.layerSsrc(layer) >= 0) {
                    rtcp.requestKeyframe(sender, source.layerSsrc(layer));
                }
            }
        }
    }

    /** Loop thread: receivers forget their forwarders of simulcast sources that are gone. */
    void removeRetiredForwarders() {
        for (BridgeEndpoint receiver : snapshot) {
            receiver.removeRetiredForwarders();
        }
    }

    @Override
    public String toString() {
        return "Conference " + id + " " + Arrays.toString(snapshot);
    }
}
