/** What the bridge asks of the operating system beyond sockets: thread priorities. */
package dev.switchboard.core.os;
