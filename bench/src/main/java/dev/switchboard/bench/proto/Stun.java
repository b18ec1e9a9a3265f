package dev.switchboard.bench.proto;

import dev.switchboard.bench.media.Bytes;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN messages an ICE agent exchanges (RFC 5389 sections 6 and 15, RFC 8445 section 7): Binding
 * requests with USERNAME, PRIORITY, ICE-CONTROLLING/ICE-CONTROLLED, USE-CANDIDATE, MESSAGE-INTEGRITY
 * (HMAC-SHA1 keyed with the short-term password) and FINGERPRINT; success responses with
 * XOR-MAPPED-ADDRESS. Built byte by byte; IPv4 only (the benchmark runs on 127.0.0.1).
 */
public final class Stun {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    public static final int HEADER_LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int PRIORITY = 0x0024;
    static final int USE_CANDIDATE = 0x0025;
    static final int FINGERPRINT = 0x8028;
    static final int ICE_CONTROLLED = 0x8029;
    static final int ICE_CONTROLLING = 0x802A;
    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final ThreadLocal<CRC32> CRC = ThreadLocal.withInitial(CRC32::new);

    private Stun() {}

    /** A Binding Request of an ICE connectivity check. */
    public static byte[] bindingRequest(byte[] transactionId, String username, String password, long priority,
            boolean controlling, long tieBreaker, boolean useCandidate) {
        Writer w = new Writer(BINDING_REQUEST, transactionId);
        w.attribute(USERNAME, username.getBytes(StandardCharsets.UTF_8));
        byte[] p = new byte[4];
        Bytes.put32(p, 0, priority);
        w.attribute(PRIORITY, p);
        byte[] t = new byte[8];
        Bytes.put64(t, 0, tieBreaker);
        w.attribute(controlling ? ICE_CONTROLLING : ICE_CONTROLLED, t);
        if (useCandidate) {
            w.attribute(USE_CANDIDATE, new byte[0]);
        }
        return w.finish(password);
    }

