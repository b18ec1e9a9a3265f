package dev.switchboard.signaling.sdp;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.TransportDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the bridge's answer to a participant's offer (RFC 8829 section 5.3), one section per offered
 * section, in order:
 * <ul>
 *   <li>rejected sections (stopped, data channels, unsupported) get port 0 and stay out of BUNDLE;</li>
 *   <li>sections the participant sends on are answered {@code recvonly}; with simulcast (rids) also with
 *       {@code a=rid:<id> recv} per layer and {@code a=simulcast:recv}, the mid, rid and repaired-rid
 *       extensions, and one codec (VP8, or H264 with packetization-mode 1, whichever the offer's {@link
 *       VideoCodecPreference} puts first) with its RTX only; a single-stream video section whose SSRC has an RTX
 *       stream ({@code a=ssrc-group:FID}) keeps the offered RTX payload types of the kept codecs;</li>
 *   <li>its receive-only sections are answered {@code sendonly} with the assigned {@link SendTrack}, or
 *       {@code inactive} when none is assigned; inactive offers are answered inactive; a track with an RTX SSRC
 *       adds the offered RTX payload types and {@code a=ssrc-group:FID <ssrc> <rtx>};</li>
 *   <li>every accepted section carries the bridge's ICE credentials, fingerprints, DTLS setup
 *       ({@code passive} when the bridge is the DTLS server, {@code active} when it is the client),
 *       rtcp-mux, rtcp-rsize when offered, the codecs and extensions {@link CodecPolicy} keeps, and the
 *       bridge's candidates followed by {@code a=end-of-candidates}.</li>
 * </ul>
 */
public final class AnswerBuilder {
    private AnswerBuilder() {}

    /**
     * @param offer          the participant's offer
     * @param sendTracks     the source assigned to each receive-only mid (absent: answered inactive)
     * @param bridge         the bridge's side of the participant's transport; may be null only when every
     *                       section is rejected
     * @param sessionId      the o= session id (constant for one participant)
     * @param sessionVersion the o= version (incremented for each answer)
     */
    public static SessionDescription build(Offer offer, Map<String, SendTrack> sendTracks,
            TransportDescription bridge, long sessionId, long sessionVersion) {
        List<MediaSection> offered = offer.sdp().mediaSections();
        List<String> bundle = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        IceCandidate defaultCandidate = bridge == null ? null : defaultCandidate(bridge.candidates());
        for (OfferedMedia media : offer.media()) {
            MediaSection section = offered.get(media.index());
            if (media.rejected()) {
                sections.add(rejected(section));
                continue;
            }
            if (bridge == null) {
                throw new IllegalArgumentException("an answer accepting media needs the bridge's transport");
            }
            bundle.add(media.mid());
            sections.add(accepted(offer, section, media, sendTracks.get(media.mid()), bridge, defaultCandidate));
        }
        List<SdpLine> session = new ArrayList<>();
        session.add(new SdpLine('v', "0"));
        session.add(new SdpLine('o', "- " + sessionId + " " + sessionVersion + " IN IP4 127.0.0.1"));
        session.add(new SdpLine('s', "-"));
        session.add(new SdpLine('t', "0 0"));
        if (!bundle.isEmpty()) {
            session.add(SdpLine.attribute("group", "BUNDLE " + String.join(" ", bundle)));
        }
        session.add(SdpLine.attribute("msid-semantic", " WMS *"));
        return new SessionDescription(session, sections);
    }

    private static MediaSection rejected(MediaSection offered) {
        MediaLine m = offered.mediaLine();
        MediaLine answer = new MediaLine(m.media(), 0, 0, m.proto(), List.of(m.formats().get(0)));
        List<SdpLine> lines = new ArrayList<>();
        lines.add(new SdpLine('c', "IN IP4 0.0.0.0"));
        offered.mid().ifPresent(mid -> lines.add(SdpLine.attribute("mid", mid)));
        return new MediaSection(answer, lines);
    }

