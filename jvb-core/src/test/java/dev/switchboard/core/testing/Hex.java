package dev.switchboard.core.testing;

import java.util.HexFormat;

/** Byte fixtures written as hex: whitespace is ignored, so fields can be laid out one per line. */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replaceAll("\\s+", ""));
    }

    public static String of(byte[] buf, int off, int len) {
        return HexFormat.of().formatHex(buf, off, off + len);
    }

    public static String of(byte[] buf) {
        return of(buf, 0, buf.length);
    }
}
