package dev.switchboard.core.transport.dtls;

import dev.switchboard.core.api.DtlsRole;
import java.io.IOException;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/** The {@code use_srtp} extension and key export of RFC 5764 (sections 4.1 and 4.2). */
final class SrtpNegotiation {
    private SrtpNegotiation() {
    }

    /** Adds our offer, in preference order, with an empty MKI (RFC 5764 section 4.1.1). */
    @SuppressWarnings("rawtypes")
    static void addOffer(Hashtable extensions, List<SrtpProfile> profiles) throws IOException {
        int[] ids = profiles.stream().mapToInt(SrtpProfile::tlsId).toArray();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
    }

    /** Adds the server's answer: exactly one profile, empty MKI. */
    @SuppressWarnings("rawtypes")
    static void addAnswer(Hashtable extensions, SrtpProfile profile) throws IOException {
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {profile.tlsId()}, TlsUtils.EMPTY_BYTES));
    }

    /** Server side: our first preference that the client offered. */
    @SuppressWarnings("rawtypes")
    static SrtpProfile select(Hashtable clientExtensions, List<SrtpProfile> preference) throws IOException {
        UseSRTPData offer = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offer == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure,
                    "the client did not offer use_srtp (RFC 5764)");
        }
        for (SrtpProfile profile : preference) {
            for (int id : offer.getProtectionProfiles()) {
                if (id == profile.tlsId()) {
                    return profile;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure,
                "no common SRTP protection profile: client offered " + ids(offer) + ", we accept " + preference);
    }

    /** Client side: the single profile the server chose, which must be one we offered. */
    @SuppressWarnings("rawtypes")
    static SrtpProfile accept(Hashtable serverExtensions, List<SrtpProfile> offered) throws IOException {
        UseSRTPData answer = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (answer == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure,
                    "the server did not answer use_srtp (RFC 5764)");
        }
        int[] ids = answer.getProtectionProfiles();
        if (ids.length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                    "the server's use_srtp must name exactly one profile, got " + ids(answer));
        }
        for (SrtpProfile profile : offered) {
            if (profile.tlsId() == ids[0]) {
                return profile;
            }
        }
        throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                "the server chose SRTP profile " + ids(answer) + " which we did not offer");
    }

    /** Exports {@code EXTRACTOR-dtls_srtp} keying material and splits it for our role. */
    static SrtpKeys exportKeys(TlsContext context, SrtpProfile profile, DtlsRole localRole) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                profile.keyingMaterialLength());
        try {
            return SrtpKeys.fromKeyingMaterial(profile, material, localRole);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private static String ids(UseSRTPData data) {
        StringBuilder sb = new StringBuilder("[");
        for (int id : data.getProtectionProfiles()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(String.format("0x%04x", id));
        }
        return sb.append(']').toString();
    }
}
