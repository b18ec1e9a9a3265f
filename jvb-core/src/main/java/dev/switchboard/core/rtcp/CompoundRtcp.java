package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the packets of a compound RTCP datagram (RFC 3550 section 6.1; reduced-size compounds of RFC 5506
 * are accepted too, no SR/RR first is required) and parses the ones this package knows: SR, RR, SDES, BYE,
 * generic NACK and transport-cc (RTPFB 1 and 15), PLI, FIR and REMB (PSFB 1, 4 and 15). Anything else
 * (APP, XR, other feedback) is skipped.
 *
 * <p>An instance is a reusable, allocation-free cursor; only {@link #parse()} allocates the value:
 * <pre>{@code
 * if (cursor.reset(buf, off, len)) {
 *     while (cursor.next()) {
 *         if (cursor.packetType() == RtcpPackets.PSFB && cursor.format() == Pli.FMT) { ... in place ... }
 *     }
 * }
 * }</pre>
 * Not thread-safe.
 */
public final class CompoundRtcp {
    private byte[] buf;
    private int pos;
    private int end;
    private int packetOffset;
    private int packetLength;

    /**
     * Positions the cursor before the first packet.
     *
     * @return false (and nothing to iterate) when the framing is not a valid compound: version, type range
     *     and length fields must tile the datagram exactly ({@link RtcpPackets#isValidCompound})
     */
    public boolean reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.packetOffset = off;
        this.packetLength = 0;
        if (!RtcpPackets.isValidCompound(buf, off, len)) {
            this.pos = this.end = off;
            return false;
        }
        this.pos = off;
        this.end = off + len;
        return true;
    }

    /** Moves to the next packet, known or not; false at the end. */
    public boolean next() {
        if (pos >= end) {
            return false;
        }
        packetOffset = pos;
        packetLength = RtcpPackets.packetLength(buf, pos);
        pos += packetLength;
        return true;
    }

    public int packetType() {
        return RtcpPackets.packetType(buf, packetOffset);
    }

    /** The 5-bit count (SR/RR/SDES/BYE) or feedback message type (RTPFB/PSFB) field. */
    public int format() {
        return RtcpPackets.format(buf, packetOffset);
    }

    /** Absolute offset of the current packet. */
    public int offset() {
        return packetOffset;
    }

    /** Length of the current packet in bytes. */
    public int length() {
        return packetLength;
    }

    /**
     * Parses the current packet.
     *
     * @return the value, or null when its type is not one this package parses
     * @throws MalformedPacketException when it is a known type but its body is malformed
     */
    public RtcpPacket parse() throws MalformedPacketException {
        int off = packetOffset;
        int len = packetLength;
        switch (packetType()) {
            case RtcpPackets.SR:
                return SenderReport.parse(buf, off, len);
            case RtcpPackets.RR:
                return ReceiverReport.parse(buf, off, len);
            case RtcpPackets.SDES:
                return Sdes.parse(buf, off, len);
            case RtcpPackets.BYE:
                return Bye.parse(buf, off, len);
            case RtcpPackets.RTPFB:
                switch (format()) {
                    case Nack.FMT:
                        return Nack.parse(buf, off, len);
                    case TransportCc.FMT:
                        return TransportCc.parse(buf, off, len);
                    default:
                        return null;
                }
            case RtcpPackets.PSFB:
                switch (format()) {
                    case Pli.FMT:
                        return Pli.parse(buf, off, len);
                    case Fir.FMT:
                        return Fir.parse(buf, off, len);
                    case Remb.FMT:
                        return Remb.isRemb(buf, off, len) ? Remb.parse(buf, off, len) : null;
                    default:
                        return null;
                }
            default:
                return null;
        }
    }

    /**
     * Parses every known packet of a compound, skipping unknown ones.
     *
     * @throws MalformedPacketException when the framing is invalid or a known packet is malformed
     */
    public static List<RtcpPacket> parseAll(byte[] buf, int off, int len) throws MalformedPacketException {
        CompoundRtcp cursor = new CompoundRtcp();
        if (!cursor.reset(buf, off, len)) {
            throw new MalformedPacketException("not a valid compound RTCP packet");
        }
        List<RtcpPacket> packets = new ArrayList<>(4);
        while (cursor.next()) {
            RtcpPacket packet = cursor.parse();
            if (packet != null) {
                packets.add(packet);
            }
        }
        return packets;
    }

    /** Total length of the packets as one compound. */
    public static int length(List<? extends RtcpPacket> packets) {
        int length = 0;
        for (RtcpPacket packet : packets) {
            length += packet.length();
        }
        return length;
    }

    /** Writes the packets back to back at {@code off}; returns the compound's length. */
    public static int serialize(List<? extends RtcpPacket> packets, byte[] out, int off) {
        int pos = off;
        for (RtcpPacket packet : packets) {
            pos += packet.serialize(out, pos);
        }
        return pos - off;
    }
}
