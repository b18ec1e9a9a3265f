/**
 * Per-receiver stream rewriting for simulcast forwarding: {@link dev.switchboard.core.rewrite.StreamRewriter}
 * (SSRC, sequence numbers, timestamps, switching on keyframes) and the VP8 payload descriptor
 * ({@link dev.switchboard.core.rewrite.Vp8Descriptor}, {@link dev.switchboard.core.rewrite.Vp8PictureIdRewriter}).
 */
package dev.switchboard.core.rewrite;
