package dev.switchboard.core.routing;

/** Why a received packet was not forwarded. Names are the keys of {@code BridgeStatistics.dropped}. */
public enum DropReason {
    /** Not STUN, DTLS, RTP or RTCP, or not well-formed. */
    MALFORMED("malformed"),
    /** SRTP/SRTCP authentication or replay check failed. */
    SRTP_AUTH("srtp-auth"),
    /** Media arrived before DTLS finished (no keys yet). */
    NOT_READY("not-ready"),
    /** The media thread's queue was full. */
    QUEUE_FULL("queue-full"),
    /** Larger than the largest datagram the bridge accepts. */
    OVERSIZED("oversized"),
    /** Protecting or sending toward a receiver failed. */
    SEND_FAILED("send-failed"),
    /** A simulcast video payload that does not parse (e.g. H.264 not following RFC 6184): not forwarded. */
    MALFORMED_PAYLOAD("malformed-payload"),
    /** Not sent to one receiver: it did not negotiate the packet's video payload type (counted per receiver). */
    CODEC_NOT_NEGOTIATED("codec-not-negotiated"),
    /** Dropped by a test-only egress rate limit on the receiving endpoint (fault injection). */
    EGRESS_LIMIT("injected-egress-limit"),
    /**
     * A padding-only RTX packet (RFC 4588 stream without an original sequence number): a sender's bandwidth probe,
     * normal traffic (Chromium probes on its RTX streams), read for statistics and then not forwarded.
     */
    RTX_PADDING("rtx-padding");

    private final String key;

    DropReason(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
