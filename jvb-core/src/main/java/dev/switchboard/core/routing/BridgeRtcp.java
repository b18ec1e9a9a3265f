package dev.switchboard.core.routing;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.keyframe.KeyframeRequestLimiter;
import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.repair.NackGenerator;
import dev.switchboard.core.repair.RtxStreams;
import dev.switchboard.core.rtcp.CompoundRtcp;
import dev.switchboard.core.rtcp.Fir;
import dev.switchboard.core.rtcp.Nack;
import dev.switchboard.core.rtcp.Pli;
import dev.switchboard.core.rtcp.ReceiverReport;
import dev.switchboard.core.rtcp.ReportBlock;
import dev.switchboard.core.rtcp.Sdes;
import dev.switchboard.core.rtcp.SenderReport;
import dev.switchboard.core.rtcp.TransportCc;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.rtp.NetworkBytes;
import dev.switchboard.core.rtp.RtxPacket;
import dev.switchboard.core.stats.ReceiveStreamStatistics;
import dev.switchboard.core.stats.TransportCcFeedbackBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The bridge as an RTCP end point of one conference (it terminates RTCP instead of relaying it; see the
 * "Forwarding rules" in docs/architecture.md). Confined to the conference's media loop; every packet it sends
 * is built in the loop's scratch buffer and carries the bridge's SSRC as sender.
 *
 * <p>What an endpoint sends, compound by compound ({@link #onRtcp}):
 * <ul>
 *   <li>SR: recorded (LSR/DLSR of the bridge's reports to it), its report blocks feed the bridge's RTT to
 *       that endpoint, and its sender info is forwarded to every other endpoint (without report blocks,
 *       together with the compound's SDES), since receivers need SRs for lip sync while SSRCs are not
 *       rewritten;
 *   <li>RR: report blocks feed the RTT, then consumed; transport-cc (about the bridge's packets to that
 *       endpoint) feeds its bandwidth estimate and layer allocation ({@link Downlink#onFeedback}); SDES (without
 *       an SR), BYE, REMB and anything unknown: consumed;
 *   <li>PLI, and FIR (per FCI entry): turned into the bridge's own PLI to the endpoint that sends the named
 *       video SSRC, at most once per {@link #KEYFRAME_REQUEST_INTERVAL_NANOS} per source;
 *   <li>NACK: for a video source the bridge caches, the named packets are resent from the cache to the
 *       requester only (the bridge asks the sender itself for what it did not receive), as RTX on the requester's
 *       {@link RtxStreams} when the source has an RTX SSRC and the requester negotiated RTX, else plainly; for
 *       other SSRCs the NACK goes to their sender with the bridge's SSRC as sender.
 * </ul>
 * Periodically ({@link #tick}): NACKs for what the bridge misses, transport-cc feedback every
 * {@link #TRANSPORT_CC_INTERVAL_NANOS} (or sooner after {@link #TRANSPORT_CC_FLUSH_PACKETS} packets), and a
 * receiver report compound (RR + SDES CNAME) every {@link #RECEIVER_REPORT_INTERVAL_NANOS} to each endpoint
 * that sends media.
 */
final class BridgeRtcp {
    /** Keyframe requests (receivers' and the bridge's) reach a source at most this often. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;
    static final long TRANSPORT_CC_INTERVAL_NANOS = 50_000_000L;
    /** Pending packets after which transport-cc feedback is sent at once, from the packet path. */
    static final int TRANSPORT_CC_FLUSH_PACKETS = 100;
    /** Feedback packets sent in one go at most (the rest waits for the next tick). */
    private static final int TRANSPORT_CC_MAX_BURST = 4;
    /** RFC 3550 section 6.2 allows 5 s; 1 s gives senders loss and RTT feedback sooner. */
    static final long RECEIVER_REPORT_INTERVAL_NANOS = 1_000_000_000L;
    /** Streams silent for longer get no report block (RFC 3550 section 6.4: report on active sources). */
    static final long REPORT_ACTIVE_NANOS = 5_000_000_000L;
    /** Report blocks in one receiver report compound at most (two RRs, 1192 bytes with the SDES). */
    static final int MAX_REPORT_BLOCKS = 48;
    static final String CNAME = "switchboard";
    /** Lost sequence numbers in one NACK packet at most. */
    private static final int MAX_NACKED = 64;

    private final RoutedConference conference;
    private final MediaLoop loop;
    private final LongSupplier nanoClock;
    private final long bridgeSsrc;
    private final CompoundRtcp cursor = new CompoundRtcp();
    private final KeyframeRequestLimiter keyframes;
    private final int[] nacked = new int[MAX_NACKED];
    private final byte[] sdes;

    BridgeRtcp(RoutedConference conference, MediaLoop loop, LongSupplier nanoClock, long bridgeSsrc) {
        this.conference = conference;
        this.loop = loop;
        this.nanoClock = nanoClock;
        this.bridgeSsrc = bridgeSsrc;
        this.keyframes = new KeyframeRequestLimiter(nanoClock, KEYFRAME_REQUEST_INTERVAL_NANOS);
        Sdes cname = Sdes.ofCname(bridgeSsrc, CNAME);
        this.sdes = new byte[cname.length()];
        cname.serialize(sdes, 0);
    }

    // ---- received RTCP -----------------------------------------------------------------------------------

    /**
     * A decrypted, validly framed compound from {@code from}; see the class comment for what happens to each
     * packet. May rewrite the packet in place (it keeps only what is forwarded); it stays the caller's.
     */
    void onRtcp(BridgeEndpoint from, PacketBuffer packet) {
        byte[] a = packet.array();
        int off = packet.offset();
        if (!cursor.reset(a, off, packet.length())) {
            return;
        }
        long arrival = packet.receivedAtNanos();
        int kept = off; // SRs and SDES to forward are moved down to here, in place
        boolean forward = false;
        while (cursor.next()) {
            int p = cursor.offset();
            int length = cursor.length();
            switch (cursor.packetType()) {
                case RtcpPackets.SR -> {
                    if (length < SenderReport.MIN_LENGTH) {
                        break;
                    }
                    long ssrc = NetworkBytes.uint32(a, p + 4);
                    IncomingStream stream = from.incomingStream(ssrc);
                    if (stream != null) {
                        stream.statistics.onSenderReport(NetworkBytes.uint32(a, p + 10), arrival);
                    }
                    reportBlocks(from, a, p, length, SenderReport.MIN_LENGTH, arrival);
                    if (stream != null && stream.rtx && stream.simulcast == null) {
                        break; // receivers know the bridge's RTX stream of the source, not the sender's
                    }
                    if (stream != null && stream.simulcast != null) {
                        // receivers know only the rewritten stream, not the layers' SSRCs and clocks
                        forwardSimulcastSenderReport(from, stream, a, p);
                        break;
                    }
                    System.arraycopy(a, p, a, kept, SenderReport.MIN_LENGTH);
                    a[kept] = (byte) 0x80; // V=2, no padding, no report blocks
                    NetworkBytes.putUint16(a, kept + 2, SenderReport.MIN_LENGTH / 4 - 1);
                    kept += SenderReport.MIN_LENGTH;
                    forward = true;
                }
                case RtcpPackets.RR -> {
                    if (length >= ReceiverReport.MIN_LENGTH) {
                        reportBlocks(from, a, p, length, ReceiverReport.MIN_LENGTH, arrival);
                    }
                }
                case RtcpPackets.SDES -> {
                    System.arraycopy(a, p, a, kept, length);
                    kept += length;
                }
                case RtcpPackets.RTPFB -> {
                    if (cursor.format() == Nack.FMT && length >= Nack.HEADER_LENGTH + 4) {
                        onNack(from, a, p, length);
                    } else if (cursor.format() == TransportCc.FMT) {
                        from.downlink().onFeedback(a, p, length); // about what the bridge sent it
                    }
                }
                case RtcpPackets.PSFB -> {
                    if (cursor.format() == Pli.FMT && length >= Pli.LENGTH) {
                        onKeyframeRequest(from, RtcpPackets.mediaSourceSsrc(a, p));
                    } else if (cursor.format() == Fir.FMT) {
                        int end = p + length;
                        for (int e = p + Fir.HEADER_LENGTH; e + Fir.ENTRY_LENGTH <= end; e += Fir.ENTRY_LENGTH) {
                            onKeyframeRequest(from, NetworkBytes.uint32(a, e));
                        }
                    }
                }
                default -> {
                    // BYE, APP, XR and anything else: consumed
                }
            }
        }
        if (forward) {
            packet.setLength(kept - off);
            forwardSenderReports(from, packet);
        }
    }

    /** Report blocks (of an SR or RR from {@code from}) about SSRCs it receives: RTT samples. */
    private static void reportBlocks(BridgeEndpoint from, byte[] a, int p, int length, int first, long arrival) {
        int count = RtcpPackets.format(a, p);
        if (first + count * ReportBlock.LENGTH > length) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int b = p + first + i * ReportBlock.LENGTH;
            from.rtt().onReportBlock(NetworkBytes.uint32(a, b), NetworkBytes.uint32(a, b + 16),
                    NetworkBytes.uint32(a, b + 20), arrival);
        }
    }

    /**
     * Sends the (compacted) SR compound to every other endpoint and notes, per receiver, when for its RTT. The
     * compound goes out behind an empty RR from the bridge's SSRC, so every receiver needs one SRTCP context
     * for all the SRs the bridge relays to it, not one per forwarded SSRC (each is a set of cipher and MAC
     * objects for as long as the call lasts: in a 50-party room, 49 of them per receiver).
     */
    private void forwardSenderReports(BridgeEndpoint sender, PacketBuffer packet) {
        PacketBuffer out = loop.scratch();
        long now = nanoClock.getAsLong();
        byte[] a = packet.array();
        int end = packet.offset() + packet.length();
        for (BridgeEndpoint receiver : conference.endpointsSnapshot()) {
            if (receiver == sender || !receiver.canReceiveMedia()) {
                continue;
            }
            for (int p = packet.offset(); p < end; p += RtcpPackets.packetLength(a, p)) {
                if (RtcpPackets.packetType(a, p) == RtcpPackets.SR) {
                    receiver.rtt().onSenderReportSent(NetworkBytes.uint32(a, p + 4), NetworkBytes.uint32(a, p + 10),
                            now);
                }
            }
            out.setOffsetAndLength(out.start(), RtcpPackets.EMPTY_RR_LENGTH + packet.length());
            int q = RtcpPackets.writeEmptyReceiverReport(out.array(), out.offset(), bridgeSsrc);
            System.arraycopy(a, packet.offset(), out.array(), out.offset() + q, packet.length());
            receiver.protectAndSend(out, true);
        }
    }

    /**
     * An SR of a simulcast layer, translated for each receiver the layer is forwarded to now: SSRC = the
     * source's output SSRC, RTP timestamp moved into that receiver's rewritten timeline, packet and octet counts
     * of what it was sent; the NTP time is the sender's, so the receiver syncs the video with the sender's audio.
     * Receivers on another layer get that layer's SRs instead.
     */
    private void forwardSimulcastSenderReport(BridgeEndpoint sender, IncomingStream layer, byte[] a, int p) {
        long rtpTime = NetworkBytes.uint32(a, p + 16);
        long ntpMiddle = NetworkBytes.uint32(a, p + 10);
        long now = nanoClock.getAsLong();
        PacketBuffer out = loop.scratch();
        for (BridgeEndpoint receiver : conference.endpointsSnapshot()) {
            if (receiver == sender || !receiver.canReceiveMedia() || !receiver.receivesVideoFrom(sender)) {
                continue;
            }
            SimulcastForwarder forwarder = receiver.existingForwarder(layer.simulcast);
            if (forwarder == null || forwarder.rewriter.currentSource() != layer.ssrc) {
                continue;
            }
            long outputTime = forwarder.rewriter.outputTimestamp(rtpTime);
            if (outputTime < 0) {
                continue;
            }
            out.setOffsetAndLength(out.start(), RtcpPackets.EMPTY_RR_LENGTH + SenderReport.MIN_LENGTH);
            byte[] o = out.array();
            int q = out.offset() + RtcpPackets.writeEmptyReceiverReport(o, out.offset(), bridgeSsrc); // as above
            System.arraycopy(a, p, o, q, SenderReport.MIN_LENGTH);
            o[q] = (byte) 0x80; // V=2, no padding, no report blocks
            NetworkBytes.putUint16(o, q + 2, SenderReport.MIN_LENGTH / 4 - 1);
            NetworkBytes.putUint32(o, q + 4, layer.simulcast.outputSsrc);
            NetworkBytes.putUint32(o, q + 16, outputTime);
            NetworkBytes.putUint32(o, q + 20, forwarder.rewriter.forwardedCount() & 0xFFFF_FFFFL);
            NetworkBytes.putUint32(o, q + 24, forwarder.rewriter.forwardedOctets() & 0xFFFF_FFFFL);
            receiver.rtt().onSenderReportSent(layer.simulcast.outputSsrc, ntpMiddle, now);
            receiver.protectAndSend(out, true);
        }
    }

    /** A receiver wants a keyframe of {@code mediaSsrc}: the bridge asks the sender of that video. */
    private void onKeyframeRequest(BridgeEndpoint from, long mediaSsrc) {
        for (BridgeEndpoint sender : conference.endpointsSnapshot()) {
            if (sender == from) {
                continue;
            }
            IncomingStream stream = sender.incomingStream(mediaSsrc);
            if (stream != null && stream.isVideo()) {
                requestKeyframe(sender, stream.primarySsrc);
                return;
            }
            SimulcastSource source = sender.simulcastSourceByOutput(mediaSsrc);
            if (source != null) {
                // the receiver names the rewritten stream: ask for the layer it gets (or is switching to)
                SimulcastForwarder forwarder = from.existingForwarder(source);
                if (forwarder != null && forwarder.keyframeSource() >= 0) {
                    requestKeyframe(sender, forwarder.keyframeSource());
                }
                return;
            }
        }
    }

    /** A keyframe of {@code ssrc} arrived: a request for it is no longer pending. */
    void onKeyframe(long ssrc) {
        keyframes.onKeyframe(ssrc);
    }

    /** Sends the bridge's PLI for {@code primarySsrc} to {@code sender}, unless one went out within the interval. */
    void requestKeyframe(BridgeEndpoint sender, long primarySsrc) {
        if (!sender.canReceiveMedia() || !keyframes.tryRequest(primarySsrc)) {
            return;
        }
        PacketBuffer out = loop.scratch();
        out.setOffsetAndLength(out.start(), 0);
        out.setLength(RtcpPackets.writePli(out.array(), out.offset(), bridgeSsrc, primarySsrc));
        sender.protectAndSend(out, true);
    }

    /** A receiver's generic NACK: answered from the cache, or passed to the sender of the SSRC. */
    private void onNack(BridgeEndpoint from, byte[] a, int p, int length) {
        long mediaSsrc = RtcpPackets.mediaSourceSsrc(a, p);
        BridgeEndpoint sender = null;
        IncomingStream stream = null;
        for (BridgeEndpoint candidate : conference.endpointsSnapshot()) {
            if (candidate != from) {
                stream = candidate.incomingStream(mediaSsrc);
                if (stream != null) {
                    sender = candidate;
                    break;
                }
            }
        }
        if (sender == null) {
            onSimulcastNack(from, mediaSsrc, a, p, length);
            return;
        }
        PacketBuffer out = loop.scratch();
        if (stream.cache == null) {
            if (sender.canReceiveMedia()) {
                out.copyFrom(a, p, length);
                NetworkBytes.putUint32(out.array(), out.offset() + 4, bridgeSsrc);
                sender.protectAndSend(out, true);
            }
            return;
        }
        if (!from.canReceiveMedia() || !from.receivesVideoFrom(sender)
                || announcedByAnother(mediaSsrc, from, sender)) {
            return;
        }
        int end = p + length;
        if ((a[p] & 0x20) != 0) {
            end -= a[p + length - 1] & 0xFF; // padding
        }
        int requested = 0;
        for (int fci = p + Nack.HEADER_LENGTH; fci + 4 <= end; fci += 4) {
            int pid = NetworkBytes.uint16(a, fci);
            int blp = NetworkBytes.uint16(a, fci + 2);
            requested += 1 + Integer.bitCount(blp);
            resend(from, sender, stream, pid, out);
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    resend(from, sender, stream, (pid + bit + 1) & 0xFFFF, out);
                }
            }
        }
        conference.counters().nackRequestsReceived(requested);
    }

    /**
     * A receiver's NACK for the rewritten stream of a simulcast source: each output sequence number is mapped
     * back to the layer packet it was made from (the receiver's {@link SimulcastForwarder} history), which is
     * taken from that layer's cache and rewritten exactly as it was forwarded.
     */
    private void onSimulcastNack(BridgeEndpoint from, long outputSsrc, byte[] a, int p, int length) {
        SimulcastForwarder forwarder = null;
        BridgeEndpoint sender = null;
        for (BridgeEndpoint candidate : conference.endpointsSnapshot()) {
            SimulcastSource source = candidate == from ? null : candidate.simulcastSourceByOutput(outputSsrc);
            if (source != null) {
                forwarder = from.existingForwarder(source);
                sender = candidate;
                break;
            }
        }
        if (forwarder == null || !from.canReceiveMedia() || !from.receivesVideoFrom(sender)) {
            return;
        }
        int end = p + length;
        if ((a[p] & 0x20) != 0) {
            end -= a[p + length - 1] & 0xFF; // padding
        }
        int requested = 0;
        PacketBuffer out = loop.scratch();
        for (int fci = p + Nack.HEADER_LENGTH; fci + 4 <= end; fci += 4) {
            int pid = NetworkBytes.uint16(a, fci);
            int blp = NetworkBytes.uint16(a, fci + 2);
            requested += 1 + Integer.bitCount(blp);
            resendRewritten(from, sender, forwarder, pid, out);
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    resendRewritten(from, sender, forwarder, (pid + bit + 1) & 0xFFFF, out);
                }
            }
        }
        conference.counters().nackRequestsReceived(requested);
    }

    private void resendRewritten(BridgeEndpoint receiver, BridgeEndpoint sender, SimulcastForwarder forwarder,
            int outSeq, PacketBuffer out) {
        int slot = forwarder.rewriter.historySlot(outSeq);
        if (slot < 0) {
            return;
        }
        IncomingStream layer = sender.incomingStream(forwarder.rewriter.historySource(slot));
        PacketBuffer cached = layer == null || layer.cache == null ? null
                : layer.cache.get(forwarder.rewriter.historyInputSequenceNumber(slot));
        if (cached == null) {
            return;
        }
        out.copyFrom(cached.array(), cached.offset(), cached.length());
        forwarder.rewriter.rewriteAgain(slot, out.array(), out.offset(), out.length());
        retransmit(receiver, sender, out, forwarder.source.description.rtxOutputSsrc(), true);
    }

    /**
     * Sends {@code receiver} the packet in {@code out} (exactly as it was forwarded to it, before extension
     * translation) again: as an RTX packet on the receiver's stream {@code rtxSsrc} when the source has one and
     * the receiver negotiated RTX for the packet's payload type (RFC 4588: own SSRC and sequence numbers, so SRTP
     * protects it as a new packet, with a new transport-wide number), else as a plain retransmission,
     * byte-identical to the original. {@code simulcast}: the packet belongs to a simulcast forwarder.
     */
    private void retransmit(BridgeEndpoint receiver, BridgeEndpoint sender, PacketBuffer out, long rtxSsrc,
            boolean simulcast) {
        byte[] o = out.array();
        RtxStreams rtx = receiver.rtxStreams();
        int rtxPayloadType = rtx.payloadTypeFor(RtpHeader.payloadType(o, out.offset()));
        if (rtxSsrc >= 0 && rtxPayloadType > 0 && out.length() + RtxPacket.OSN_LENGTH <= PacketPool.MAX_DATAGRAM) {
            int length = rtx.sender(rtxSsrc).wrapInPlace(o, out.offset(), out.length(), rtxPayloadType);
            if (length > 0) {
                out.setLength(length);
                receiver.downlink().stamp(out, sender.extensionIds(), conference.extensionCursor(), simulcast);
                receiver.protectAndSend(out, false);
                conference.counters().rtxRetransmissionSent();
            }
        } else if (receiver.downlink().stampRetransmission(out, sender.extensionIds(), conference.extensionCursor())
                && receiver.retransmit(out)) {
            conference.counters().retransmissionSent();
        }
    }

    /**
     * Whether an endpoint other than {@code requester} and {@code owner} also announces {@code ssrc}. Then the
     * requester may have been sent another endpoint's packet under that SSRC and sequence number, and a
     * retransmission (protected without the send-side replay check) could put different bytes under an SRTP
     * index already used: the cache does not answer.
     */
    private boolean announcedByAnother(long ssrc, BridgeEndpoint requester, BridgeEndpoint owner) {
        for (BridgeEndpoint other : conference.endpointsSnapshot()) {
            if (other != requester && other != owner && other.incomingStream(ssrc) != null) {
                return true;
            }
        }
        return false;
    }

    private void resend(BridgeEndpoint receiver, BridgeEndpoint sender, IncomingStream stream, int seq,
            PacketBuffer out) {
        PacketBuffer cached = stream.cache.get(seq);
        if (cached != null) {
            out.copyFrom(cached.array(), cached.offset(), cached.length());
            retransmit(receiver, sender, out, stream.rtxOutputSsrc, false);
        }
    }

    // ---- periodic -------------------------------------------------------------------------------------

    /** Loop thread, every ~20 ms: NACKs, transport-cc feedback and receiver reports that are due. */
    void tick() {
        long now = nanoClock.getAsLong();
        for (BridgeEndpoint endpoint : conference.endpointsSnapshot()) {
            if (!endpoint.canReceiveMedia()) {
                continue;
            }
            sendNacks(endpoint);
            TransportCcFeedbackBuilder feedback = endpoint.transportCc();
            if (feedback != null && feedback.pendingPackets() > 0
                    && now - endpoint.lastTransportCcNanos() >= TRANSPORT_CC_INTERVAL_NANOS) {
                sendTransportCcFeedback(endpoint);
            }
            long due = endpoint.nextReceiverReportNanos();
            if (due == Long.MIN_VALUE) {
                endpoint.setNextReceiverReportNanos(now + RECEIVER_REPORT_INTERVAL_NANOS / 2);
            } else if (now - due >= 0) {
                sendReceiverReport(endpoint, now);
                endpoint.setNextReceiverReportNanos(now + RECEIVER_REPORT_INTERVAL_NANOS);
            }
        }
    }

    /** NACKs (and, for losses it gave up on, a keyframe request) for each video stream {@code sender} sends. */
    private void sendNacks(BridgeEndpoint sender) {
        long rtt = sender.rtt().nanos();
        for (IncomingStream stream : sender.incomingStreams()) {
            NackGenerator nacks = stream.nacks;
            if (nacks == null) {
                continue;
            }
            if (rtt >= 0) {
                nacks.setRtt(rtt);
            }
            int count = nacks.collectDue(nacked);
            if (count > 0) {
                PacketBuffer out = loop.scratch();
                out.setOffsetAndLength(out.start(), 0);
                out.setLength(Nack.write(out.array(), out.offset(), bridgeSsrc, stream.ssrc, nacked, count));
                sender.protectAndSend(out, true);
                conference.counters().nackRequestsSent(count);
            }
            if (nacks.takeKeyframeRequest()) {
                requestKeyframe(sender, stream.primarySsrc);
            }
        }
    }

    /** Sends the transport-cc feedback pending for what {@code sender} sent (loop thread, packet path too). */
    void sendTransportCcFeedback(BridgeEndpoint sender) {
        TransportCcFeedbackBuilder feedback = sender.transportCc();
        long mediaSsrc = sender.feedbackMediaSsrc();
        if (feedback == null || mediaSsrc < 0 || !sender.canReceiveMedia()) {
            return;
        }
        PacketBuffer out = loop.scratch();
        for (int i = 0; i < TRANSPORT_CC_MAX_BURST && feedback.pendingPackets() > 0; i++) {
            out.setOffsetAndLength(out.start(), 0);
            out.setLength(feedback.writeFeedback(out.array(), out.offset(), bridgeSsrc, mediaSsrc));
            sender.protectAndSend(out, true);
        }
        sender.setLastTransportCcNanos(nanoClock.getAsLong());
    }

    /**
     * Sends {@code sender} a receiver report compound: RR(s) with a block per SSRC it sent recently, then
     * SDES with the bridge's CNAME (RFC 3550 section 6.1). Nothing when it sent nothing recently. Builds a few
     * records: once a second per endpoint.
     */
    void sendReceiverReport(BridgeEndpoint sender, long now) {
        List<ReportBlock> blocks = new ArrayList<>();
        for (IncomingStream stream : sender.incomingStreams()) {
            ReceiveStreamStatistics statistics = stream.statistics;
            if (statistics.hasReceived() && now - statistics.lastPacketNanos() <= REPORT_ACTIVE_NANOS
                    && blocks.size() < MAX_REPORT_BLOCKS) {
                blocks.add(statistics.report(now));
            }
        }
        if (blocks.isEmpty()) {
            return;
        }
        PacketBuffer out = loop.scratch();
        byte[] buf = out.array();
        int pos = out.start();
        for (int first = 0; first < blocks.size(); first += SenderReport.MAX_REPORT_BLOCKS) {
            List<ReportBlock> part = blocks.subList(first,
                    Math.min(blocks.size(), first + SenderReport.MAX_REPORT_BLOCKS));
            pos += new ReceiverReport(bridgeSsrc, part).serialize(buf, pos);
        }
        System.arraycopy(sdes, 0, buf, pos, sdes.length);
        pos += sdes.length;
        out.setOffsetAndLength(out.start(), pos - out.start());
        sender.protectAndSend(out, true);
    }

    /** Loop thread: forgets what the bridge kept about an endpoint that left. */
    void endpointRemoved(BridgeEndpoint endpoint) {
        for (long ssrc : endpoint.videoPrimarySsrcs()) {
            keyframes.remove(ssrc);
        }
        for (IncomingStream stream : endpoint.incomingStreams()) {
            if (stream.simulcast != null) {
                keyframes.remove(stream.ssrc);
            }
        }
    }

    /** Keyframe requests refused by the interval, for tests and diagnostics. */
    long suppressedKeyframeRequests() {
        return keyframes.suppressedCount();
    }
}