    private static MediaSection accepted(Offer offer, MediaSection offered, OfferedMedia media, SendTrack track,
            TransportDescription bridge, IceCandidate defaultCandidate) {
        boolean simulcast = media.simulcast();
        List<String> payloadTypes = simulcast ? CodecPolicy.simulcastPayloadTypes(offered, offer.videoCodecs())
                : CodecPolicy.acceptedPayloadTypes(offered, offer.videoCodecs());
        if (simulcast || media.singleStreamRtx()
                || media.direction() == Direction.RECVONLY && track != null && track.rtxSsrc() >= 0) {
            // RTX (RFC 4588): the publisher repairs what it sends with it (each simulcast layer, or its one
            // stream); and the bridge repairs the source it sends a receiver with it
            payloadTypes = new ArrayList<>(payloadTypes);
            payloadTypes.addAll(CodecPolicy.rtxPayloadTypes(offered, payloadTypes).values());
        }
        MediaLine m = offered.mediaLine();
        int port = defaultCandidate != null ? defaultCandidate.port() : 9;
        MediaLine answerLine = new MediaLine(m.media(), port, 0, m.proto(), payloadTypes);

        Direction direction;
        if (media.direction().sends()) {
            direction = Direction.RECVONLY;
        } else if (media.direction() == Direction.RECVONLY && track != null) {
            direction = Direction.SENDONLY;
        } else {
            direction = Direction.INACTIVE;
        }

        List<SdpLine> lines = new ArrayList<>();
        lines.add(new SdpLine('c', connectionAddress(defaultCandidate)));
        lines.add(SdpLine.attribute("ice-ufrag", bridge.ice().ufrag()));
        lines.add(SdpLine.attribute("ice-pwd", bridge.ice().password()));
        lines.add(SdpLine.attribute("ice-options", "trickle"));
        for (Fingerprint fingerprint : bridge.fingerprints()) {
            lines.add(SdpLine.attribute("fingerprint", fingerprint.algorithm() + " " + fingerprint.value()));
        }
        lines.add(SdpLine.attribute("setup", bridge.dtlsRole() == DtlsRole.SERVER ? "passive" : "active"));
        lines.add(SdpLine.attribute("mid", media.mid()));
        lines.addAll(CodecPolicy.headerExtensionLines(offered, simulcast));
        lines.add(SdpLine.attribute(direction.attribute(), null));
        if (direction == Direction.SENDONLY) {
            lines.add(SdpLine.attribute("msid", track.streamId() + " " + track.trackId()));
        }
        lines.add(SdpLine.attribute("rtcp-mux", null));
        if (offered.hasAttribute("rtcp-rsize")) {
            lines.add(SdpLine.attribute("rtcp-rsize", null));
        }
        lines.addAll(CodecPolicy.codecLines(offered, payloadTypes));
        if (simulcast) {
            for (String rid : media.rids()) {
                lines.add(SdpLine.attribute("rid", rid + " recv"));
            }
            lines.add(SdpLine.attribute("simulcast", "recv " + String.join(";", media.rids())));
        }
        if (direction == Direction.SENDONLY) {
            boolean rtx = track.rtxSsrc() >= 0 && !CodecPolicy.rtxPayloadTypes(offered, payloadTypes).isEmpty();
            if (rtx) {
                lines.add(SdpLine.attribute("ssrc-group", "FID " + track.ssrc() + " " + track.rtxSsrc()));
            }
            for (long ssrc : rtx ? new long[] {track.ssrc(), track.rtxSsrc()} : new long[] {track.ssrc()}) {
                lines.add(SdpLine.attribute("ssrc", ssrc + " cname:" + track.cname()));
                lines.add(SdpLine.attribute("ssrc", ssrc + " msid:" + track.streamId() + " " + track.trackId()));
            }
        }
        for (IceCandidate candidate : bridge.candidates()) {
            lines.add(new SdpLine('a', IceCandidates.format(candidate)));
        }
        lines.add(SdpLine.attribute("end-of-candidates", null));
        return new MediaSection(answerLine, lines);
    }

    /** The candidate the m= and c= lines name (RFC 8839 section 4.2.1.2): the first UDP one, else the first. */
    private static IceCandidate defaultCandidate(List<IceCandidate> candidates) {
        for (IceCandidate candidate : candidates) {
            if (candidate.protocol().equals("udp") && !IceCandidates.isMdns(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String connectionAddress(IceCandidate candidate) {
        if (candidate == null) {
            return "IN IP4 0.0.0.0";
        }
        return (candidate.address().indexOf(':') >= 0 ? "IN IP6 " : "IN IP4 ") + candidate.address();
    }
}
