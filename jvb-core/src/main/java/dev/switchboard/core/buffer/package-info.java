/**
 * Pooled packet buffers.
 *
 * <p>Ownership rule: a {@link dev.switchboard.core.buffer.PacketBuffer} has exactly one owner at a time.
 * Whoever takes it from a {@link dev.switchboard.core.buffer.PacketPool} owns it; handing it to another
 * component (e.g. enqueueing it on a media loop) transfers ownership; the owner that finishes with it
 * (forwarded, dropped or failed) calls {@link dev.switchboard.core.buffer.PacketBuffer#release()} exactly
 * once. A double release or a release of a foreign buffer throws. {@link
 * dev.switchboard.core.buffer.PacketPool#outstanding()} lets tests assert that nothing leaked.
 */
package dev.switchboard.core.buffer;
