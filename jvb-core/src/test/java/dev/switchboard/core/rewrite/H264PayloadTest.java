package dev.switchboard.core.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 6184 payloads as Chromium's packetizer writes them (packetization-mode=1), and broken ones. */
class H264PayloadTest {
    /** SPS: constrained baseline (42 e0), level 3.1, 640x360 (40x23 macroblocks, 8 lines cropped at the bottom). */
    static final String SPS_360 = "6742e01fed01405ff2a0";
    /** PPS (type 8, NRI 3). */
    static final String PPS = "68ce3c80";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static int inspect(String payload) {
        byte[] p = hex(payload);
        return H264Payload.inspect(p, 0, p.length);
    }

    private static String size(String unit) {
        return String.format("%04x", unit.replace(" ", "").length() / 2);
    }

    /** A STAP-A (type 24, NRI 3) of the given units. */
    static String stapA(String... units) {
        StringBuilder s = new StringBuilder("78");
        for (String u : units) {
            s.append(size(u)).append(u.replace(" ", ""));
        }
        return s.toString();
    }

    @Test
    void singleNalUnitPackets() {
        assertEquals(H264Payload.SPS, inspect(SPS_360));
        assertEquals(H264Payload.PPS, inspect(PPS));
        assertEquals(H264Payload.IDR_START, inspect("65 88 84 00 33 ff"), "a whole IDR slice (type 5)");
        assertEquals(0, inspect("41 9a 02 04"), "a non-IDR slice (type 1, NRI 2)");
        assertEquals(0, inspect("06 05 ff"), "SEI");
        assertEquals(0, inspect("09"), "an access unit delimiter of one byte");
        assertTrue(H264Payload.isKeyframeStart(inspect(SPS_360)), "an SPS starts the IDR access unit");
        assertFalse(H264Payload.isKeyframeStart(inspect("65 88 84 00 33 ff")),
                "an IDR without its parameter sets in the packet is no switch point");
        assertFalse(H264Payload.isKeyframeStart(inspect(PPS)));
    }

    @Test
    void stapAWithSpsPpsAndIdrIsTheSwitchPoint() {
        String chromeKeyframeStart = stapA(SPS_360, PPS, "65 88 84 00 33 ff 10");
        int flags = inspect(chromeKeyframeStart);
        assertEquals(H264Payload.SPS | H264Payload.PPS | H264Payload.IDR_START, flags);
        assertTrue(H264Payload.isKeyframeStart(flags));

        int parameterSetsOnly = inspect(stapA(SPS_360, PPS));
        assertEquals(H264Payload.SPS | H264Payload.PPS, parameterSetsOnly);
        assertTrue(H264Payload.isKeyframeStart(parameterSetsOnly), "SPS+PPS, the IDR follows in FU-A packets");

        assertEquals(0, inspect(stapA("06 05 ff", "41 9a 02")), "SEI and a delta slice aggregated");
        assertFalse(H264Payload.isKeyframeStart(0));
    }

    @Test
    void fuAStartMiddleAndEnd() {
        // FU indicator 0x7c (NRI 3, type 28); FU header S|E|R|type
        assertEquals(H264Payload.IDR_START, inspect("7c 85 88 84 00"), "start of a fragmented IDR");
        assertEquals(0, inspect("7c 05 11 22"), "middle fragment of an IDR");
        assertEquals(0, inspect("7c 45 11 22"), "end fragment of an IDR");
        assertEquals(0, inspect("5c 81 9a 02"), "start of a fragmented delta slice");
        assertFalse(H264Payload.isKeyframeStart(inspect("7c 85 88 84 00")));
    }

