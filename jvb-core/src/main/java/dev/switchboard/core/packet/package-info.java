/**
 * Packet parsing: pure functions over (array, offset, length), no allocation, no I/O. The lowest layer;
 * it depends on nothing else in the core.
 */
package dev.switchboard.core.packet;
