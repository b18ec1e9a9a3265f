package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class SdesTest {
    static final byte[] SDES = Hex.bytes(
            "82 ca 000a", //                          V=2 P=0 SC=2 | PT=202 (SDES) | length=10 (44 bytes)
            "11223344", //                            chunk 1: SSRC
            "01 10", //                               CNAME, 16 bytes (a browser's random CNAME)
            "6836765659 4b706a6e59 5747704a74 38", // "h6vVYKpjnYWGpJt8"
            "00 00", //                               end of items + padding to 32 bits
            "55667788", //                            chunk 2: SSRC
            "01 02 6162", //                          CNAME "ab"
            "06 02 7362", //                          TOOL "sb" (kept although not interpreted)
            "00000000"); //                           end of items: the list is aligned, so a whole null word

    private static void assertFields(Sdes sdes) {
        assertEquals(2, sdes.chunks().size());
        Sdes.Chunk first = sdes.chunks().get(0);
        assertEquals(0x11223344L, first.ssrc());
        assertEquals("h6vVYKpjnYWGpJt8", first.cname());
        Sdes.Chunk second = sdes.chunks().get(1);
        assertEquals(0x55667788L, second.ssrc());
        assertEquals("ab", second.cname());
        assertEquals(2, second.items().size());
        assertEquals(Sdes.TOOL, second.items().get(1).type());
        assertEquals("sb", second.items().get(1).text());
    }

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        Sdes parsed = Sdes.parse(SDES, 0, SDES.length);
        assertFields(parsed);
        assertArrayEquals(SDES, RtcpRoundTrip.serialize(parsed));

        Sdes built = new Sdes(List.of(
                new Sdes.Chunk(0x11223344L, List.of(Sdes.Item.text(Sdes.CNAME, "h6vVYKpjnYWGpJt8"))),
                new Sdes.Chunk(0x55667788L, List.of(Sdes.Item.text(Sdes.CNAME, "ab"),
                        Sdes.Item.text(Sdes.TOOL, "sb")))));
        assertFields(built);
        assertEquals(parsed, built);
        assertArrayEquals(SDES, RtcpRoundTrip.serialize(built));
    }

    @Test
    void chunkPaddingForEveryRemainder() throws Exception {
        for (int nameLength = 0; nameLength < 9; nameLength++) {
            Sdes sdes = Sdes.ofCname(7, "x".repeat(nameLength));
            byte[] bytes = RtcpRoundTrip.serialize(sdes);
            // header + SSRC + (2 + n item bytes + at least one null, rounded up to 4)
            assertEquals(8 + ((2 + nameLength + 1 + 3) & ~3), bytes.length, "name length " + nameLength);
            assertEquals(0, bytes[bytes.length - 1], "ends with a null octet");
            assertEquals(sdes, Sdes.parse(bytes, 0, bytes.length));
        }
    }

    @Test
    void chunkWithoutItemsAndUnknownItemTypesSurvive() throws Exception {
        byte[] bytes = Hex.bytes("82ca 0005 00000001 00000000 00000002 63 02 cafe 00000000");
        Sdes sdes = Sdes.parse(bytes, 0, bytes.length);
        assertNull(sdes.chunks().get(0).cname());
        assertEquals(List.of(), sdes.chunks().get(0).items());
        assertEquals(new Sdes.Item(0x63, new byte[] {(byte) 0xca, (byte) 0xfe}), sdes.chunks().get(1).items().get(0));
        assertArrayEquals(bytes, RtcpRoundTrip.serialize(sdes));
    }

    @Test
    void rejectsMalformed() {
        // item length runs past the packet
        byte[] overrun = Hex.bytes("81ca 0002 00000001 01 09 6162");
        assertThrows(MalformedPacketException.class, () -> Sdes.parse(overrun, 0, overrun.length));
        // no null octet ends the item list
        byte[] unterminated = Hex.bytes("81ca 0002 00000001 01 02 6162");
        assertThrows(MalformedPacketException.class, () -> Sdes.parse(unterminated, 0, unterminated.length));
        // SC=2, one chunk present
        byte[] missingChunk = Hex.bytes("82ca 0002 00000001 00000000");
        assertThrows(MalformedPacketException.class, () -> Sdes.parse(missingChunk, 0, missingChunk.length));
        assertThrows(IllegalArgumentException.class, () -> Sdes.Item.text(Sdes.NOTE, "x".repeat(256)));
    }
}
