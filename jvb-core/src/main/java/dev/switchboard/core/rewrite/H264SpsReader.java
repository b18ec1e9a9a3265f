package dev.switchboard.core.rewrite;

/**
 * Reads the frame size from an H.264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1), so that a simulcast
 * layer's height is known from its keyframes as it is for VP8. The NAL unit is read in place, skipping emulation
 * prevention bytes (a 0x03 after two zero bytes, section 7.4.1) on the fly.
 *
 * <p>One instance holds the read position (no allocation per call); not thread-safe: one per owner on a media
 * loop.
 */
public final class H264SpsReader {
    private byte[] buf;
    private int start;
    private int end;
    private int bytePos;
    private int bitPos;
    private boolean overrun;

    /**
     * The frame height in lines (after cropping) of the SPS NAL unit {@code [off, off+len)} (NAL header first),
     * or -1 when it is not an SPS or is truncated or malformed.
     */
    public int height(byte[] nal, int off, int len) {
        if (len < 4 || (nal[off] & 0x1F) != H264Payload.TYPE_SPS) {
            return -1;
        }
        buf = nal;
        start = off + 1;
        end = off + len;
        bytePos = start;
        bitPos = 0;
        overrun = false;
        try {
            return readHeight();
        } finally {
            buf = null;
        }
    }

    private int readHeight() {
        int profileIdc = bits(8);
        bits(16); // constraint flags, reserved bits, level_idc
        ue(); // seq_parameter_set_id
        int chromaFormatIdc = 1;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = ue();
            if (chromaFormatIdc == 3) {
                bits(1); // separate_colour_plane_flag
            }
            ue(); // bit_depth_luma_minus8
            ue(); // bit_depth_chroma_minus8
            bits(1); // qpprime_y_zero_transform_bypass_flag
            if (bits(1) == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chromaFormatIdc != 3 ? 8 : 12) && !overrun; i++) {
                    if (bits(1) == 1) {
                        skipScalingList(i < 6 ? 16 : 64);
                    }
                }
            }
        }
        ue(); // log2_max_frame_num_minus4
        int pocType = ue();
        if (pocType == 0) {
            ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            bits(1); // delta_pic_order_always_zero_flag
            ue(); // offset_for_non_ref_pic (se)
            ue(); // offset_for_top_to_bottom_field (se)
            int cycle = ue();
            if (cycle > 255) {
                return -1;
            }
            for (int i = 0; i < cycle && !overrun; i++) {
                ue(); // offset_for_ref_frame (se)
            }
        } else if (pocType != 2) {
            return -1;
        }
        ue(); // max_num_ref_frames
        bits(1); // gaps_in_frame_num_value_allowed_flag
        ue(); // pic_width_in_mbs_minus1
        int heightInMapUnits = ue() + 1;
        int frameMbsOnly = bits(1);
        if (frameMbsOnly == 0) {
            bits(1); // mb_adaptive_frame_field_flag
        }
        bits(1); // direct_8x8_inference_flag
        int cropTop = 0;
        int cropBottom = 0;
        if (bits(1) == 1) { // frame_cropping_flag
            ue(); // left
            ue(); // right
            cropTop = ue();
            cropBottom = ue();
        }
        if (overrun) {
            return -1;
        }
        // Section 7.4.2.1.1: CropUnitY = SubHeightC * (2 - frame_mbs_only_flag), SubHeightC 2 for 4:2:0 only.
        int subHeightC = chromaFormatIdc == 1 ? 2 : 1;
        int cropUnitY = subHeightC * (2 - frameMbsOnly);
        long height = (2L - frameMbsOnly) * heightInMapUnits * 16 - (long) cropUnitY * (cropTop + cropBottom);
        return height > 0 && height <= 16_384 ? (int) height : -1;
    }

    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private void skipScalingList(int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && !overrun; j++) {
            if (next != 0) {
                int delta = se();
                next = (last + delta + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** Unsigned Exp-Golomb code (section 9.1); values beyond 2^31 - 2 count as an overrun. */
    private int ue() {
        int zeros = 0;
        while (!overrun && bits(1) == 0) {
            if (++zeros > 31) {
                overrun = true;
            }
        }
        if (overrun) {
            return 0;
        }
        long value = (1L << zeros) - 1 + (zeros == 0 ? 0 : bits(zeros));
        if (value > Integer.MAX_VALUE) {
            overrun = true;
            return 0;
        }
        return (int) value;
    }

    /** Signed Exp-Golomb code (section 9.1.1). */
    private int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    /** The next {@code n} (at most 31) bits, most significant first; 0 and an overrun past the end. */
    private int bits(int n) {
        int value = 0;
        for (int i = 0; i < n; i++) {
            if (bitPos == 0 && bytePos - 2 >= start && bytePos < end && buf[bytePos] == 3 && buf[bytePos - 1] == 0
                    && buf[bytePos - 2] == 0) {
                bytePos++; // emulation prevention byte
            }
            if (bytePos >= end) {
                overrun = true;
                return 0;
            }
            value = value << 1 | (buf[bytePos] >> (7 - bitPos)) & 1;
            if (++bitPos == 8) {
                bitPos = 0;
                bytePos++;
            }
        }
        return value;
    }
}
