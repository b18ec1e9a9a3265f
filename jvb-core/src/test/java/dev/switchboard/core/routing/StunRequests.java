package dev.switchboard.core.routing;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds ICE connectivity checks and their answers byte by byte (RFC 5389 sections 6, 15.2, 15.4, 15.5; RFC
 * 8445 section 7.1.1).
 */
final class StunRequests {
    private static final int MAGIC_COOKIE = 0x2112A442;

    private StunRequests() {}

    static byte[] bindingRequest(String username, String password, long priority) throws Exception {
        return bindingRequest(username, password, priority, false);
    }

    /** A check from a controlling agent; {@code useCandidate} nominates the pair (RFC 8445 section 7.1.1). */
    static byte[] bindingRequest(String username, String password, long priority, boolean useCandidate)
            throws Exception {
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        attribute(attributes, 0x0006, username.getBytes(StandardCharsets.UTF_8)); // USERNAME
        attribute(attributes, 0x0024, ByteBuffer.allocate(4).putInt((int) priority).array()); // PRIORITY
        attribute(attributes, 0x802A, ByteBuffer.allocate(8).putLong(42L).array()); // ICE-CONTROLLING
        if (useCandidate) {
            attribute(attributes, 0x0025, new byte[0]); // USE-CANDIDATE
        }
        byte[] transactionId = new byte[12];
        new SecureRandom().nextBytes(transactionId);
        return signed(0x0001, transactionId, attributes, password);
    }

    /** The success response to the request whose transaction id is at {@code request[8..20)}. */
    static byte[] bindingSuccess(byte[] request, InetSocketAddress mapped, String password) throws Exception {
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        byte[] address = mapped.getAddress().getAddress(); // IPv4 here
        ByteBuffer xor = ByteBuffer.allocate(8).put((byte) 0).put((byte) 1)
                .putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)));
        xor.putInt(ByteBuffer.wrap(address).getInt() ^ MAGIC_COOKIE);
        attribute(attributes, 0x0020, xor.array()); // XOR-MAPPED-ADDRESS
        byte[] transactionId = java.util.Arrays.copyOfRange(request, 8, 20);
        return signed(0x0101, transactionId, attributes, password);
    }

    /** Adds MESSAGE-INTEGRITY (short-term credential) and FINGERPRINT, and returns the whole message. */
    private static byte[] signed(int type, byte[] transactionId, ByteArrayOutputStream attributes, String password)
            throws Exception {
        byte[] body = attributes.toByteArray();
        // MESSAGE-INTEGRITY covers the header with a length that already counts the 24-byte attribute.
        byte[] forIntegrity = message(type, transactionId, body, body.length + 24);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        attribute(attributes, 0x0008, mac.doFinal(forIntegrity));
        body = attributes.toByteArray();
        // FINGERPRINT covers everything before it, with a length counting its own 8 bytes.
        byte[] forFingerprint = message(type, transactionId, body, body.length + 8);
        CRC32 crc = new CRC32();
        crc.update(forFingerprint);
        attribute(attributes, 0x8028, ByteBuffer.allocate(4).putInt((int) (crc.getValue() ^ 0x5354554EL)).array());
        body = attributes.toByteArray();
        return message(type, transactionId, body, body.length);
    }

    private static byte[] message(int type, byte[] transactionId, byte[] body, int declaredLength) {
        ByteBuffer out = ByteBuffer.allocate(20 + body.length);
        out.putShort((short) type).putShort((short) declaredLength).putInt(MAGIC_COOKIE).put(transactionId)
                .put(body);
        return out.array();
    }

    private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >> 8);
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
            out.write(0);
        }
    }
}
