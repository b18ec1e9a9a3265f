package dev.switchboard.core.repair;

import java.util.Arrays;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * What the bridge needs to retransmit to one receiver on RTX streams (RFC 4588): the RTX payload type the
 * receiver negotiated for each media payload type ({@code a=fmtp:<rtx> apt=<media>} of its offer), and one
 * {@link RtxSender} per RTX SSRC the bridge has sent it (one per forwarded video stream that has an RTX SSRC).
 *
 * <p>Confined to the media loop. A sender is created the first time a stream is used (a small allocation, once
 * per stream and receiver); lookups are a linear scan of a handful of entries.
 */
public final class RtxStreams {
    /** Media payload type to RTX payload type; 0 where none. */
    private int[] payloadTypes = new int[128];
    private RtxSender[] senders = new RtxSender[0];

    /** Control change: the receiver's negotiated RTX payload types, by media payload type. */
    public void setPayloadTypes(Map<Integer, Integer> rtxByMediaPayloadType) {
        int[] map = new int[128];
        rtxByMediaPayloadType.forEach((pt, rtx) -> map[pt & 0x7F] = rtx);
        payloadTypes = map;
    }

    /** The RTX payload type the receiver takes retransmissions of {@code mediaPayloadType} in, or 0. */
    public int payloadTypeFor(int mediaPayloadType) {
        return payloadTypes[mediaPayloadType & 0x7F];
    }

    /** The sender of the RTX stream {@code ssrc} toward this receiver, created at first use. */
    public RtxSender sender(long ssrc) {
        RtxSender existing = existing(ssrc);
        if (existing != null) {
            return existing;
        }
        RtxSender created = new RtxSender(ssrc);
        senders = Arrays.copyOf(senders, senders.length + 1);
        senders[senders.length - 1] = created;
        return created;
    }

    /** The sender of the RTX stream {@code ssrc}, or null when nothing was sent on it yet. */
    public RtxSender existing(long ssrc) {
        for (RtxSender s : senders) {
            if (s.ssrc() == ssrc) {
                return s;
            }
        }
        return null;
    }

    /** Every RTX stream sent to this receiver so far (do not modify). */
    public RtxSender[] senders() {
        return senders;
    }

    /** Control change: forgets the streams whose SSRC no longer {@code announced} (their source is gone). */
    public void retainIf(LongPredicate announced) {
        senders = Arrays.stream(senders).filter(s -> announced.test(s.ssrc())).toArray(RtxSender[]::new);
    }
}
