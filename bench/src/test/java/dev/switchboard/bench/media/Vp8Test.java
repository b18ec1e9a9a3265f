package dev.switchboard.bench.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Vp8Test {
    @Test
    void keyFrameStartRoundTrips() {
        byte[] b = new byte[64];
        int n = Vp8.writeDescriptor(b, 2, true, 0x1234, 77, 0, false);
        assertEquals(Vp8.DESCRIPTOR_LENGTH, n);
        int h = Vp8.writePayloadHeader(b, 2 + n, true, 600, 1280, 720);
        assertEquals(Vp8.KEY_HEADER_LENGTH, h);
        Vp8.Descriptor d = Vp8.parse(b, 2, n + h);
        assertEquals(n, d.length());
        assertTrue(d.startOfFrame());
        assertEquals(0, d.partitionId());
        assertEquals(0x1234, d.pictureId());
        assertEquals(77, d.tl0PicIdx());
        assertEquals(0, d.temporalId());
        assertTrue(d.keyFrame());
        assertEquals(1280, d.width());
        assertEquals(720, d.height());
        assertEquals(1, Vp8.keyFrameStart(b, 2, n + h));
    }

    @Test
    void descriptorBitsMatchRfc7741() {
        byte[] b = new byte[8];
        Vp8.writeDescriptor(b, 0, true, 0x7FFF, 255, 2, true);
        assertEquals(0x90, b[0] & 0xFF); // X=1, S=1, PID=0
        assertEquals(0xE0, b[1] & 0xFF); // I, L, T
        assertEquals(0xFF, b[2] & 0xFF); // M=1, picture id high bits
        assertEquals(0xFF, b[3] & 0xFF);
        assertEquals(255, b[4] & 0xFF);
        assertEquals(0xA0, b[5] & 0xFF); // TID=2, Y=1
    }

    @Test
    void deltaFrameAndContinuationPackets() {
        byte[] b = new byte[32];
        int n = Vp8.writeDescriptor(b, 0, true, 5, 1, 2, true);
        int h = Vp8.writePayloadHeader(b, n, false, 1000, 0, 0);
        assertEquals(Vp8.DELTA_HEADER_LENGTH, h);
        Vp8.Descriptor d = Vp8.parse(b, 0, n + h);
        assertFalse(d.keyFrame());
        assertEquals(2, d.temporalId());
        assertTrue(d.layerSync());
        // first-partition size is stored in 19 bits across the 3-byte frame tag
        int size = ((b[n] & 0xFF) >>> 5) | ((b[n + 1] & 0xFF) << 3) | ((b[n + 2] & 0xFF) << 11);
        assertEquals(1000, size);
        assertTrue((b[n] & 0x10) != 0, "show_frame");

        Vp8.writeDescriptor(b, 0, false, 5, 1, 2, true);
        Vp8.Descriptor c = Vp8.parse(b, 0, n);
        assertFalse(c.startOfFrame());
        assertEquals(0, Vp8.keyFrameStart(b, 0, n));
    }

    @Test
    void parsesShortFormsAndRejectsTruncatedOnes() {
        // no extension: one byte, S=0
        Vp8.Descriptor d = Vp8.parse(new byte[] {0x00, 0x11}, 0, 2);
        assertEquals(1, d.length());
        assertEquals(-1, d.pictureId());
        // 7-bit picture id
        d = Vp8.parse(new byte[] {(byte) 0x80, (byte) 0x80, 0x15}, 0, 3);
        assertEquals(0x15, d.pictureId());
        assertNull(Vp8.parse(new byte[] {(byte) 0x80}, 0, 1));
        assertNull(Vp8.parse(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x81}, 0, 3));
        assertNull(Vp8.parse(new byte[0], 0, 0));
        // L without I is invalid
        assertNull(Vp8.parse(new byte[] {(byte) 0x80, 0x40, 0x01}, 0, 3));
        // key frame without its start code
        byte[] bad = new byte[16];
        int n = Vp8.writeDescriptor(bad, 0, true, 1, 1, 0, false);
        Vp8.writePayloadHeader(bad, n, true, 10, 320, 180);
        bad[n + 3] = 0;
        assertNull(Vp8.parse(bad, 0, 16));
        assertEquals(-1, Vp8.keyFrameStart(bad, 0, 16));
    }
}
