package dev.switchboard.core.transport.dtls;

import java.util.List;
import java.util.Optional;

/**
 * The SRTP protection profiles Switchboard negotiates in the DTLS {@code use_srtp} extension (RFC 5764
 * section 4.1.2; GCM profile from RFC 7714 section 14.2).
 */
public enum SrtpProfile {
    /** {@code SRTP_AES128_CM_HMAC_SHA1_80} (RFC 5764 section 4.1.2): AES-CM, 80-bit HMAC-SHA1 tag. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14),
    /** {@code SRTP_AEAD_AES_128_GCM} (RFC 7714 section 14.2): AES-GCM with a 16-byte tag. */
    AEAD_AES_128_GCM(0x0007, 16, 12);

    /** Our preference order, best first: the server picks the first one the client offered too. */
    public static final List<SrtpProfile> PREFERENCE = List.of(AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80);

    private final int tlsId;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int tlsId, int keyLength, int saltLength) {
        this.tlsId = tlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The {@code SRTPProtectionProfile} code point carried in {@code use_srtp}. */
    public int tlsId() {
        return tlsId;
    }

    /** Master key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Keying material exported for this profile: {@code 2 * (key + salt)} (RFC 5764 section 4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    public static Optional<SrtpProfile> fromTlsId(int tlsId) {
        for (SrtpProfile p : values()) {
            if (p.tlsId == tlsId) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
