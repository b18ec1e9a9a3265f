/**
 * The media core's public API: the only surface signaling may use.
 *
 * <p>Everything here is an immutable record, an enum or a narrow interface. Nothing here knows SDP, JSON or
 * HTTP; signaling translates its wire formats into these types. Calls may be made from any thread; events
 * are delivered on core threads and listeners must hop to their own executor before touching their state.
 */
package dev.switchboard.core.api;
