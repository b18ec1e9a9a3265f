package dev.switchboard.core.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Sequence parameter sets (H.264 section 7.3.2.1.1), each written out field by field below, and the frame height
 * after cropping (section 7.4.2.1.1).
 */
class H264SpsReaderTest {
    private final H264SpsReader reader = new H264SpsReader();

    private int height(String hex) {
        byte[] nal = HexFormat.of().parseHex(hex.replace(" ", ""));
        return reader.height(nal, 0, nal.length);
    }

    @Test
    void constrainedBaselineAtTheSimulcastSizes() {
        // 42 e0 1f: profile 66 (constraint_set0/1/2), level 3.1; sps id 0, log2_max_frame_num-4 0, poc type 0
        // (log2_max_poc_lsb-4 2), 1 reference frame, 80x45 macroblocks, frame_mbs_only, direct_8x8, no cropping
        assertEquals(720, height("67 42 e0 1f ed 00 a0 0b 72"));
        // 40x23 macroblocks (368 lines), cropped by 4 units of 2 lines at the bottom
        assertEquals(360, height("67 42 e0 1f ed 01 40 5f f2 a0"));
        // 20x12 macroblocks (192 lines), poc type 2, cropped by 6 units of 2 lines
        assertEquals(180, height("67 42 e0 1f da 05 06 7e 74"));
    }

    @Test
    void highProfileWithChromaFieldsScalingListsAndPocType1() {
        // profile 100, level 4.0: chroma_format_idc 1, bit depths 8, one 4x4 scaling list sent (deltas
        // 3,-2,5,1,0: ends early), poc type 1 with a cycle of two, 120x68 macroblocks, cropped to 1080
        assertEquals(1080, height("67 64 00 28 ad 4c 51 4b ff c0 a1 c8 d3 40 3c 01 13 f2 a0"));
    }

    @Test
    void fieldCodingDoublesTheMapUnits() {
        // main profile, frame_mbs_only 0 (interlaced): 18 map units of 32 lines = 576
        assertEquals(576, height("67 4d 40 1f ed 01 68 48 fd"));
    }

    @Test
    void emulationPreventionBytesAreSkipped() {
        // max_num_ref_frames = 2^30 needs 30 zero bits: the encoder inserted 0x03 after each pair of zero bytes
        String escaped = "67 42 e0 1f ec 00 00 03 00 08 00 00 03 00 20 50 17 fc a8";
        assertTrue(escaped.contains("00 00 03"));
        assertEquals(360, height(escaped));
    }

    @Test
    void truncatedOrForeignUnitsGiveMinusOne() {
        String sps = "6742e01fed01405ff2a0";
        byte[] nal = HexFormat.of().parseHex(sps);
        for (int len = 0; len < 9; len++) {
            assertEquals(-1, reader.height(nal, 0, len), "len " + len);
        }
        assertEquals(360, reader.height(nal, 0, nal.length), "the reader is reusable after failures");
        assertEquals(-1, height("68 ce 3c 80"), "a PPS");
        assertEquals(-1, height("67 42 e0 1f 00 00 00 00 00"), "an Exp-Golomb code longer than 31 bits");
        byte[] shifted = HexFormat.of().parseHex("ffff" + sps + "ffff");
        assertEquals(360, reader.height(shifted, 2, nal.length), "at an offset");
    }
}
