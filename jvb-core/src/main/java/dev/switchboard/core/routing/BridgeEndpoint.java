package dev.switchboard.core.routing;

import dev.switchboard.core.api.EndpointEvent;
import dev.switchboard.core.api.EndpointListener;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.MediaDescription;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.MediaSource;
import dev.switchboard.core.api.SelectedPair;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.api.VideoConstraints;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.fault.EgressShaper;
import dev.switchboard.core.packet.PacketKind;
import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.repair.RtxStreams;
import dev.switchboard.core.rtp.AudioLevelExtension;
import dev.switchboard.core.rtp.ExtensionIds;
import dev.switchboard.core.rtp.HeaderExtensions;
import dev.switchboard.core.rtp.NetworkBytes;
import dev.switchboard.core.rtp.RtxPacket;
import dev.switchboard.core.stats.RoundTripTime;
import dev.switchboard.core.stats.TransportCcFeedbackBuilder;
import dev.switchboard.core.transport.dtls.DtlsSession;
import dev.switchboard.core.transport.dtls.SrtpKeys;
import dev.switchboard.core.transport.ice.IceTransport;
import dev.switchboard.core.transport.ice.PayloadHandler;
import dev.switchboard.core.transport.srtp.SrtpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's media transport inside a conference: ICE, DTLS, SRTP, and its receive path.
 *
 * <p>Threads: {@link #onPayload} runs on the shared port's socket thread and only classifies, copies
 * into a pooled buffer and enqueues; everything touching {@link #srtp} runs on the conference's
 * {@link MediaLoop}. Lifecycle changes come from signaling, ICE and DTLS threads and go through
 * {@link #state}.
 */
final class BridgeEndpoint implements PayloadHandler, MediaLoop.PacketHandler, IceTransport.Listener {
    enum State { CONNECTING, CONNECTED, CLOSED }

    /**
     * Where the packets the bridge sends this endpoint go once routed, on the media loop: SRTP/SRTCP
     * protection and the ICE path in production; tests capture them instead.
     */
    interface Egress {
        /** Protects {@code packet} (RTP or RTCP) in place and sends it; it stays the caller's buffer. */
        void send(PacketBuffer packet, boolean rtcp);

        /**
         * Like {@link #send} for an RTP packet this endpoint may have been sent before, unchanged (same SSRC,
         * sequence number and bytes): a retransmission. Returns false when it could not be protected.
         */
        default boolean resend(PacketBuffer packet) {
            send(packet, false);
            return true;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BridgeEndpoint.class);

    private final String id;
    private final RoutedConference conference;
    private final MediaLoop loop;
    private final PacketPool pool;
    private final BridgeCounters counters;
    private final EndpointListener listener;
    private final TransportDescription remote;
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);
    /** The ICE session media goes out on; replaced when an ICE restart completes. */
    private volatile IceTransport ice;
    /** The ICE session of a restart in progress, or null. */
    private volatile IceTransport restarting;
    private DtlsSession dtls;
    /** Loop-confined: null until DTLS has produced keys. */
    private SrtpSession srtp;
    /** Loop-confined: null until the endpoint can be sent packets (keys installed). */
    private Egress egress;
    /** Loop-confined: receive state of each SSRC this endpoint sends, in the order of its media description. */
    private IncomingStream[] incoming = new IncomingStream[0];
    /** Loop-confined: transport-wide sequence number extension id, 0 when not negotiated. */
    private int transportCcExtensionId;
    /** Loop-confined: arrival times for transport-cc feedback, null when not negotiated. */
    private TransportCcFeedbackBuilder transportCc;
    /** Loop-confined: when the last transport-cc feedback was sent. */
    private long lastTransportCcNanos;
    /** Loop-confined: when the next receiver report is due, or {@link Long#MIN_VALUE} before the first. */
    private long nextReceiverReportNanos = Long.MIN_VALUE;
    /** Loop-confined: round-trip time between the bridge and this endpoint. */
    private final RoundTripTime rtt = new RoundTripTime();
    /** Loop-confined: SSRCs of the video sources this endpoint sends. */
    private long[] videoSsrcs = new long[0];
    /** Loop-confined: primary SSRC of each video source (what keyframe requests name). */
    private long[] videoPrimarySsrcs = new long[0];
    /** Loop-confined: SSRCs of the audio sources this endpoint sends. */
    private long[] audioSsrcs = new long[0];
    /** Loop-confined: RFC 6464 audio level extension id, 0 when not negotiated. */
    private int audioLevelExtensionId;
    /** Loop-confined: the simulcast video sources this endpoint sends. */
    private SimulcastSource[] simulcastSources = new SimulcastSource[0];
    /** Loop-confined: mid and rid extension ids of what this endpoint sends (0: not negotiated). */
    private int midExtensionId;
    private int ridExtensionId;
    private int repairedRidExtensionId;
    /** Loop-confined: media payload type of each RTX payload type this endpoint sends (-1: not RTX). */
    private int[] sendRtxPayloadTypes = noRtx();
    /**
     * Loop-confined: the ids of the header extensions the bridge forwards, as this endpoint negotiated them
     * (read in what it sends; written, by {@link #downlink}, in what it is sent).
     */
    private ExtensionIds extensionIds = ExtensionIds.NONE;
    /** Loop-confined: the codec of each video payload type this endpoint negotiated (both ways). */
    private final PayloadFormats payloadFormats = new PayloadFormats();
    /** Loop-confined: the bridge-to-endpoint direction (extensions, transport-wide numbers, estimate, allocation). */
    private final Downlink downlink;
    /**
     * Loop-confined: as receiver, its forwarder of each remote simulcast source it has been sent, at the source's
     * {@link SimulcastSource#index} (null where none; an entry whose source differs is stale).
     */
    private SimulcastForwarder[] forwarders = new SimulcastForwarder[0];
    /** Loop-confined: as receiver, what it wants of the others' simulcast video, and a change counter. */
    private VideoConstraints videoConstraints = VideoConstraints.DEFAULT;
    /** Loop-confined: as receiver, its negotiated RTX payload types and the RTX streams the bridge sends it. */
    private final RtxStreams rtxStreams = new RtxStreams();
    private int videoConstraintsVersion;
    /** Loop-confined: the senders whose video this endpoint receives (last-N), or null for all. */
    private List<BridgeEndpoint> forwardedVideo;
    private volatile MediaDescription media;
    /** Loop-confined, test-only fault injection: a narrow link in front of this endpoint, or null. */
    private EgressShaper egressShaper;
    /** When the last datagram (other than STUN) arrived, from the conference's clock; written per packet. */
    private volatile long lastReceivedNanos;
    /** When this endpoint reached each set-up stage (logged at DEBUG once connected). */
    private final JoinTimeline timeline;

    BridgeEndpoint(String id, RoutedConference conference, MediaLoop loop, PacketPool pool, BridgeCounters counters,
            TransportDescription remote, MediaDescription media, EndpointListener listener) {
        this.id = id;
        this.conference = conference;
        this.loop = loop;
        this.pool = pool;
        this.counters = counters;
        this.remote = remote;
        this.media = media;
        this.listener = listener;
        this.timeline = new JoinTimeline(id, System::nanoTime);
        this.downlink = new Downlink(this, conference.nanoClock(), counters, conference::pacingNeeded,
                conference.feedbackReader());
    }

    private boolean startDtlsOnIceConnected;

    /**
     * Wires the transports; called once, before ICE starts. A DTLS server may start at once (it waits for
     * the ClientHello); a DTLS client starts when ICE has a path, so its first flight is not lost.
     */
    void attach(IceTransport ice, DtlsSession dtls, boolean startDtlsNow) {
        this.ice = ice;
        this.dtls = dtls;
        this.startDtlsOnIceConnected = !startDtlsNow;
        timeline.stamp(JoinTimeline.Stage.AGENT_READY);
        if (startDtlsNow) {
            dtls.start();
        }
        loop.execute(() -> applyMedia(media));
        dtls.handshakeFuture().whenComplete((keys, error) -> {
            if (error != null) {
                fail("DTLS handshake failed: " + rootMessage(error));
            } else {
                timeline.stamp(JoinTimeline.Stage.DTLS_DONE);
                loop.execute(() -> installKeys(keys));
            }
        });
    }

    /** Where its media flows (the current ICE session's selected pair), if ICE selected one. */
    Optional<SelectedPair> selectedPair() {
        IceTransport current = ice;
        return current == null ? Optional.empty() : Optional.ofNullable(current.selectedPair());
    }

    String id() {
        return id;
    }

    JoinTimeline timeline() {
        return timeline;
    }

    TransportDescription remote() {
        return remote;
    }

    State state() {
        return state.get();
    }

    EndpointListener listener() {
        return listener;
    }

    void updateMedia(MediaDescription newMedia) {
        this.media = newMedia;
        loop.execute(() -> {
            applyMedia(newMedia);
            conference.removeRetiredForwarders();
            conference.speakers().reselect();
            // A renegotiation changes what this endpoint receives: ask every sender for a keyframe so the new
            // streams start decoding at once.
            conference.requestKeyframesFromOthers(this);
        });
    }

    void addRemoteCandidate(IceCandidate candidate) {
        if (state.get() != State.CLOSED) {
            IceTransport target = restarting;
            (target != null ? target : ice).addRemoteCandidate(candidate);
        }
    }

    // ---- socket thread -------------------------------------------------------------------------------

    @Override
    public void onPayload(byte[] array, int off, int len) {
        counters.received(len);
        long now = conference.nanoTime();
        lastReceivedNanos = now;
        if (state.get() == State.CLOSED) {
            return;
        }
        switch (PacketKind.classify(array, off, len)) {
            // Also after the handshake: if our last flight was lost, the peer retransmits its Finished and
            // DtlsSession answers it again (a connected bridge ignoring it would leave the peer stuck in
            // "connecting" for good). DtlsSession drops and counts records it has no use for.
            case DTLS -> {
                timeline.stamp(JoinTimeline.Stage.FIRST_DTLS);
                timeline.dtlsDatagram();
                dtls.onDatagram(array, off, len);
            }
            case RTP, RTCP -> enqueue(array, off, len, now);
            default -> counters.drop(DropReason.MALFORMED);
        }
    }

    private void enqueue(byte[] array, int off, int len, long receivedAtNanos) {
        if (len > PacketPool.MAX_DATAGRAM) {
            counters.drop(DropReason.OVERSIZED);
            return;
        }
        PacketBuffer packet = pool.acquire();
        packet.copyFrom(array, off, len);
        packet.setTag(this);
        packet.setReceivedAtNanos(receivedAtNanos);
        if (!loop.offerPacket(packet)) {
            packet.release();
            counters.drop(DropReason.QUEUE_FULL);
        }
    }

    // ---- media loop ----------------------------------------------------------------------------------

    @Override
    public void handlePacket(PacketBuffer packet) {
        try {
            SrtpSession session = srtp;
            if (session == null) {
                counters.drop(DropReason.NOT_READY);
                return;
            }
            byte[] a = packet.array();
            if (PacketKind.classify(a, packet.offset(), packet.length()) == PacketKind.RTP) {
                if (RtpHeader.headerLength(a, packet.offset(), packet.length()) < 0) {
                    counters.drop(DropReason.MALFORMED);
                } else if (!session.unprotectRtp(packet)) {
                    counters.drop(DropReason.SRTP_AUTH);
                } else {
                    onRtp(packet);
                }
            } else if (!session.unprotectRtcp(packet)) {
                counters.drop(DropReason.SRTP_AUTH);
            } else if (!RtcpPackets.isValidCompound(a, packet.offset(), packet.length())) {
                counters.drop(DropReason.MALFORMED);
            } else {
                conference.rtcp().onRtcp(this, packet);
            }
        } finally {
            packet.release();
        }
        conference.paceIfNeeded();
    }

    /**
     * Loop thread: a decrypted RTP packet from this endpoint. Feeds the receive-side state (statistics, NACK
     * generator, retransmission cache, transport-cc arrival times, audio level) and forwards it. The packet
     * stays the caller's.
     */
    void onRtp(PacketBuffer packet) {
        byte[] a = packet.array();
        int off = packet.offset();
        int len = packet.length();
        long arrival = packet.receivedAtNanos();
        long ssrc = RtpHeader.ssrc(a, off);
        HeaderExtensions cursor = conference.extensionCursor();
        if (transportCc != null && cursor.find(a, off, len, transportCcExtensionId) && cursor.dataLength() >= 2) {
            transportCc.onPacket(NetworkBytes.uint16(a, cursor.dataOffset()), Math.floorDiv(arrival, 1000L));
        }
        IncomingStream stream = incomingStream(ssrc);
        boolean forward = true;
        if (stream == null && simulcastSources.length > 0) {
            // Its audio and single-stream video are signaled: an unknown SSRC is a simulcast layer (or its RTX
            // stream) to learn from its rid, and never forwarded under its own SSRC, which receivers do not know.
            forward = false;
            if (ridExtensionId != 0 && cursor.find(a, off, len, ridExtensionId)) {
                stream = learnLayer(a, off, len, ssrc, false);
            } else if (repairedRidExtensionId != 0 && cursor.find(a, off, len, repairedRidExtensionId)) {
                stream = learnLayer(a, off, len, ssrc, true);
            }
        }
        if (stream != null && stream.rtx) {
            stream.statistics.onPacket(RtpHeader.sequenceNumber(a, off), RtpHeader.timestamp(a, off), arrival);
            stream = unwrapRtx(packet, stream);
            forward = stream != null; // padding only (bandwidth probe), or an RTX payload type we do not know
            len = packet.length();
            ssrc = RtpHeader.ssrc(a, off);
        }
        boolean duplicate = false;
        boolean fresh = true;
        if (stream != null) {
            int seq = RtpHeader.sequenceNumber(a, off);
            stream.statistics.onPacket(seq, RtpHeader.timestamp(a, off), arrival);
            fresh = stream.advance(seq);
            if (stream.nacks != null) {
                stream.nacks.onReceived(seq);
                if (stream.cache.get(seq) == null) {
                    stream.cache.insert(a, off, len);
                } else {
                    // A copy of a packet the bridge has (and forwarded): a retransmission it no longer needs, or
                    // Chrome's RTX padding made of recent packets. Not forwarded again, and the cache keeps the
                    // bytes that were, so that answers to receivers' NACKs repeat them exactly.
                    duplicate = true;
                }
            }
        }
        if (stream != null && stream.simulcast != null) {
            if (!duplicate) {
                conference.forwardSimulcast(this, stream, packet, fresh);
            }
        } else if (forward && !duplicate) {
            boolean video = contains(videoSsrcs, ssrc);
            if (!video && audioLevelExtensionId != 0 && contains(audioSsrcs, ssrc)) {
                int raw = AudioLevelExtension.read(cursor, a, off, len, audioLevelExtensionId);
                if (raw >= 0) {
                    conference.speakers().onAudioLevel(this, AudioLevelExtension.level(raw));
                }
            }
            conference.forward(this, packet, false, video);
        }
        if (transportCc != null && transportCc.pendingPackets() >= BridgeRtcp.TRANSPORT_CC_FLUSH_PACKETS) {
            conference.rtcp().sendTransportCcFeedback(this);
        }
    }

    /**
     * Turns an RTX packet (RFC 4588) of a simulcast layer or a single-stream source back into the original in
     * place: the repaired SSRC, the media payload type, the original sequence number. Returns the repaired
     * stream, or null when the packet has no OSN (a padding-only probe: counted as {@link DropReason#RTX_PADDING})
     * or its stream or payload type is unknown: then it is not forwarded.
     */
    private IncomingStream unwrapRtx(PacketBuffer packet, IncomingStream rtx) {
        byte[] a = packet.array();
        int off = packet.offset();
        int payloadType = sendRtxPayloadTypes[RtpHeader.payloadType(a, off) & 0x7F];
        IncomingStream repaired = incomingStream(rtx.primarySsrc);
        if (payloadType < 0 || repaired == null) {
            return null;
        }
        int length = RtxPacket.restoreInPlace(a, off, packet.length(), rtx.primarySsrc, payloadType);
        if (length < 0) {
            counters.drop(DropReason.RTX_PADDING);
            return null;
        }
        packet.setLength(length);
        counters.rtxReceived();
        return repaired;
    }

    /**
     * A packet of an SSRC not known yet whose rid (or, with {@code rtx}, repaired-rid) extension the cursor is on:
     * if the rid (and the mid, when present) names a layer of one of this endpoint's simulcast sources, that
     * SSRC becomes the layer's (or the RTX stream's repairing it; a previous SSRC in that role is forgotten).
     * An RTX stream is only learned once its layer is known. Allocates: once per layer.
     */
    private IncomingStream learnLayer(byte[] a, int off, int len, long ssrc, boolean rtx) {
        HeaderExtensions cursor = conference.extensionCursor();
        int ridOffset = cursor.dataOffset();
        int ridLength = cursor.dataLength();
        int midOffset = -1;
        int midLength = 0;
        if (midExtensionId != 0) {
            HeaderExtensions midCursor = new HeaderExtensions();
            if (midCursor.find(a, off, len, midExtensionId)) {
                midOffset = midCursor.dataOffset();
                midLength = midCursor.dataLength();
            }
        }
        for (SimulcastSource source : simulcastSources) {
            if (midOffset >= 0 && !source.midMatches(a, midOffset, midLength)) {
                continue;
            }
            int layer = source.layerOfRid(a, ridOffset, ridLength);
            if (layer < 0 || (rtx && source.layerSsrc(layer) < 0)) {
                continue;
            }
            long previous = rtx ? source.layerRtxSsrc(layer) : source.layerSsrc(layer);
            List<IncomingStream> streams = new ArrayList<>(List.of(incoming));
            if (previous >= 0) {
                IncomingStream old = incomingStream(previous);
                if (old != null) {
                    old.close();
                    streams.remove(old);
                }
            }
            if (rtx) {
                source.setLayerRtxSsrc(layer, ssrc);
            } else {
                source.setLayerSsrc(layer, ssrc);
            }
            long primary = rtx ? source.layerSsrc(layer) : ssrc;
            IncomingStream stream = new IncomingStream(ssrc, primary, source, layer, rtx, pool,
                    conference.nanoClock());
            streams.add(stream);
            incoming = streams.toArray(new IncomingStream[0]);
            LOG.info("Endpoint {}: simulcast layer {} ({}){} is SSRC {}", id, layer, source.description.rids()
                    .get(layer), rtx ? " RTX" : "", ssrc);
            return stream;
        }
        return null;
    }

    /** Loop thread: the state of an SSRC this endpoint sends, or null when it did not announce it. */
    IncomingStream incomingStream(long ssrc) {
        for (IncomingStream stream : incoming) {
            if (stream.ssrc == ssrc) {
                return stream;
            }
        }
        return null;
    }

    IncomingStream[] incomingStreams() {
        return incoming;
    }

    TransportCcFeedbackBuilder transportCc() {
        return transportCc;
    }

    long lastTransportCcNanos() {
        return lastTransportCcNanos;
    }

    void setLastTransportCcNanos(long nanos) {
        lastTransportCcNanos = nanos;
    }

    long nextReceiverReportNanos() {
        return nextReceiverReportNanos;
    }

    void setNextReceiverReportNanos(long nanos) {
        nextReceiverReportNanos = nanos;
    }

    RoundTripTime rtt() {
        return rtt;
    }

    /** The media SSRC transport-cc feedback names: the first SSRC of the endpoint's sources, or -1. */
    long feedbackMediaSsrc() {
        return incoming.length == 0 ? -1 : incoming[0].ssrc;
    }

    /** Loop thread: true when this endpoint can be sent media. */
    boolean canReceiveMedia() {
        return egress != null && state.get() == State.CONNECTED;
    }

    long[] videoSsrcs() {
        return videoSsrcs;
    }

    long[] videoPrimarySsrcs() {
        return videoPrimarySsrcs;
    }

    /** Whether this endpoint sends any video (single-stream or simulcast). */
    boolean sendsVideo() {
        return videoSsrcs.length > 0 || simulcastSources.length > 0;
    }

    SimulcastSource[] simulcastSources() {
        return simulcastSources;
    }

    /** The simulcast source this endpoint sends whose output SSRC is {@code ssrc}, or null. */
    SimulcastSource simulcastSourceByOutput(long ssrc) {
        for (SimulcastSource source : simulcastSources) {
            if (source.outputSsrc == ssrc) {
                return source;
            }
        }
        return null;
    }

    /** The forwarded header extensions' ids this endpoint negotiated (loop thread). */
    ExtensionIds extensionIds() {
        return extensionIds;
    }

    /** The video payload types this endpoint negotiated and their formats (loop thread). */
    PayloadFormats payloadFormats() {
        return payloadFormats;
    }

    /** As receiver: what the bridge sends it (extension translation, transport-wide numbers, estimate). */
    Downlink downlink() {
        return downlink;
    }

    /**
     * As receiver: its forwarders of remote simulcast sources, at each source's index (null entries where none;
     * do not modify).
     */
    SimulcastForwarder[] forwarders() {
        return forwarders;
    }

    // ---- as a receiver of simulcast ----

    /** This receiver's forwarder for {@code source}, created at first use (allocates once per source). */
    SimulcastForwarder forwarder(SimulcastSource source) {
        SimulcastForwarder existing = existingForwarder(source);
        if (existing != null) {
            return existing;
        }
        SimulcastForwarder created = new SimulcastForwarder(source, conference.nanoClock());
        int index = source.index;
        if (index >= forwarders.length) {
            forwarders = java.util.Arrays.copyOf(forwarders, Math.max(index + 1, 2 * forwarders.length));
        }
        forwarders[index] = created; // replaces a stale forwarder of a retired source that had this index
        return created;
    }

    /** This receiver's forwarder for {@code source}, or null when it has none. An array read, no search. */
    SimulcastForwarder existingForwarder(SimulcastSource source) {
        SimulcastForwarder[] all = forwarders;
        int index = source.index;
        if (index < all.length) {
            SimulcastForwarder f = all[index];
            if (f != null && f.source == source) {
                return f;
            }
        }
        return null;
    }

    /** Forgets forwarders of sources that are gone, and the RTX streams of sources no endpoint sends now. */
    void removeRetiredForwarders() {
        SimulcastForwarder[] all = forwarders;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != null && all[i].source.retired) {
                all[i] = null;
            }
        }
        BridgeEndpoint[] senders = conference.endpointsSnapshot();
        rtxStreams.retainIf(ssrc -> {
            for (BridgeEndpoint sender : senders) {
                if (sender != this && sender.hasRtxOutput(ssrc)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** As receiver: its negotiated RTX payload types and the RTX streams the bridge sends it (loop thread). */
    RtxStreams rtxStreams() {
        return rtxStreams;
    }

    /** Whether this endpoint sends a source the bridge retransmits to receivers on RTX SSRC {@code ssrc}. */
    boolean hasRtxOutput(long ssrc) {
        for (IncomingStream stream : incoming) {
            if (stream.rtxOutputSsrc == ssrc) {
                return true;
            }
        }
        for (SimulcastSource source : simulcastSources) {
            if (source.description.rtxOutputSsrc() == ssrc) {
                return true;
            }
        }
        return false;
    }

    VideoConstraints videoConstraints() {
        return videoConstraints;
    }

    int videoConstraintsVersion() {
        return videoConstraintsVersion;
    }

    void setVideoConstraints(VideoConstraints constraints) {
        videoConstraints = constraints;
        videoConstraintsVersion++;
    }

    /** Loop thread: whether this receiver gets {@code sender}'s video under last-N. */
    boolean receivesVideoFrom(BridgeEndpoint sender) {
        List<BridgeEndpoint> selected = forwardedVideo;
        return selected == null || selected.contains(sender);
    }

    List<BridgeEndpoint> forwardedVideo() {
        return forwardedVideo;
    }

    void setForwardedVideo(List<BridgeEndpoint> senders) {
        forwardedVideo = senders;
    }

    /**
     * Loop thread, test-only: puts a link of {@code bitsPerSecond} with a drop-tail queue in front of this endpoint
     * (0: none; what is still queued then goes out at once).
     */
    void setEgressLimit(long bitsPerSecond) {
        EgressShaper old = egressShaper;
        PacketBuffer queued;
        while (old != null && (queued = old.pollFirst()) != null) {
            try {
                sendNow(queued);
            } finally {
                queued.release();
            }
        }
        egressShaper = bitsPerSecond <= 0 ? null
                : new EgressShaper(bitsPerSecond, EGRESS_LIMIT_QUEUE_BYTES, pool);
    }

    /** Queue of the test-only egress limit: a keyframe of the lowest layer fits, a high layer's does not. */
    private static final int EGRESS_LIMIT_QUEUE_BYTES = 32 * 1024;

    /**
     * Loop thread: sends what the test-only egress limit has let through by {@code nowNanos}; true while it still
     * holds packets.
     */
    private boolean drainEgressShaper(long nowNanos) {
        EgressShaper shaper = egressShaper;
        if (shaper == null) {
            return false;
        }
        PacketBuffer next;
        while ((next = shaper.poll(nowNanos)) != null) {
            try {
                sendNow(next);
            } finally {
                next.release();
            }
        }
        return !shaper.isEmpty();
    }

    /**
     * Loop thread, on each pacing turn ({@link RoutedConference#pace}): sends the probe packets due now and what
     * the test-only egress limit lets through. True while more will be due (the conference keeps pacing).
     */
    boolean pace(long nowNanos) {
        boolean probing = ProbePackets.sendDue(this, loop.scratch(), nowNanos, counters);
        return drainEgressShaper(nowNanos) | probing;
    }

    /** Tells this endpoint's listener; a failing listener never disturbs the caller. */
    void notifyListener(EndpointEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("Endpoint listener failed on {}", event, e);
        }
    }

    private void applyMedia(MediaDescription description) {
        if (state.get() == State.CLOSED) {
            return;
        }
        videoSsrcs = ssrcsOf(description, MediaKind.VIDEO);
        videoPrimarySsrcs = description.sources().stream()
                .filter(s -> s.kind() == MediaKind.VIDEO && !s.isSimulcast())
                .mapToLong(s -> s.primarySsrc()).toArray();
        midExtensionId = description.midExtensionId();
        ridExtensionId = description.ridExtensionId();
        repairedRidExtensionId = description.repairedRidExtensionId();
        extensionIds = new ExtensionIds(description.audioLevelExtensionId(), description.transportCcExtensionId(),
                description.absSendTimeExtensionId(), description.videoOrientationExtensionId());
        downlink.setExtensionIds(extensionIds);
        payloadFormats.set(description.videoPayloadTypes());
        int[] sendRtx = noRtx();
        description.sendRtxPayloadTypes().forEach((rtxPt, pt) -> sendRtx[rtxPt] = pt);
        sendRtxPayloadTypes = sendRtx;
        rtxStreams.setPayloadTypes(description.receiveRtxPayloadTypes());
        List<SimulcastSource> simulcast = new ArrayList<>();
        for (MediaSource source : description.sources()) {
            if (source.isSimulcast()) {
                SimulcastSource existing = null;
                for (SimulcastSource s : simulcastSources) {
                    if (s.description.equals(source.simulcast())) {
                        existing = s;
                    }
                }
                simulcast.add(existing != null ? existing
                        : new SimulcastSource(this, source.simulcast(), conference.allocateSourceIndex()));
            }
        }
        for (SimulcastSource old : simulcastSources) {
            if (!simulcast.contains(old)) {
                retire(old);
            }
        }
        simulcastSources = simulcast.toArray(new SimulcastSource[0]);
        audioSsrcs = ssrcsOf(description, MediaKind.AUDIO);
        audioLevelExtensionId = description.audioLevelExtensionId();
        // keep the receive state of SSRCs that stay (a renegotiation must not reset statistics or caches)
        List<IncomingStream> streams = new ArrayList<>();
        for (MediaSource source : description.sources()) {
            for (long ssrc : source.ssrcs()) {
                IncomingStream existing = incomingStream(ssrc);
                boolean duplicate = streams.stream().anyMatch(s -> s.ssrc == ssrc);
                if (duplicate) {
                    continue;
                }
                IncomingStream stream = existing != null && existing.sameRole(source.primarySsrc(), source.kind(),
                        false) ? existing : new IncomingStream(ssrc, source.primarySsrc(), source.kind(), pool,
                                conference.nanoClock());
                if (ssrc == source.primarySsrc()) {
                    stream.rtxOutputSsrc = source.rtxOutputSsrc();
                }
                streams.add(stream);
            }
            long rtxSsrc = source.rtxSsrc();
            if (rtxSsrc >= 0 && streams.stream().noneMatch(s -> s.ssrc == rtxSsrc)) {
                IncomingStream existing = incomingStream(rtxSsrc);
                streams.add(existing != null && existing.sameRole(source.primarySsrc(), source.kind(), true)
                        ? existing : IncomingStream.repairing(rtxSsrc, source.primarySsrc(), pool,
                                conference.nanoClock()));
            }
        }
        for (IncomingStream old : incoming) {
            if (old.simulcast != null && !old.simulcast.retired && !streams.contains(old)) {
                streams.add(old); // a learned layer of a source that stays
            }
        }
        for (IncomingStream old : incoming) {
            if (!streams.contains(old)) {
                old.close();
            }
        }
        incoming = streams.toArray(new IncomingStream[0]);
        int extensionId = description.transportCcExtensionId();
        if (extensionId == 0) {
            transportCc = null;
        } else if (transportCc == null || extensionId != transportCcExtensionId) {
            transportCc = new TransportCcFeedbackBuilder();
        }
        transportCcExtensionId = extensionId;
    }

    /** Loop thread: the sender no longer sends {@code source}; its index may be given to a new source. */
    private void retire(SimulcastSource source) {
        source.retired = true;
        conference.releaseSourceIndex(source.index);
    }

    private static int[] noRtx() {
        int[] map = new int[128];
        java.util.Arrays.fill(map, -1);
        return map;
    }

    private static boolean contains(long[] values, long value) {
        for (long v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * Loop thread: protects {@code packet} (RTP or RTCP) in place for this receiver and sends it; only when
     * {@link #canReceiveMedia()}.
     */
    void protectAndSend(PacketBuffer packet, boolean rtcp) {
        egress.send(packet, rtcp);
    }

    /**
     * Loop thread: protects and sends a retransmission, an RTP packet exactly as it was (or would have been)
     * forwarded to this endpoint before; only when {@link #canReceiveMedia()}. False when SRTP refused it.
     */
    boolean retransmit(PacketBuffer packet) {
        return egress.resend(packet);
    }

    private boolean protectRetransmissionWithSrtpAndSend(PacketBuffer packet) {
        if (srtp.protectRtpRetransmission(packet)) {
            send(packet);
            return true;
        }
        counters.drop(DropReason.SEND_FAILED);
        return false;
    }

    private void protectWithSrtpAndSend(PacketBuffer packet, boolean rtcp) {
        if (rtcp ? srtp.protectRtcp(packet) : srtp.protectRtp(packet)) {
            send(packet);
        } else {
            counters.drop(DropReason.SEND_FAILED);
        }
    }

    /**
     * Loop thread, tests only: marks the endpoint connected without ICE, DTLS or SRTP; what the bridge sends
     * it goes to {@code capture}, and decrypted packets are fed with {@link #onRtp} and
     * {@link BridgeRtcp#onRtcp}.
     */
    void connectForTesting(Egress capture) {
        assert loop.inLoop();
        egress = capture;
        state.compareAndSet(State.CONNECTING, State.CONNECTED);
    }

    private void send(PacketBuffer packet) {
        if (egressShaper != null) {
            if (egressShaper.offer(packet.array(), packet.offset(), packet.length(), conference.nanoTime())) {
                conference.pacingNeeded();
            } else {
                counters.drop(DropReason.EGRESS_LIMIT);
            }
            return;
        }
        sendNow(packet);
    }

    private void sendNow(PacketBuffer packet) {
        try {
            if (!ice.send(packet.nioView())) {
                ice.send(packet.array(), packet.offset(), packet.length());
            }
            counters.forwarded(packet.length());
        } catch (IOException e) {
            counters.drop(DropReason.SEND_FAILED);
        }
    }

    private void installKeys(SrtpKeys keys) {
        if (state.get() == State.CLOSED) {
            return;
        }
        srtp = new SrtpSession(keys);
        egress = new Egress() {
            @Override
            public void send(PacketBuffer packet, boolean rtcp) {
                protectWithSrtpAndSend(packet, rtcp);
            }

            @Override
            public boolean resend(PacketBuffer packet) {
                return protectRetransmissionWithSrtpAndSend(packet);
            }
        };
        lastReceivedNanos = conference.nanoTime();
        if (state.compareAndSet(State.CONNECTING, State.CONNECTED)) {
            LOG.info("Endpoint {} of conference {} connected ({})", id, conference.id(), keys.profile());
            timeline.stamp(JoinTimeline.Stage.KEYS_INSTALLED);
            timeline.log();
            listener.onEvent(new EndpointEvent.Connected(id));
            conference.requestKeyframesFromOthers(this);
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    @Override
    public void iceConnected() {
        LOG.debug("Endpoint {}: ICE connected", id);
        timeline.stamp(JoinTimeline.Stage.ICE_CONNECTED);
        if (startDtlsOnIceConnected && state.get() == State.CONNECTING) {
            dtls.start();
        }
    }

    @Override
    public void checkReceived() {
        timeline.stamp(JoinTimeline.Stage.FIRST_CHECK);
    }

    @Override
    public void checkAnswered() {
        timeline.stamp(JoinTimeline.Stage.CHECK_ANSWERED);
    }

    @Override
    public void iceFailed(String reason) {
        fail(reason);
    }

    /** Sends a DTLS record; before ICE has a usable pair it is dropped and DTLS retransmits it later. */
    void sendDtls(byte[] buf, int off, int len) {
        try {
            ice.send(buf, off, len);
        } catch (IOException e) {
            LOG.debug("Endpoint {}: DTLS record not sent yet: {}", id, e.getMessage());
        }
    }

    /**
     * Starts using a new ICE session (an ICE restart, RFC 8445 section 9): media keeps flowing on the old one
     * until the new one completes; then the new one carries everything and the old one is freed. DTLS and SRTP
     * state is kept. Returns the listener the new session must report to.
     */
    IceTransport.Listener beginIceRestart() {
        return new IceTransport.Listener() {
            private IceTransport next;

            @Override
            public void iceConnected() {
                IceTransport old = ice;
                ice = next;
                if (restarting == next) {
                    restarting = null;
                }
                LOG.info("Endpoint {} of conference {}: ICE restart completed", id, conference.id());
                if (old != next) {
                    old.close();
                }
            }

            @Override
            public void iceFailed(String reason) {
                if (restarting == next) {
                    fail("ICE restart failed: " + reason);
                }
            }

            /** Registers the new session; called before it starts its checks. */
            @Override
            public void attached(IceTransport transport) {
                next = transport;
                IceTransport previous = restarting;
                restarting = transport;
                if (previous != null) {
                    previous.close();
                }
            }
        };
    }

    /** The restart in progress has not completed within the timeout. */
    void failRestartIfPending(IceTransport transport, String reason) {
        if (restarting == transport && state.get() != State.CLOSED) {
            fail(reason);
        }
    }

    /**
     * Fails a connected endpoint from which nothing has arrived for {@code timeoutNanos} (browsers send RTCP
     * at least every few seconds, and consent checks every 5 s: silence means the path or the peer is gone).
     */
    void failIfSilent(long nowNanos, long timeoutNanos) {
        if (state.get() == State.CONNECTED && nowNanos - lastReceivedNanos > timeoutNanos) {
            fail("nothing received for " + timeoutNanos / 1_000_000 + " ms: connection lost");
        }
    }

    /**
     * RFC 7675 consent freshness on a connected endpoint: sends the next consent check when due and fails the
     * endpoint when no check has been answered for {@code timeoutNanos} (the peer revoked consent or is gone,
     * even if media still arrives from its address). Timer thread only.
     */
    void checkConsent(long nowNanos, long intervalNanos, long timeoutNanos) {
        IceTransport transport = ice;
        if (state.get() != State.CONNECTED || transport == null) {
            return;
        }
        long lastConsent = transport.consentTick(nowNanos, intervalNanos);
        if (nowNanos - lastConsent > timeoutNanos) {
            fail("consent expired: no consent check answered for " + timeoutNanos / 1_000_000 + " ms (RFC 7675)");
        }
    }

    /** Fails the endpoint unless it is already connected or closed; used by the connect timeout. */
    void failIfNotConnected(String reason) {
        if (state.get() == State.CONNECTING) {
            fail(reason);
        }
    }

    private void fail(String reason) {
        if (state.get() == State.CLOSED) {
            return;
        }
        LOG.info("Endpoint {} of conference {} failed: {}", id, conference.id(), reason);
        conference.removeEndpoint(id, new EndpointEvent.Failed(id, reason));
    }

    /** Stops the transports; returns false when already closed. Called by the conference only. */
    boolean close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return false;
        }
        if (dtls != null) {
            dtls.close();
        }
        if (ice != null) {
            ice.close();
        }
        IceTransport pending = restarting;
        if (pending != null) {
            pending.close();
        }
        loop.execute(() -> {
            egress = null;
            if (srtp != null) {
                srtp.close();
                srtp = null;
            }
            for (IncomingStream stream : incoming) {
                stream.close();
            }
            incoming = new IncomingStream[0];
            for (SimulcastSource source : simulcastSources) {
                retire(source);
            }
            simulcastSources = new SimulcastSource[0];
            forwarders = new SimulcastForwarder[0];
            transportCc = null;
            if (egressShaper != null) {
                egressShaper.clear();
                egressShaper = null;
            }
        });
        return true;
    }

    /** Every SSRC (primary, RTX, ...) of the sources of one kind. */
    private static long[] ssrcsOf(MediaDescription media, MediaKind kind) {
        return media.sources().stream().filter(s -> s.kind() == kind).flatMap(s -> s.ssrcs().stream())
                .mapToLong(Long::longValue).toArray();
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