    /** A Binding Success Response to {@code transactionId} telling the requester its address. */
    public static byte[] bindingSuccess(byte[] transactionId, InetSocketAddress mapped, String password) {
        Writer w = new Writer(BINDING_SUCCESS, transactionId);
        byte[] address = mapped.getAddress().getAddress();
        if (!(mapped.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("IPv4 only: " + mapped);
        }
        byte[] v = new byte[8];
        v[1] = 0x01; // family IPv4
        Bytes.put16(v, 2, mapped.getPort() ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < 4; i++) {
            v[4 + i] = (byte) (address[i] ^ (MAGIC_COOKIE >>> (24 - 8 * i)));
        }
        w.attribute(XOR_MAPPED_ADDRESS, v);
        return w.finish(password);
    }

    /** Whether the datagram looks like STUN: top bits 00, magic cookie, length consistent. */
    public static boolean isStun(byte[] b, int off, int len) {
        return len >= HEADER_LENGTH && (b[off] & 0xC0) == 0 && (int) Bytes.u32(b, off + 4) == MAGIC_COOKIE
                && Bytes.u16(b, off + 2) + HEADER_LENGTH == len;
    }

    public static int messageType(byte[] b, int off) {
        return Bytes.u16(b, off);
    }

    public static byte[] transactionId(byte[] b, int off) {
        return java.util.Arrays.copyOfRange(b, off + 8, off + 20);
    }

    public static boolean hasTransactionId(byte[] b, int off, byte[] transactionId) {
        for (int i = 0; i < 12; i++) {
            if (b[off + 8 + i] != transactionId[i]) {
                return false;
            }
        }
        return true;
    }

    /** Offset of the first attribute of {@code type}, or -1 (the value starts 4 bytes later). */
    static int find(byte[] b, int off, int len, int type) {
        int pos = off + HEADER_LENGTH;
        int end = off + len;
        while (pos + 4 <= end) {
            int t = Bytes.u16(b, pos);
            int l = Bytes.u16(b, pos + 2);
            if (pos + 4 + l > end) {
                return -1;
            }
            if (t == type) {
                return pos;
            }
            pos += 4 + ((l + 3) & ~3);
        }
        return -1;
    }

    /** The USERNAME attribute, or null. */
    public static String username(byte[] b, int off, int len) {
        int pos = find(b, off, len, USERNAME);
        return pos < 0 ? null : new String(b, pos + 4, Bytes.u16(b, pos + 2), StandardCharsets.UTF_8);
    }

    public static boolean has(byte[] b, int off, int len, int type) {
        return find(b, off, len, type) >= 0;
    }

    /** The XOR-MAPPED-ADDRESS of a response (IPv4), or null. */
    public static InetSocketAddress xorMappedAddress(byte[] b, int off, int len) {
        int pos = find(b, off, len, XOR_MAPPED_ADDRESS);
        if (pos < 0 || Bytes.u16(b, pos + 2) != 8 || b[pos + 5] != 1) {
            return null;
        }
        int port = Bytes.u16(b, pos + 6) ^ (MAGIC_COOKIE >>> 16);
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (byte) (b[pos + 8 + i] ^ (MAGIC_COOKIE >>> (24 - 8 * i)));
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(a), port);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /**
     * Verifies MESSAGE-INTEGRITY with the short-term password (RFC 5389 section 15.4): the HMAC covers the
     * message up to the attribute, with a header length counting up to the end of the attribute.
     */
    public static boolean checkIntegrity(byte[] b, int off, int len, String password) {
        int pos = find(b, off, len, MESSAGE_INTEGRITY);
        if (pos < 0 || Bytes.u16(b, pos + 2) != 20) {
            return false;
        }
        byte[] copy = java.util.Arrays.copyOfRange(b, off, pos);
        Bytes.put16(copy, 2, pos - off + 24 - HEADER_LENGTH);
        byte[] mac = hmac(password, copy, copy.length);
        byte[] got = java.util.Arrays.copyOfRange(b, pos + 4, pos + 24);
        return MessageDigest.isEqual(mac, got);
    }

    /** Verifies FINGERPRINT when present (RFC 5389 section 15.5); true when absent. */
    public static boolean checkFingerprint(byte[] b, int off, int len) {
        int pos = find(b, off, len, FINGERPRINT);
        if (pos < 0) {
            return true;
        }
        if (pos + 8 != off + len) {
            return false;
        }
        CRC32 crc = CRC.get();
        crc.reset();
        crc.update(b, off, pos - off);
        return (int) (crc.getValue() ^ FINGERPRINT_XOR) == (int) Bytes.u32(b, pos + 4);
    }

    static byte[] hmac(String password, byte[] data, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(data, 0, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 missing", e);
        }
    }

    private static final class Writer {
        private final byte[] buf = new byte[548];
        private int pos = HEADER_LENGTH;

        Writer(int type, byte[] transactionId) {
            if (transactionId.length != 12) {
                throw new IllegalArgumentException("transaction id must be 12 bytes");
            }
            Bytes.put16(buf, 0, type);
            Bytes.put32(buf, 4, MAGIC_COOKIE);
            System.arraycopy(transactionId, 0, buf, 8, 12);
        }

        void attribute(int type, byte[] value) {
            Bytes.put16(buf, pos, type);
            Bytes.put16(buf, pos + 2, value.length);
            System.arraycopy(value, 0, buf, pos + 4, value.length);
            int padded = (value.length + 3) & ~3;
            for (int i = value.length; i < padded; i++) {
                buf[pos + 4 + i] = 0;
            }
            pos += 4 + padded;
        }

        byte[] finish(String password) {
            Bytes.put16(buf, 2, pos + 24 - HEADER_LENGTH);
            byte[] mac = hmac(password, buf, pos);
            attribute(MESSAGE_INTEGRITY, mac);
            Bytes.put16(buf, 2, pos + 8 - HEADER_LENGTH);
            CRC32 crc = CRC.get();
            crc.reset();
            crc.update(buf, 0, pos);
            byte[] fp = new byte[4];
            Bytes.put32(fp, 0, crc.getValue() ^ FINGERPRINT_XOR);
            attribute(FINGERPRINT, fp);
            return java.util.Arrays.copyOf(buf, pos);
        }
    }
}
