package dev.switchboard.core.api;

import java.util.List;
import java.util.Objects;

/**
 * The simulcast layers of a video source (RFC 8853 with RFC 8851 restriction identifiers): the sender sends
 * each layer under its own SSRC, which the bridge learns from the RTP stream id header extension (RFC 8852
 * {@code rtp-stream-id}) of the first packets; receivers get one layer at a time as one continuous stream.
 *
 * @param mid          the value of the sender's {@code sdes:mid} header extension on this source's packets (its
 *                     transceiver's mid), or null when the sender has one simulcast source only
 * @param rids         the layers' RTP stream ids, lowest resolution first (the web client sends {@code q, h, f}
 *                     scaled down by 4, 2 and 1)
 * @param outputSsrc   the SSRC every receiver sees for this source, whatever layer it gets (signaling announces
 *                     it in the receivers' answers)
 * @param rtxOutputSsrc the SSRC of the RTX stream (RFC 4588) on which the bridge retransmits this source to
 *                     receivers that negotiated RTX ({@code a=ssrc-group:FID outputSsrc rtxOutputSsrc} in their
 *                     answers), or -1: plain retransmissions only
 */
public record Simulcast(String mid, List<String> rids, long outputSsrc, long rtxOutputSsrc) {
    /** At most this many layers per source. */
    public static final int MAX_LAYERS = 4;

    public Simulcast {
        rids = List.copyOf(rids);
        if (rids.isEmpty() || rids.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("a simulcast source has 1 to " + MAX_LAYERS + " layers: " + rids);
        }
        for (String rid : rids) {
            Objects.requireNonNull(rid, "rid");
            if (!rid.matches("[A-Za-z0-9_-]{1,16}")) {
                throw new IllegalArgumentException("invalid rid: " + rid);
            }
        }
        if (rids.stream().distinct().count() != rids.size()) {
            throw new IllegalArgumentException("duplicate rid: " + rids);
        }
        if (mid != null && (mid.isEmpty() || mid.length() > 16)) {
            throw new IllegalArgumentException("invalid mid: " + mid);
        }
        if (outputSsrc < 0 || outputSsrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC out of range: " + outputSsrc);
        }
        if (rtxOutputSsrc < -1 || rtxOutputSsrc > 0xFFFF_FFFFL || rtxOutputSsrc == outputSsrc) {
            throw new IllegalArgumentException("RTX SSRC out of range or equal to the output SSRC: " + rtxOutputSsrc);
        }
    }

    /** Without an RTX stream. */
    public Simulcast(String mid, List<String> rids, long outputSsrc) {
        this(mid, rids, outputSsrc, -1);
    }
}
