package dev.switchboard.core.transport.dtls;

import java.util.Arrays;

/** Rewrites a single-record, unfragmented DTLS ClientHello datagram (RFC 6347 section 4.2.2) for tests. */
final class ClientHellos {
    private static final int RECORD_HEADER = 13;
    private static final int HANDSHAKE_HEADER = 12;
    private static final int EXT_SUPPORTED_VERSIONS = 43;

    private ClientHellos() {
    }

    /** Appends a supported_versions extension (RFC 8446 section 4.2.1) listing {@code versions}. */
    static byte[] withSupportedVersions(byte[] datagram, int... versions) {
        if (datagram[0] != 22 || datagram[RECORD_HEADER] != 1) {
            throw new IllegalArgumentException("not a ClientHello record");
        }
        int p = RECORD_HEADER + HANDSHAKE_HEADER;
        p += 2 + 32;                        // client_version, random
        p += 1 + (datagram[p] & 0xFF);      // session_id
        p += 1 + (datagram[p] & 0xFF);      // cookie
        p += 2 + u16(datagram, p);          // cipher_suites
        p += 1 + (datagram[p] & 0xFF);      // compression_methods
        int extensionsAt = p;
        int extensionsEnd = p + 2 + u16(datagram, p);
        if (extensionsEnd != datagram.length) {
            throw new IllegalArgumentException("expected exactly one record in the datagram");
        }
        for (int q = extensionsAt + 2; q < extensionsEnd; q += 4 + u16(datagram, q + 2)) {
            if (u16(datagram, q) == EXT_SUPPORTED_VERSIONS) {
                throw new IllegalArgumentException("supported_versions already present");
            }
        }
        byte[] ext = new byte[5 + 2 * versions.length];
        put16(ext, 0, EXT_SUPPORTED_VERSIONS);
        put16(ext, 2, 1 + 2 * versions.length);
        ext[4] = (byte) (2 * versions.length);
        for (int i = 0; i < versions.length; i++) {
            put16(ext, 5 + 2 * i, versions[i]);
        }
        byte[] out = Arrays.copyOf(datagram, datagram.length + ext.length);
        System.arraycopy(ext, 0, out, datagram.length, ext.length);
        int grow = ext.length;
        put16(out, extensionsAt, u16(out, extensionsAt) + grow);
        put16(out, 11, u16(out, 11) + grow);                                   // record length
        put24(out, RECORD_HEADER + 1, u24(out, RECORD_HEADER + 1) + grow);     // handshake length
        put24(out, RECORD_HEADER + 9, u24(out, RECORD_HEADER + 9) + grow);     // fragment length
        return out;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int u24(byte[] b, int i) {
        return ((b[i] & 0xFF) << 16) | u16(b, i + 1);
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >> 8);
        b[i + 1] = (byte) v;
    }

    private static void put24(byte[] b, int i, int v) {
        b[i] = (byte) (v >> 16);
        put16(b, i + 1, v);
    }
}
