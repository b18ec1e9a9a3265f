package dev.switchboard.core.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds ICE connectivity checks byte by byte (RFC 5389 sections 6, 15.4, 15.5; RFC 8445 section 7.1.1). */
final class StunRequests {
    private StunRequests() {}

    static byte[] bindingRequest(String username, String password, long priority) throws Exception {
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        attribute(attributes, 0x0006, username.getBytes(StandardCharsets.UTF_8)); // USERNAME
        attribute(attributes, 0x0024, ByteBuffer.allocate(4).putInt((int) priority).array()); // PRIORITY
        attribute(attributes, 0x802A, ByteBuffer.allocate(8).putLong(42L).array()); // ICE-CONTROLLING
        byte[] transactionId = new byte[12];
        new SecureRandom().nextBytes(transactionId);

        byte[] body = attributes.toByteArray();
        // MESSAGE-INTEGRITY covers the header with a length that already counts the 24-byte attribute.
        byte[] forIntegrity = message(transactionId, body, body.length + 24);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        attribute(attributes, 0x0008, mac.doFinal(forIntegrity));
        body = attributes.toByteArray();
        // FINGERPRINT covers everything before it, with a length counting its own 8 bytes.
        byte[] forFingerprint = message(transactionId, body, body.length + 8);
        CRC32 crc = new CRC32();
        crc.update(forFingerprint);
        attribute(attributes, 0x8028, ByteBuffer.allocate(4).putInt((int) (crc.getValue() ^ 0x5354554EL)).array());
        body = attributes.toByteArray();
        return message(transactionId, body, body.length);
    }

    private static byte[] message(byte[] transactionId, byte[] body, int declaredLength) {
        ByteBuffer out = ByteBuffer.allocate(20 + body.length);
        out.putShort((short) 0x0001).putShort((short) declaredLength).putInt(0x2112A442).put(transactionId).put(body);
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
