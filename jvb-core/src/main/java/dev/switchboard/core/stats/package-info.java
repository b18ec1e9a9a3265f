/**
 * Receive-side measurements the bridge reports back to the senders of the streams it receives: RFC 3550
 * reception statistics (the report blocks of its receiver reports), transport-wide arrival times
 * (transport-cc feedback for the senders' bandwidth estimation) and round-trip times (which pace NACK
 * retries). Time comes from injected nanosecond clocks or arrival stamps; every class is allocation-free on
 * the per-packet path and confined to one thread (the media loop of the conference). Depends on
 * {@code core.rtcp} and {@code core.rtp} only.
 */
package dev.switchboard.core.stats;
