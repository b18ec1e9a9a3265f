package dev.switchboard.core.rewrite;

/**
 * Reads the H.264 RTP payload format (RFC 6184) in the non-interleaved mode ({@code packetization-mode=1})
 * that WebRTC uses, in place, to find where a receiver may start decoding:
 * <pre>
 *   NAL unit header:  +-+-+-+-+-+-+-+-+
 *                     |F|NRI|  Type   |   F must be 0
 *                     +-+-+-+-+-+-+-+-+
 *   Type 1-23  single NAL unit packet (the payload is one NAL unit; 5 = IDR slice, 7 = SPS, 8 = PPS)
 *   Type 24    STAP-A: the header, then NAL units each preceded by a 16-bit size (section 5.7.1)
 *   Type 28    FU-A: FU indicator, FU header |S|E|R|Type| (start, end, the fragmented unit's type), then a
 *              fragment of one NAL unit (section 5.8)
 * </pre>
 * STAP-B, MTAP16/24 and FU-B (25-27, 29) belong to the interleaved mode, 0, 30 and 31 are undefined: such a
 * payload, a forbidden bit set, or a size that runs past the end counts as malformed.
 *
 * <p>{@link #inspect} sums up a payload as a bit set: the parameter sets it carries and whether it starts an IDR
 * slice. A <em>switch point</em> ({@link #isKeyframeStart}) is a packet that carries a sequence parameter set:
 * libwebrtc sends SPS and PPS in front of every IDR picture (Chromium usually aggregates them, and a small IDR
 * too, in one STAP-A), so that packet starts the IDR access unit. An IDR slice on its own (an FU-A start after
 * the parameter sets) is not one: a receiver switched there would lack the new layer's SPS/PPS.
 *
 * <p>Static and allocation-free.
 */
public final class H264Payload {
    /** The payload is malformed (see the class comment). */
    public static final int MALFORMED = -1;
    /** It carries a sequence parameter set (NAL unit type 7). */
    public static final int SPS = 1;
    /** It carries a picture parameter set (type 8). */
    public static final int PPS = 2;
    /** It carries the start of an IDR slice (type 5: whole, or the first FU-A fragment). */
    public static final int IDR_START = 4;

    static final int TYPE_IDR = 5;
    static final int TYPE_SPS = 7;
    static final int TYPE_PPS = 8;
    static final int TYPE_STAP_A = 24;
    static final int TYPE_FU_A = 28;

    private H264Payload() {}

    /**
     * What the payload {@code [off, off+len)} carries: a combination of {@link #SPS}, {@link #PPS} and {@link
     * #IDR_START} (0 for anything else, e.g. a slice of a delta frame or a later FU-A fragment), or {@link
     * #MALFORMED}.
     */
    public static int inspect(byte[] buf, int off, int len) {
        if (len < 1 || (buf[off] & 0x80) != 0) {
            return MALFORMED;
        }
        int type = buf[off] & 0x1F;
        if (type >= 1 && type <= 23) {
            return flagsOf(type, true);
        }
        if (type == TYPE_STAP_A) {
            return inspectStapA(buf, off, len);
        }
        if (type == TYPE_FU_A) {
            if (len < 3) {
                return MALFORMED; // indicator, header, and at least one byte of the fragment
            }
            int header = buf[off + 1] & 0xFF;
            int fragmentType = header & 0x1F;
            boolean start = (header & 0x80) != 0;
            boolean end = (header & 0x40) != 0;
            if (fragmentType < 1 || fragmentType > 23 || start && end) {
                return MALFORMED; // only single NAL units are fragmented, never whole in one FU (5.8)
            }
            return flagsOf(fragmentType, start);
        }
        return MALFORMED;
    }

    /** Whether {@link #inspect}'s result marks a switch point: a packet carrying an SPS. */
    public static boolean isKeyframeStart(int inspected) {
        return inspected > 0 && (inspected & SPS) != 0;
    }

    /**
     * Where the first SPS NAL unit of the payload is: {@code offset << 32 | length} (the offset in {@code buf}
     * of its NAL header; the length including it), or -1 when the payload carries no whole SPS.
     */
    public static long findSps(byte[] buf, int off, int len) {
        if (len < 1 || (buf[off] & 0x80) != 0) {
            return -1;
        }
        int type = buf[off] & 0x1F;
        if (type == TYPE_SPS) {
            return (long) off << 32 | len;
        }
        if (type != TYPE_STAP_A) {
            return -1;
        }
        int end = off + len;
        for (int i = off + 1; i + 2 < end; ) {
            int size = (buf[i] & 0xFF) << 8 | buf[i + 1] & 0xFF;
            int unit = i + 2;
            if (size == 0 || unit + size > end) {
                return -1;
            }
            if ((buf[unit] & 0x1F) == TYPE_SPS) {
                return (long) unit << 32 | size;
            }
            i = unit + size;
        }
        return -1;
    }

    private static int inspectStapA(byte[] buf, int off, int len) {
        int end = off + len;
        int flags = 0;
        int units = 0;
        int i = off + 1;
        while (i < end) {
            if (i + 2 > end) {
                return MALFORMED; // a size field cut short
            }
            int size = (buf[i] & 0xFF) << 8 | buf[i + 1] & 0xFF;
            int unit = i + 2;
            if (size == 0 || unit + size > end || (buf[unit] & 0x80) != 0) {
                return MALFORMED;
            }
            int type = buf[unit] & 0x1F;
            if (type < 1 || type > 23) {
                return MALFORMED; // aggregation units hold single NAL units only (5.7.1)
            }
            flags |= flagsOf(type, true);
            units++;
            i = unit + size;
        }
        return units == 0 ? MALFORMED : flags;
    }

    private static int flagsOf(int nalType, boolean start) {
        return switch (nalType) {
            case TYPE_SPS -> SPS;
            case TYPE_PPS -> PPS;
            case TYPE_IDR -> start ? IDR_START : 0;
            default -> 0;
        };
    }
}
