package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Source description, PT=202 (RFC 3550 section 6.5): up to 31 chunks, each an SSRC and a list of items
 * ({@code type, length, value}), the list ended by a null octet and padded with nulls to a 32-bit boundary.
 * All item types are kept as bytes; {@link Chunk#cname()} reads the CNAME (section 6.5.1).
 */
public record Sdes(List<Chunk> chunks) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.SDES;
    public static final int MAX_CHUNKS = 31;
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    public Sdes {
        chunks = List.copyOf(chunks);
        RtcpHeader.checkRange("chunks", chunks.size(), 0, MAX_CHUNKS);
    }

    /** One chunk with only a CNAME item, the common case (what the bridge sends for its own SSRCs). */
    public static Sdes ofCname(long ssrc, String cname) {
        return new Sdes(List.of(new Chunk(ssrc, List.of(Item.text(CNAME, cname)))));
    }

    /** An SDES item (RFC 3550 section 6.5): type 1..255 and up to 255 bytes of (normally UTF-8) value. */
    public record Item(int type, byte[] value) {
        public Item {
            RtcpHeader.checkRange("SDES item type", type, 1, 255);
            value = value.clone();
            RtcpHeader.checkRange("SDES item length", value.length, 0, 255);
        }

        public static Item text(int type, String text) {
            return new Item(type, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        int length() {
            return 2 + value.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Item other && other.type == type && Arrays.equals(other.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Item[type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** The items describing one SSRC (or CSRC). */
    public record Chunk(long ssrc, List<Item> items) {
        public Chunk {
            RtcpHeader.checkSsrc(ssrc);
            items = List.copyOf(items);
        }

        /** The first CNAME item's text, or null. */
        public String cname() {
            for (Item item : items) {
                if (item.type() == CNAME) {
                    return item.text();
                }
            }
            return null;
        }

        /** SSRC, items, then at least one null octet up to the next 32-bit boundary. */
        int length() {
            int itemsLength = 0;
            for (Item item : items) {
                itemsLength += item.length();
            }
            return 4 + ((itemsLength + 4) & ~3);
        }
    }

    public static Sdes parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int length = RtcpHeader.check(buf, off, len, PACKET_TYPE, RtcpHeader.LENGTH);
        int end = off + RtcpHeader.contentLength(buf, off, length, RtcpHeader.LENGTH);
        int count = RtcpHeader.countOrFormat(buf, off);
        List<Chunk> chunks = new ArrayList<>(count);
        int pos = off + RtcpHeader.LENGTH;
        for (int i = 0; i < count; i++) {
            if (pos + 4 > end) {
                throw new MalformedPacketException("SDES chunk " + i + " truncated");
            }
            long ssrc = NetworkBytes.uint32(buf, pos);
            pos += 4;
            List<Item> items = new ArrayList<>();
            while (true) {
                if (pos >= end) {
                    throw new MalformedPacketException("SDES chunk " + i + " has no end of item list");
                }
                int type = buf[pos] & 0xFF;
                if (type == 0) {
                    pos = off + ((pos - off + 4) & ~3); // the null octet and padding to the boundary
                    break;
                }
                if (pos + 2 > end || pos + 2 + (buf[pos + 1] & 0xFF) > end) {
                    throw new MalformedPacketException("SDES item truncated");
                }
                int itemLength = buf[pos + 1] & 0xFF;
                items.add(new Item(type, Arrays.copyOfRange(buf, pos + 2, pos + 2 + itemLength)));
                pos += 2 + itemLength;
            }
            chunks.add(new Chunk(ssrc, items));
        }
        if (pos > end) {
            throw new MalformedPacketException("SDES padding runs past the packet");
        }
        return new Sdes(chunks);
    }

    @Override
    public int length() {
        int length = RtcpHeader.LENGTH;
        for (Chunk chunk : chunks) {
            length += chunk.length();
        }
        return length;
    }

    @Override
    public int serialize(byte[] out, int off) {
        int length = length();
        RtcpHeader.write(out, off, chunks.size(), PACKET_TYPE, length);
        int pos = off + RtcpHeader.LENGTH;
        for (Chunk chunk : chunks) {
            int chunkEnd = pos + chunk.length();
            NetworkBytes.putUint32(out, pos, chunk.ssrc());
            pos += 4;
            for (Item item : chunk.items()) {
                out[pos] = (byte) item.type();
                out[pos + 1] = (byte) item.value.length;
                System.arraycopy(item.value, 0, out, pos + 2, item.value.length);
                pos += item.length();
            }
            Arrays.fill(out, pos, chunkEnd, (byte) 0);
            pos = chunkEnd;
        }
        return length;
    }
}
