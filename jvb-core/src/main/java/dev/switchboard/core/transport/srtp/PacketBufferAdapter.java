package dev.switchboard.core.transport.srtp;

import dev.switchboard.core.buffer.PacketBuffer;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * jitsi-utils' {@link ByteArrayBuffer} over a {@link PacketBuffer}, reused for every packet (reset per
 * call) so that the hot path allocates nothing. The pooled array cannot be replaced, so growing beyond the
 * buffer's tail room throws; {@link SrtpSession} checks the tail room first.
 */
final class PacketBufferAdapter implements ByteArrayBuffer {
    private PacketBuffer packet;

    PacketBufferAdapter wrap(PacketBuffer packet) {
        this.packet = packet;
        return this;
    }

    void clear() {
        packet = null;
    }

    @Override
    public byte[] getBuffer() {
        return packet.array();
    }

    @Override
    public int getOffset() {
        return packet.offset();
    }

    @Override
    public int getLength() {
        return packet.length();
    }

    @Override
    public void setLength(int length) {
        packet.setLength(length);
    }

    @Override
    public void setOffset(int offset) {
        packet.setOffsetAndLength(offset, packet.length());
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        if (off < 0 || len <= 0 || off + len > packet.length() || out.length < len) {
            return;
        }
        System.arraycopy(packet.array(), packet.offset() + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch " + howMuch);
        }
        if (howMuch > packet.tailRoom()) {
            throw new IllegalStateException("packet buffer lacks " + howMuch + " bytes of tail room");
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len <= 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, packet.array(), packet.offset() + packet.length(), len);
        packet.setLength(packet.length() + len);
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            packet.setLength(Math.max(0, packet.length() - len));
        }
    }
}
