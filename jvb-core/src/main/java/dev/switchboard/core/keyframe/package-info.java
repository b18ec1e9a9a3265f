/** Keyframe request bookkeeping: {@link dev.switchboard.core.keyframe.KeyframeRequestLimiter}. */
package dev.switchboard.core.keyframe;
