package dev.switchboard.core.routing;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.bwe.ProbeCluster;
import dev.switchboard.core.bwe.ProbeScheduler;
import dev.switchboard.core.repair.RtxStreams;
import dev.switchboard.core.rewrite.StreamRewriter;
import dev.switchboard.core.rtp.ExtensionIds;
import dev.switchboard.core.rtp.NetworkBytes;
import dev.switchboard.core.rtp.RtpFields;
import java.util.Arrays;

/**
 * The bridge's bandwidth probe packets toward one receiver (the egress side of {@link ProbeScheduler}): RTP
 * padding-only packets (RFC 3550 section 5.1: P bit, {@link #PADDING} bytes of padding, no payload) on the RTX
 * stream (RFC 4588) of a simulcast source the receiver gets and negotiated RTX for: its RTX SSRC
 * ({@code Simulcast.rtxOutputSsrc}), its RTX payload type, the next number of that RTX stream's sequence (shared
 * with retransmissions: {@link RtxStreams}), the
 * timestamp last forwarded on the stream. Each carries the receiver's transport-wide sequence number extension
 * (recorded in its send history with the cluster's id), so transport-cc feedback reports when it arrived;
 * browsers count and drop such packets (they are what Chrome itself probes with). A receiver without RTX for a
 * stream it gets is not probed: a padding packet on a media SSRC would take a sequence number out of the
 * stream's sequence (or need rewriting of everything after it).
 *
 * <p>Built in the loop's scratch buffer and sent like any packet (SRTP, the ICE path); the padding is zeroed, so
 * no bytes of an earlier packet leak into it. Media loop only; allocation-free.
 */
final class ProbePackets {
    /** Padding bytes of a probe packet (the most one padding-count byte can say). */
    static final int PADDING = 255;
    /** Header (12), one extension block with the transport-wide number (8), padding. */
    static final int SIZE = 12 + 8 + PADDING;

    private ProbePackets() {}

    /**
     * The forwarder a receiver can be probed on: a simulcast stream it gets now, of a source with an RTX stream,
     * whose payload type it negotiated RTX for; null when there is none (then it is not probed).
     */
    static SimulcastForwarder probeStream(BridgeEndpoint receiver) {
        for (SimulcastForwarder f : receiver.forwarders()) {
            if (f != null && !f.source.retired && f.rewriter.currentSource() != StreamRewriter.NONE
                    && f.source.description.rtxOutputSsrc() >= 0 && f.payloadType() >= 0
                    && receiver.rtxStreams().payloadTypeFor(f.payloadType()) > 0
                    && receiver.receivesVideoFrom(f.source.sender)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Sends {@code receiver} the probe packets due at {@code nowNanos}; returns whether its probe attempt still has
     * packets to send. An attempt that can no longer be sent (no stream to probe on, no transport-wide numbers) is
     * cancelled.
     */
    static boolean sendDue(BridgeEndpoint receiver, PacketBuffer out, long nowNanos, BridgeCounters counters) {
        Downlink downlink = receiver.downlink();
        ProbeScheduler probes = downlink.probes();
        if (probes == null || !probes.sending()) {
            return false;
        }
        SimulcastForwarder stream = receiver.canReceiveMedia() ? probeStream(receiver) : null;
        int transportCcId = downlink.ids().idOf(ExtensionIds.TRANSPORT_CC);
        if (stream == null || transportCcId == 0) {
            probes.cancel();
            return false;
        }
        ProbeCluster cluster;
        while ((cluster = probes.due(nowNanos)) != null) {
            int transportCcOffset = write(out, stream, receiver.rtxStreams(), transportCcId);
            downlink.stampProbe(out, transportCcOffset, cluster.id());
            receiver.protectAndSend(out, false);
            if (cluster.sent() == 0) {
                counters.probeClusterStarted();
            }
            cluster.onSent(nowNanos);
            counters.probeSent(SIZE);
        }
        return probes.sending();
    }

    /** Writes one probe packet into {@code out}; returns where its transport-wide number goes. */
    private static int write(PacketBuffer out, SimulcastForwarder stream, RtxStreams rtx, int transportCcId) {
        long rtxSsrc = stream.source.description.rtxOutputSsrc();
        int rtxPayloadType = rtx.payloadTypeFor(stream.payloadType());
        out.setOffsetAndLength(out.start(), SIZE);
        byte[] a = out.array();
        int off = out.offset();
        Arrays.fill(a, off, off + SIZE, (byte) 0);
        a[off] = (byte) 0xB0; // V=2, P=1, X=1, CC=0
        a[off + 1] = (byte) (rtxPayloadType & 0x7F); // M=0
        RtpFields.setSequenceNumber(a, off, rtx.sender(rtxSsrc).nextSequenceNumber()); // the stream's own sequence
        RtpFields.setTimestamp(a, off, stream.rewriter.highestOutputTimestamp());
        RtpFields.setSsrc(a, off, rtxSsrc);
        NetworkBytes.putUint16(a, off + 14, 1); // one 32-bit word of extensions (RFC 8285 section 4.2)
        int transportCcOffset;
        if (transportCcId <= 14) {
            NetworkBytes.putUint16(a, off + 12, 0xBEDE); // one-byte form
            a[off + 16] = (byte) ((transportCcId << 4) | 1); // two data bytes
            transportCcOffset = off + 17;
        } else {
            NetworkBytes.putUint16(a, off + 12, 0x1000); // two-byte form (RFC 8285 section 4.3)
            a[off + 16] = (byte) transportCcId;
            a[off + 17] = 2;
            transportCcOffset = off + 18;
        }
        a[off + SIZE - 1] = (byte) PADDING;
        return transportCcOffset;
    }
}
