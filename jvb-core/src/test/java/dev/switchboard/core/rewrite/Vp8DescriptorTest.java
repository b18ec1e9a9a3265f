package dev.switchboard.core.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testing.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Vp8DescriptorTest {
    /** First packet of a keyframe as Chrome sends it with temporal layers. */
    static final byte[] KEYFRAME_START = Hex.bytes(
            "90", //         X=1 R=0 N=0 S=1 R=0 PID=0
            "e0", //         I=1 L=1 T=1 K=0
            "9234", //       M=1, picture ID 0x1234 (15 bits)
            "56", //         TL0PICIDX 0x56
            "20", //         TID=0 Y=1 KEYIDX=0
            "100200", //     VP8 payload header: P=0 (key frame), ...
            "9d012a"); //    key frame start code (RFC 6386 section 9.1)

    /** A middle packet of a frame: 7-bit picture ID, K only, non-reference. */
    static final byte[] CONTINUATION = Hex.bytes(
            "a0", //         X=1 R=0 N=1 S=0 PID=0
            "90", //         I=1 L=0 T=0 K=1
            "15", //         M=0, picture ID 0x15 (7 bits)
            "03", //         TID/Y ignored, KEYIDX=3
            "aabbcc"); //    VP8 data

    @Test
    void keyframeHeightIsReadFromTheVp8KeyframeHeader() {
        byte[] key = Hex.bytes(
                "90", "e0", "9234", "56", "20", // descriptor as above (6 bytes)
                "100200", //      frame tag, P=0
                "9d012a", //      start code
                "0005", //        width 1280 (little-endian, 14 bits + 2 scale bits)
                "d002"); //       height 720
        assertEquals(720, Vp8Descriptor.keyframeHeight(key, 0, key.length));
        key[key.length - 1] |= (byte) 0xC0; // scaling bits are not part of the height
        assertEquals(720, Vp8Descriptor.keyframeHeight(key, 0, key.length));
        assertEquals(-1, Vp8Descriptor.keyframeHeight(key, 0, key.length - 1), "truncated");
        assertEquals(-1, Vp8Descriptor.keyframeHeight(KEYFRAME_START, 0, KEYFRAME_START.length), "no size yet");
        assertEquals(-1, Vp8Descriptor.keyframeHeight(CONTINUATION, 0, CONTINUATION.length), "not a keyframe");
    }

    @Test
    void keyframeStartFixture() {
        byte[] p = KEYFRAME_START;
        assertEquals(6, Vp8Descriptor.length(p, 0, p.length));
        assertTrue(Vp8Descriptor.isStartOfPartition(p, 0));
        assertEquals(0, Vp8Descriptor.partitionId(p, 0));
        assertFalse(Vp8Descriptor.isNonReference(p, 0));
        assertEquals(0x1234, Vp8Descriptor.pictureId(p, 0, p.length));
        assertTrue(Vp8Descriptor.hasLongPictureId(p, 0, p.length));
        assertEquals(0x56, Vp8Descriptor.tl0PicIdx(p, 0, p.length));
        assertEquals(0, Vp8Descriptor.temporalId(p, 0, p.length));
        assertTrue(Vp8Descriptor.isLayerSync(p, 0, p.length));
        assertEquals(-1, Vp8Descriptor.keyIndex(p, 0, p.length));
        assertTrue(Vp8Descriptor.isKeyframeStart(p, 0, p.length));

        Vp8Descriptor.Fields fields = Vp8Descriptor.Fields.parse(p, 0, p.length);
        Vp8Descriptor.Fields built = new Vp8Descriptor.Fields(false, true, 0, 0x1234, true, 0x56, 0, true, -1);
        assertEquals(built, fields);
        byte[] out = new byte[10];
        assertEquals(6, built.write(out, 1));
        assertEquals(6, built.length());
        assertArrayEquals(Arrays.copyOf(p, 6), Arrays.copyOfRange(out, 1, 7));
    }

    @Test
    void continuationFixture() {
        byte[] p = CONTINUATION;
        assertEquals(4, Vp8Descriptor.length(p, 0, p.length));
        assertFalse(Vp8Descriptor.isStartOfPartition(p, 0));
        assertTrue(Vp8Descriptor.isNonReference(p, 0));
        assertEquals(0x15, Vp8Descriptor.pictureId(p, 0, p.length));
        assertFalse(Vp8Descriptor.hasLongPictureId(p, 0, p.length));
        assertEquals(-1, Vp8Descriptor.tl0PicIdx(p, 0, p.length));
        assertEquals(-1, Vp8Descriptor.temporalId(p, 0, p.length));
        assertEquals(3, Vp8Descriptor.keyIndex(p, 0, p.length));
        assertFalse(Vp8Descriptor.isKeyframeStart(p, 0, p.length));

        Vp8Descriptor.Fields built = new Vp8Descriptor.Fields(true, false, 0, 0x15, false, -1, -1, false, 3);
        assertEquals(built, Vp8Descriptor.Fields.parse(p, 0, p.length));
        byte[] out = new byte[4];
        built.write(out, 0);
        assertArrayEquals(Arrays.copyOf(p, 4), out);
    }

    @Test
    void minimalDescriptorAndInterframes() {
        byte[] key = Hex.bytes("10 10 0200 9d012a"); // X=0 S=1 PID=0 | P=0
        assertEquals(1, Vp8Descriptor.length(key, 0, key.length));
        assertTrue(Vp8Descriptor.isKeyframeStart(key, 0, key.length));
        assertEquals(-1, Vp8Descriptor.pictureId(key, 0, key.length));
        assertFalse(Vp8Descriptor.setPictureId(key, 0, key.length, 5));
        assertFalse(Vp8Descriptor.setTl0PicIdx(key, 0, key.length, 5));
        byte[] delta = Hex.bytes("10 31 0200"); // P=1: inter frame
        assertFalse(Vp8Descriptor.isKeyframeStart(delta, 0, delta.length));
        byte[] secondPartition = Hex.bytes("11 10 0200"); // S=1 but PID=1
        assertFalse(Vp8Descriptor.isKeyframeStart(secondPartition, 0, secondPartition.length));
        byte[] descriptorOnly = Hex.bytes("10");
        assertFalse(Vp8Descriptor.isKeyframeStart(descriptorOnly, 0, 1), "no payload header to look at");
        assertEquals(1, new Vp8Descriptor.Fields(false, true, 0, -1, false, -1, -1, false, -1).length());
    }

    @Test
    void truncatedDescriptors() {
        assertEquals(-1, Vp8Descriptor.length(new byte[0], 0, 0));
        byte[] p = KEYFRAME_START;
        for (int len = 1; len < 6; len++) {
            assertEquals(-1, Vp8Descriptor.length(p, 0, len), "len " + len);
            assertEquals(-1, Vp8Descriptor.pictureId(p, 0, len));
            assertEquals(-1, Vp8Descriptor.tl0PicIdx(p, 0, len));
            assertNull(Vp8Descriptor.Fields.parse(p, 0, len));
            assertFalse(Vp8Descriptor.isKeyframeStart(p, 0, len));
        }
    }

    @Test
    void writesFieldsInPlaceKeepingTheirWidth() {
        byte[] p = KEYFRAME_START.clone();
        assertTrue(Vp8Descriptor.setPictureId(p, 0, p.length, 0x7FFE));
        assertTrue(Vp8Descriptor.setTl0PicIdx(p, 0, p.length, 0xFF));
        assertEquals(0x7FFE, Vp8Descriptor.pictureId(p, 0, p.length));
        assertEquals(0xFF, Vp8Descriptor.tl0PicIdx(p, 0, p.length));
        assertTrue(Vp8Descriptor.isLayerSync(p, 0, p.length), "neighbouring fields untouched");

        byte[] q = CONTINUATION.clone();
        assertTrue(Vp8Descriptor.setPictureId(q, 0, q.length, 0x1FF));
        assertEquals(0x7F, Vp8Descriptor.pictureId(q, 0, q.length), "a 7-bit field keeps the low 7 bits");
        assertEquals(3, Vp8Descriptor.keyIndex(q, 0, q.length));
    }

    @Test
    void rejectsOutOfRangeFields() {
        assertThrows(IllegalArgumentException.class,
                () -> new Vp8Descriptor.Fields(false, true, 0, 200, false, -1, -1, false, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new Vp8Descriptor.Fields(false, true, 8, -1, false, -1, -1, false, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new Vp8Descriptor.Fields(false, true, 0, -1, false, -1, 4, false, -1));
    }
}
