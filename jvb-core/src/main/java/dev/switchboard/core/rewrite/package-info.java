/**
 * Per-receiver stream rewriting for simulcast forwarding: {@link dev.switchboard.core.rewrite.StreamRewriter}
 * (SSRC, sequence numbers, timestamps, switching on keyframes), and the codec-specific parts behind two
 * interfaces chosen by payload type: {@link dev.switchboard.core.rewrite.VideoPayloadFormat} (switch points and
 * keyframe heights) and {@link dev.switchboard.core.rewrite.PayloadRewriter} (payload fields kept continuous).
 * VP8: {@link dev.switchboard.core.rewrite.Vp8Format}, {@link dev.switchboard.core.rewrite.Vp8Descriptor},
 * {@link dev.switchboard.core.rewrite.Vp8PictureIdRewriter}. H.264: {@link dev.switchboard.core.rewrite.H264Format},
 * {@link dev.switchboard.core.rewrite.H264Payload} (RFC 6184), {@link dev.switchboard.core.rewrite.H264SpsReader}.
 */
package dev.switchboard.core.rewrite;
