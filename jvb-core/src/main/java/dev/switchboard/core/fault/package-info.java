/**
 * Fault injection for tests and diagnostics: {@link dev.switchboard.core.fault.FaultInjection} drops a
 * configured share of the datagrams the bridge receives and sends (never STUN), so loss repair (NACK,
 * retransmissions from the cache, keyframe requests) can be exercised against real browsers. Off by default.
 */
package dev.switchboard.core.fault;
