package dev.switchboard.core.rtcp;

/**
 * One parsed RTCP packet of a compound (RFC 3550 section 6, RFC 4585 section 6, RFC 5104 section 4.3).
 * Every implementation is an immutable value with a static {@code parse(byte[], int, int)} and these two
 * methods, so {@code p.serialize(out, off) == p.length()} bytes are written.
 */
public sealed interface RtcpPacket permits SenderReport, ReceiverReport, Sdes, Bye, Nack, Pli, Fir, Remb,
        TransportCc {
    /** Serialized length in bytes (a multiple of 4). */
    int length();

    /**
     * Writes the packet at {@code off}; {@code out} must have {@link #length()} bytes of room.
     *
     * @return the number of bytes written, {@link #length()}
     */
    int serialize(byte[] out, int off);
}