    @Test
    void malformedAndTruncatedPayloadsAreReported() {
        int bad = H264Payload.MALFORMED;
        assertEquals(bad, H264Payload.inspect(new byte[0], 0, 0), "empty");
        assertEquals(bad, inspect("e5 88 84"), "forbidden bit set");
        assertEquals(bad, inspect("78"), "STAP-A without units");
        assertEquals(bad, inspect("78 00"), "STAP-A size cut short");
        assertEquals(bad, inspect("78 00 0a 67 42"), "STAP-A unit runs past the end");
        assertEquals(bad, inspect("78 00 00 67"), "STAP-A unit of size 0");
        assertEquals(bad, inspect("78 00 02 78 00"), "an aggregation inside an aggregation");
        assertEquals(bad, inspect("78 00 02 e7 00"), "forbidden bit in an aggregated unit");
        assertEquals(bad, inspect(stapA(SPS_360) + "00"), "a trailing byte after the last unit");
        assertEquals(bad, inspect("7c 85"), "FU-A without fragment data");
        assertEquals(bad, inspect("7c"), "FU-A without its header");
        assertEquals(bad, inspect("7c c5 11"), "FU-A with start and end set");
        assertEquals(bad, inspect("7c 9c 11"), "FU-A fragmenting an FU-A");
        assertEquals(bad, inspect("7c 80 11"), "FU-A of type 0");
        for (String type : new String[] {"00", "79", "7a", "7b", "7d", "7e", "7f"}) {
            assertEquals(bad, inspect(type + " 00 11 22 33"), "type byte " + type + " (0, STAP-B, MTAP, FU-B, 30, 31)");
        }
        // any prefix of a valid keyframe STAP-A is either whole units or malformed, never an exception
        byte[] full = hex(stapA(SPS_360, PPS, "65 88 84 00 33 ff 10"));
        for (int len = 0; len <= full.length; len++) {
            int r = H264Payload.inspect(full, 0, len);
            assertTrue(r == bad || r >= 0, "len " + len);
        }
    }

    @Test
    void readsAtAnOffsetWithoutTouchingNeighbours() {
        byte[] p = hex("ffff" + stapA(SPS_360, PPS) + "ffff");
        assertEquals(H264Payload.SPS | H264Payload.PPS, H264Payload.inspect(p, 2, p.length - 4));
        assertEquals(H264Payload.MALFORMED, H264Payload.inspect(p, 2, p.length - 2), "the ff bytes are no unit");
    }

    @Test
    void findsTheSpsInASingleNalOrAStapA() {
        byte[] single = hex(SPS_360);
        assertEquals((long) 0 << 32 | single.length, H264Payload.findSps(single, 0, single.length));
        byte[] stap = hex(stapA("09 f0", SPS_360, PPS));
        long found = H264Payload.findSps(stap, 0, stap.length);
        assertEquals(1 + 2 + 2 + 2, (int) (found >>> 32), "after the AUD unit and two size fields");
        assertEquals(hex(SPS_360).length, (int) found);
        byte[] none = hex(stapA(PPS, "65 88"));
        assertEquals(-1, H264Payload.findSps(none, 0, none.length));
        byte[] fu = hex("7c 87 42 e0");
        assertEquals(-1, H264Payload.findSps(fu, 0, fu.length), "a fragmented SPS is not read");
        byte[] cut = hex("78 00 0a 67 42");
        assertEquals(-1, H264Payload.findSps(cut, 0, cut.length));
    }

    @Test
    void formatClassifiesSwitchPointsAndReadsTheirHeight() {
        H264Format format = new H264Format();
        byte[] key = hex(stapA(SPS_360, PPS, "65 88 84 00 33 ff 10"));
        assertEquals(VideoPayloadFormat.SWITCH_POINT, format.inspect(key, 0, key.length));
        assertEquals(360, format.keyframeHeight(key, 0, key.length));
        byte[] delta = hex("41 9a 02 04");
        assertEquals(VideoPayloadFormat.ORDINARY, format.inspect(delta, 0, delta.length));
        assertEquals(-1, format.keyframeHeight(delta, 0, delta.length));
        byte[] broken = hex("78 00 0a 67 42");
        assertEquals(VideoPayloadFormat.MALFORMED, format.inspect(broken, 0, broken.length));
        assertEquals(PayloadRewriter.NONE, format.newRewriter(), "nothing to rewrite in H.264 payloads");
    }
}
