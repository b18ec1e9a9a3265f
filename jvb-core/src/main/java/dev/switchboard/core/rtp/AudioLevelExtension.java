package dev.switchboard.core.rtp;

/**
 * The client-to-mixer audio level header extension (RFC 6464 section 3): one byte, {@code V} (voice
 * activity, the sender's VAD decision) in the top bit and the level in {@code -dBov} (0 = loudest, 127 =
 * silence/muted) in the low 7 bits. Static helpers; reading goes through a caller-owned cursor so nothing is
 * allocated.
 */
public final class AudioLevelExtension {
    /** The level of digital silence (RFC 6464 section 3: 127 = -127 dBov or quieter). */
    public static final int SILENCE = 127;

    private AudioLevelExtension() {}

    /**
     * The raw extension byte ({@code V << 7 | level}) of the packet, or -1 when it has no element with
     * {@code id}.
     */
    public static int read(HeaderExtensions cursor, byte[] buf, int off, int len, int id) {
        if (!cursor.find(buf, off, len, id) || cursor.dataLength() < 1) {
            return -1;
        }
        return buf[cursor.dataOffset()] & 0xFF;
    }

    /** Level in -dBov, 0..127, from a raw byte. */
    public static int level(int raw) {
        return raw & 0x7F;
    }

    public static boolean voiceActivity(int raw) {
        return (raw & 0x80) != 0;
    }

    public static int encode(boolean voiceActivity, int level) {
        if (level < 0 || level > 127) {
            throw new IllegalArgumentException("level " + level);
        }
        return (voiceActivity ? 0x80 : 0) | level;
    }
}
