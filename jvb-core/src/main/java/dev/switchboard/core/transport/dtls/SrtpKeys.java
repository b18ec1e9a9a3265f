package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.DtlsRole;
import java.util.Arrays;
import java.util.Objects;

/**
 * SRTP master keys and salts agreed by a DTLS-SRTP handshake. "Local" is what this side uses to protect
 * what it sends; "remote" is what it uses to unprotect what it receives.
 *
 * <p>The arrays are copied on construction; the accessors return the record's own arrays (do not modify
 * them). {@link #toString()} never prints key material.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey,
                       byte[] remoteSalt) {

    public SrtpKeys {
        Objects.requireNonNull(profile, "profile");
        localKey = checked(localKey, profile.keyLength(), "localKey");
        localSalt = checked(localSalt, profile.saltLength(), "localSalt");
        remoteKey = checked(remoteKey, profile.keyLength(), "remoteKey");
        remoteSalt = checked(remoteSalt, profile.saltLength(), "remoteSalt");
    }

    /**
     * Splits exported keying material as RFC 5764 section 4.2 lays it out,
     * {@code client_key | server_key | client_salt | server_salt}, and maps it to local/remote by our role.
     */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material, DtlsRole localRole) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("expected " + profile.keyingMaterialLength()
                    + " bytes of keying material, got " + material.length);
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return localRole == DtlsRole.CLIENT
                ? new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    /** The same keys as the peer sees them (local and remote swapped). */
    public SrtpKeys mirrored() {
        return new SrtpKeys(profile, remoteKey, remoteSalt, localKey, localSalt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeys other && profile == other.profile
                && Arrays.equals(localKey, other.localKey) && Arrays.equals(localSalt, other.localSalt)
                && Arrays.equals(remoteKey, other.remoteKey) && Arrays.equals(remoteSalt, other.remoteSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(localKey), Arrays.hashCode(remoteKey));
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]";
    }

    private static byte[] checked(byte[] value, int length, String name) {
        Objects.requireNonNull(value, name);
        if (value.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + value.length);
        }
        return value.clone();
    }
}
