package dev.switchboard.core.api;

/**
 * The video codecs the bridge tells apart by payload type ({@link MediaDescription#videoPayloadTypes}). The bridge
 * never transcodes: it reads a codec's payload only to switch simulcast layers at keyframes (VP8 and H.264) and
 * forwards a packet only to receivers that negotiated its payload type.
 */
public enum VideoCodec {
    /** RFC 7741. Simulcast: keyframes and heights from the payload header; picture IDs rewritten. */
    VP8,
    /** RFC 7741 (VP9's payload format draft); forwarded as single-stream video only. */
    VP9,
    /** RFC 6184, packetization-mode 1. Simulcast: IDR access units (SPS first) are the switch points. */
    H264
}
