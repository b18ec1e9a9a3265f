package dev.switchboard.core.transport.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The plain STUN Binding transaction a server uses to learn its public (server-reflexive) address
 * (RFC 5389 sections 6, 7 and 15.2): a request with no attributes, and the XOR-MAPPED-ADDRESS of the success
 * response. Pure byte functions, no I/O.
 */
public final class StunBinding {
    static final int HEADER_LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int XOR_MAPPED_ADDRESS = 0x0020;

    private StunBinding() {}

    /** A 20-byte Binding Request with the given 12-byte transaction id. */
    public static byte[] request(byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a STUN transaction id has 12 bytes");
        }
        byte[] out = new byte[HEADER_LENGTH];
        out[1] = BINDING_REQUEST;
        writeInt(out, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, out, 8, 12);
        return out;
    }

    /** Whether {@code buf} is a Binding Success Response (any transaction). */
    public static boolean isSuccessResponse(byte[] buf, int len) {
        return len >= HEADER_LENGTH && readShort(buf, 0) == BINDING_SUCCESS && readInt(buf, 4) == MAGIC_COOKIE;
    }

    /** The transaction id of a STUN message, as a hex-free key (12 bytes packed in a string of chars). */
    public static String transactionKey(byte[] buf) {
        char[] key = new char[12];
        for (int i = 0; i < 12; i++) {
            key[i] = (char) (buf[8 + i] & 0xFF);
        }
        return new String(key);
    }

    /**
     * The XOR-MAPPED-ADDRESS of a Binding Success Response, or null when absent or malformed. Attributes are
     * walked within the message length, each padded to 4 bytes.
     */
    public static InetSocketAddress mappedAddress(byte[] buf, int len) {
        if (!isSuccessResponse(buf, len)) {
            return null;
        }
        int end = Math.min(len, HEADER_LENGTH + readShort(buf, 2));
        int pos = HEADER_LENGTH;
        while (pos + 4 <= end) {
            int type = readShort(buf, pos);
            int length = readShort(buf, pos + 2);
            int value = pos + 4;
            if (value + length > end) {
                return null;
            }
            if (type == XOR_MAPPED_ADDRESS) {
                return decodeXorAddress(buf, value, length);
            }
            pos = value + ((length + 3) & ~3);
        }
        return null;
    }

    private static InetSocketAddress decodeXorAddress(byte[] buf, int off, int length) {
        int family = buf[off + 1] & 0xFF;
        int addressLength = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (addressLength < 0 || length < 4 + addressLength) {
            return null;
        }
        int port = readShort(buf, off + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address = new byte[addressLength];
        for (int i = 0; i < addressLength; i++) {
            // IPv4 is XORed with the cookie; IPv6 with cookie + transaction id (header bytes 4..19).
            address[i] = (byte) (buf[off + 4 + i] ^ buf[4 + i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int readShort(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int off) {
        return (readShort(b, off) << 16) | readShort(b, off + 2);
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
