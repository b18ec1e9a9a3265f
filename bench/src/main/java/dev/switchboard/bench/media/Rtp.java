package dev.switchboard.bench.media;

/** Writes RTP headers (RFC 3550 section 5.1) and the one-byte header extension (RFC 8285) for audio level. */
public final class Rtp {
    public static final int HEADER_LENGTH = 12;
    /** One-byte-header extension block holding one audio-level element (RFC 6464), padded to 8 bytes. */
    public static final int AUDIO_LEVEL_EXTENSION_LENGTH = 8;

    private Rtp() {}

    /** Writes the 12-byte fixed header (no CSRCs); {@code extension} sets the X bit. */
    public static int writeHeader(byte[] b, int off, boolean extension, boolean marker, int payloadType, int seq,
            long timestamp, long ssrc) {
        b[off] = (byte) (0x80 | (extension ? 0x10 : 0));
        b[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        Bytes.put16(b, off + 2, seq);
        Bytes.put32(b, off + 4, timestamp);
        Bytes.put32(b, off + 8, ssrc);
        return HEADER_LENGTH;
    }

    /**
     * Writes the RFC 8285 one-byte extension block with the ssrc-audio-level element (RFC 6464: V flag and
     * level in -dBov, 0..127).
     */
    public static int writeAudioLevelExtension(byte[] b, int off, int id, boolean voiceActivity, int level) {
        b[off] = (byte) 0xBE;
        b[off + 1] = (byte) 0xDE;
        b[off + 2] = 0;
        b[off + 3] = 1; // one 32-bit word follows
        b[off + 4] = (byte) ((id & 0x0F) << 4); // L = length - 1 = 0
        b[off + 5] = (byte) ((voiceActivity ? 0x80 : 0) | (level & 0x7F));
        b[off + 6] = 0;
        b[off + 7] = 0;
        return AUDIO_LEVEL_EXTENSION_LENGTH;
    }

    /** Audio level of a one-byte extension block written by {@link #writeAudioLevelExtension}, or -1. */
    public static int readAudioLevel(byte[] b, int off, int len, int id) {
        if (len < HEADER_LENGTH || (b[off] & 0x10) == 0) {
            return -1;
        }
        int pos = off + HEADER_LENGTH + 4 * (b[off] & 0x0F);
        if (pos + 4 > off + len || Bytes.u16(b, pos) != 0xBEDE) {
            return -1;
        }
        int end = pos + 4 + 4 * Bytes.u16(b, pos + 2);
        pos += 4;
        while (pos < end && pos < off + len) {
            int h = b[pos] & 0xFF;
            if (h == 0) {
                pos++;
                continue;
            }
            int elementId = h >>> 4;
            int elementLength = (h & 0x0F) + 1;
            if (elementId == id) {
                return b[pos + 1] & 0x7F;
            }
            pos += 1 + elementLength;
        }
        return -1;
    }
}
