/**
 * Who is speaking and whose video is forwarded: {@link dev.switchboard.core.speaker.DominantSpeakerDetector}
 * (RFC 6464 audio levels in, dominant speaker out) and {@link dev.switchboard.core.speaker.LastNSelector}.
 */
package dev.switchboard.core.speaker;
