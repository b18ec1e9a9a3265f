/**
 * Loss repair building blocks: the per-stream {@link dev.switchboard.core.repair.RetransmissionCache} that
 * answers NACKs, and the {@link dev.switchboard.core.repair.NackGenerator} that decides what to NACK on
 * received streams. Both are confined to a media loop and take an injected nanosecond clock.
 */
package dev.switchboard.core.repair;
