package dev.switchboard.core.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.testing.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderExtensionsTest {
    /** An Opus packet as a browser sends it: audio level, abs-send-time and transport-wide seq. */
    static final byte[] ONE_BYTE = Hex.bytes(
            "90 6f 4d2c", //     V=2 X=1 CC=0 | M=0 PT=111 | seq
            "00013880", //       timestamp
            "0a0b0c0d", //       SSRC
            "bede 0003", //      one-byte form (RFC 8285 section 4.2), 3 words
            "10 aa", //          id 1, L=0 (1 byte): ssrc-audio-level V=1 level 42
            "22 123456", //      id 2, L=2 (3 bytes): abs-send-time
            "31 0102", //        id 3, L=1 (2 bytes): transport-wide seq 258
            "000000", //         padding
            "fcfd"); //          payload

    static final byte[] TWO_BYTE = Hex.bytes(
            "b1 6f 0001", //     V=2 X=1 CC=1 | PT=111 | seq 1 (a CSRC before the block)
            "00000000",
            "00000001",
            "00000002", //       CSRC
            "1000 0003", //      two-byte form (RFC 8285 section 4.3), app bits 0, 3 words
            "01 01 2a", //       id 1, 1 byte: audio level V=0 level 42
            "00", //             padding between elements
            "10 00", //          id 16, 0 bytes (only the two-byte form can say that)
            "02 02 beef", //     id 2, 2 bytes
            "0000",
            "ff"); //            payload

    record Element(int id, String data) {}

    private static List<Element> elements(byte[] packet) {
        HeaderExtensions ext = new HeaderExtensions();
        List<Element> out = new ArrayList<>();
        assertTrue(ext.reset(packet, 0, packet.length));
        while (ext.next()) {
            out.add(new Element(ext.id(), Hex.of(packet, ext.dataOffset(), ext.dataLength())));
        }
        return out;
    }

    @Test
    void walksTheOneByteForm() {
        assertEquals(List.of(new Element(1, "aa"), new Element(2, "123456"), new Element(3, "0102")),
                elements(ONE_BYTE));
        HeaderExtensions ext = new HeaderExtensions();
        assertTrue(ext.find(ONE_BYTE, 0, ONE_BYTE.length, 3));
        assertFalse(ext.isTwoByteForm());
        assertEquals(0x0102, NetworkBytes.uint16(ONE_BYTE, ext.dataOffset()));
        assertFalse(ext.find(ONE_BYTE, 0, ONE_BYTE.length, 4));
    }

    @Test
    void walksTheTwoByteForm() {
        assertEquals(List.of(new Element(1, "2a"), new Element(16, ""), new Element(2, "beef")), elements(TWO_BYTE));
        HeaderExtensions ext = new HeaderExtensions();
        assertTrue(ext.find(TWO_BYTE, 0, TWO_BYTE.length, 16));
        assertTrue(ext.isTwoByteForm());
        assertEquals(0, ext.dataLength());
    }

    @Test
    void readsTheAudioLevel() {
        HeaderExtensions ext = new HeaderExtensions();
        int raw = AudioLevelExtension.read(ext, ONE_BYTE, 0, ONE_BYTE.length, 1);
        assertEquals(42, AudioLevelExtension.level(raw));
        assertTrue(AudioLevelExtension.voiceActivity(raw));
        raw = AudioLevelExtension.read(ext, TWO_BYTE, 0, TWO_BYTE.length, 1);
        assertEquals(42, AudioLevelExtension.level(raw));
        assertFalse(AudioLevelExtension.voiceActivity(raw));
        assertEquals(-1, AudioLevelExtension.read(ext, ONE_BYTE, 0, ONE_BYTE.length, 9));
        assertEquals(0xaa, AudioLevelExtension.encode(true, 42));
        assertThrows(IllegalArgumentException.class, () -> AudioLevelExtension.encode(false, 128));
    }

    @Test
    void noBlockOrUnknownProfile() {
        byte[] plain = Hex.bytes("80 6f 0001 00000000 00000001 ff");
        HeaderExtensions ext = new HeaderExtensions();
        assertFalse(ext.reset(plain, 0, plain.length));
        assertFalse(ext.next());
        byte[] otherProfile = Hex.bytes("90 6f 0001 00000000 00000001 abcd 0001 10aa0000");
        assertFalse(ext.reset(otherProfile, 0, otherProfile.length));
        assertEquals(-1, rewriteIds(otherProfile, new int[16]));
    }

    @Test
    void idFifteenStopsTheOneByteForm() {
        byte[] packet = Hex.bytes("90 6f 0001 00000000 00000001 bede 0002 10aa f0 21 0102 0000");
        assertEquals(List.of(new Element(1, "aa")), elements(packet));
    }

    @Test
    void anElementRunningPastTheBlockEndsTheWalk() {
        byte[] packet = Hex.bytes("90 6f 0001 00000000 00000001 bede 0001 10aa 3f 00");
        assertEquals(List.of(new Element(1, "aa")), elements(packet));
    }

    @Test
    void rewritesIdsInPlaceAndErasesUnmapped() {
        byte[] packet = ONE_BYTE.clone();
        int[] map = new int[16];
        map[1] = 5; // audio level: the receiver negotiated id 5
        map[3] = 14; // transport-wide seq: id 14
        // abs-send-time (2) not negotiated by the receiver: erased
        assertEquals(2, rewriteIds(packet, map));
        assertEquals(List.of(new Element(5, "aa"), new Element(14, "0102")), elements(packet));
        assertArrayEquals(Hex.bytes("50aa 00000000 e10102 000000"), Arrays.copyOfRange(packet, 16, 28));
        assertEquals(RtpHeader.headerLength(ONE_BYTE, 0, ONE_BYTE.length),
                RtpHeader.headerLength(packet, 0, packet.length), "length unchanged");

        int[] tooBigForOneByte = new int[16];
        tooBigForOneByte[1] = 15;
        byte[] again = ONE_BYTE.clone();
        assertEquals(0, rewriteIds(again, tooBigForOneByte));
        assertEquals(List.of(), elements(again));

        byte[] two = TWO_BYTE.clone();
        int[] twoMap = new int[256];
        twoMap[16] = 200;
        twoMap[2] = 3;
        assertEquals(2, rewriteIds(two, twoMap));
        assertEquals(List.of(new Element(200, ""), new Element(3, "beef")), elements(two));
    }

    /** Maps every element's ID through {@code idMap} with {@link HeaderExtensions#rewriteId}; kept count or -1. */
    private static int rewriteIds(byte[] packet, int[] idMap) {
        HeaderExtensions cursor = new HeaderExtensions();
        if (!cursor.reset(packet, 0, packet.length)) {
            return -1;
        }
        int kept = 0;
        while (cursor.next()) {
            if (cursor.rewriteId(cursor.id() < idMap.length ? idMap[cursor.id()] : 0)) {
                kept++;
            }
        }
        return kept;
    }

    @Test
    void writerProducesTheFixtureBlocks() {
        byte[] out = new byte[40];
        int n = new HeaderExtensionWriter().begin(out, 2, false)
                .addByte(1, 0xaa)
                .add(2, Hex.bytes("123456"), 0, 3)
                .add(3, Hex.bytes("0102"), 0, 2)
                .finish();
        assertEquals(16, n);
        assertArrayEquals(Arrays.copyOfRange(ONE_BYTE, 12, 28), Arrays.copyOfRange(out, 2, 18));

        Arrays.fill(out, (byte) 0x77);
        n = new HeaderExtensionWriter().begin(out, 0, true)
                .addByte(1, 0x2a)
                .add(16, new byte[0], 0, 0)
                .add(2, Hex.bytes("beef"), 0, 2)
                .finish();
        // the writer puts no padding between elements, so this is one byte shorter than the fixture's content
        assertArrayEquals(Hex.bytes("1000 0003 01012a 1000 0202beef 000000"), Arrays.copyOf(out, n));
    }

    @Test
    void writerRejectsWhatTheFormCannotCarry() {
        HeaderExtensionWriter writer = new HeaderExtensionWriter().begin(new byte[300], 0, false);
        assertThrows(IllegalArgumentException.class, () -> writer.addByte(15, 0));
        assertThrows(IllegalArgumentException.class, () -> writer.add(1, new byte[17], 0, 17));
        assertThrows(IllegalArgumentException.class, () -> writer.add(1, new byte[0], 0, 0));
        HeaderExtensionWriter two = new HeaderExtensionWriter().begin(new byte[300], 0, true);
        assertThrows(IllegalArgumentException.class, () -> two.add(256, new byte[1], 0, 1));
    }

    @Test
    void aWrittenBlockIsReadBack() {
        byte[] packet = new byte[64];
        packet[0] = (byte) 0x90;
        packet[1] = 111;
        int n = new HeaderExtensionWriter().begin(packet, 12, false).addByte(4, 0x7f).finish();
        int len = 12 + n + 3;
        assertEquals(12 + n, RtpHeader.headerLength(packet, 0, len));
        HeaderExtensions ext = new HeaderExtensions();
        assertEquals(0x7f, AudioLevelExtension.read(ext, packet, 0, len, 4));
    }
}
