package dev.switchboard.core.routing;

import dev.switchboard.core.rtp.NetworkBytes;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test packets of a simulcast layer as Chromium sends them before the bridge's reports acknowledge its SSRCs:
 * VP8 (payload type 96) with mid "1", the layer's rid and a transport-wide number (one-byte extensions), a VP8
 * payload descriptor with a 15-bit picture ID, and on keyframes the frame size (16:9 at {@code height}).
 */
final class Vp8LayerPackets {
    static final int MID_ID = 3;
    static final int RID_ID = 4;
    static final int TCC_ID = 5;
    /** Three layers: q, h and f at 180, 360 and 720 lines. */
    static final List<String> RIDS = List.of("q", "h", "f");

    private Vp8LayerPackets() {}

    /** Bytes per packet of a layer: one packet per layer every 10 ms is 100 kbit/s, 300 kbit/s, 1 Mbit/s. */
    static int size(int layer) {
        return layer == 0 ? 125 : layer == 1 ? 375 : 1250;
    }

    static int height(int layer) {
        return 180 << layer;
    }

    /** Packet {@code n} of {@code layer} (of {@link #size}, with the ids above), its SSRC {@code ssrc}. */
    static byte[] layer(int n, long ssrc, int layer, boolean keyframe) {
        return packet(n, ssrc, size(layer), MID_ID, RID_ID, RIDS.get(layer), TCC_ID, keyframe, height(layer));
    }

    /** Packet number {@code n} (sequence number, transport-wide number, picture ID) of {@code size} bytes. */
    static byte[] packet(int n, long ssrc, int size, int midId, int ridId, String rid, int transportCcId,
            boolean keyframe, int height) {
        byte[] p = new byte[size];
        p[0] = (byte) 0x90;
        p[1] = 96;
        NetworkBytes.putUint16(p, 2, n & 0xFFFF);
        NetworkBytes.putUint32(p, 4, n * 900L);
        NetworkBytes.putUint32(p, 8, ssrc);
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 2;
        p[16] = (byte) (midId << 4);
        p[17] = '1';
        p[18] = (byte) (ridId << 4);
        p[19] = rid.getBytes(StandardCharsets.US_ASCII)[0];
        p[20] = (byte) ((transportCcId << 4) | 1);
        NetworkBytes.putUint16(p, 21, n & 0xFFFF);
        int d = 24;
        p[d] = (byte) 0x90; // X, S, partition 0
        p[d + 1] = (byte) 0xC0; // I, L
        p[d + 2] = (byte) (0x80 | ((n >>> 8) & 0x7F));
        p[d + 3] = (byte) n;
        p[d + 4] = (byte) n;
        int v = d + 5;
        p[v] = (byte) (keyframe ? 0x00 : 0x01);
        if (keyframe) {
            p[v + 3] = (byte) 0x9D;
            p[v + 4] = 0x01;
            p[v + 5] = 0x2A;
            NetworkBytes.putUint16(p, v + 6, Short.reverseBytes((short) (height * 16 / 9)) & 0xFFFF);
            NetworkBytes.putUint16(p, v + 8, Short.reverseBytes((short) height) & 0xFFFF);
        }
        return p;
    }
}
