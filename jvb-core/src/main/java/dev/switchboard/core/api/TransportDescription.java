package dev.switchboard.core.api;

import java.util.List;
import java.util.Objects;

/**
 * What one side of a media transport tells the other: ICE credentials and candidates, DTLS certificate
 * fingerprints, and the DTLS role this side will play.
 *
 * @param ice          ICE credentials of the described side
 * @param candidates   candidates of the described side known so far (more may trickle)
 * @param fingerprints fingerprints of the described side's DTLS certificate
 * @param dtlsRole     the DTLS role the described side plays
 */
public record TransportDescription(
        IceParameters ice,
        List<IceCandidate> candidates,
        List<Fingerprint> fingerprints,
        DtlsRole dtlsRole) {
    public TransportDescription {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(dtlsRole, "dtlsRole");
        candidates = List.copyOf(candidates);
        fingerprints = List.copyOf(fingerprints);
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("at least one DTLS fingerprint is required");
        }
    }
}
