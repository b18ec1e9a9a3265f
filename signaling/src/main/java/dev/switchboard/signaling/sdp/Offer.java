package dev.switchboard.signaling.sdp;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.MediaKind;
import dev.switchboard.core.api.TransportDescription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A participant's offer, read into what the bridge needs: the transport parameters of the participant (ICE
 * credentials, DTLS fingerprints and role, candidates in the SDP) and, per media section, its mid, kind,
 * direction and the SSRC it sends.
 *
 * <p>The bridge uses one transport per participant, so the transport parameters are taken from the first
 * accepted media section (the BUNDLE-tag section), or from the session level.
 */
public final class Offer {
    /** Simulcast layers the bridge takes per source at most. */
    public static final int MAX_SIMULCAST_LAYERS = 4;
    private static final Pattern RID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
    private static final Pattern FINGERPRINT_VALUE = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}");

    private final SessionDescription sdp;
    private final IceParameters ice;
    private final List<Fingerprint> fingerprints;
    private final String setup;
    private final List<IceCandidate> candidates;
    private final List<OfferedMedia> media;
    private final VideoCodecPreference videoCodecs;

    private Offer(SessionDescription sdp, IceParameters ice, List<Fingerprint> fingerprints, String setup,
            List<IceCandidate> candidates, List<OfferedMedia> media, VideoCodecPreference videoCodecs) {
        this.sdp = sdp;
        this.videoCodecs = videoCodecs;
        this.ice = ice;
        this.fingerprints = List.copyOf(fingerprints);
        this.setup = setup;
        this.candidates = List.copyOf(candidates);
        this.media = List.copyOf(media);
    }

    /** Parses and reads an offer, video codecs in the offer's order. */
    public static Offer parse(String text) throws InvalidOfferException {
        return parse(text, VideoCodecPreference.OFFER_ORDER);
    }

    /** Parses and reads an offer; {@code videoCodecs} decides which video codecs are accepted and which simulcast. */
    public static Offer parse(String text, VideoCodecPreference videoCodecs) throws InvalidOfferException {
        SessionDescription sdp;
        try {
            sdp = SdpParser.parse(text);
        } catch (SdpParseException e) {
            throw new InvalidOfferException(e.getMessage(), e);
        }
        return read(sdp, videoCodecs);
    }

    /** Reads a parsed offer. */
    public static Offer read(SessionDescription sdp) throws InvalidOfferException {
        return read(sdp, VideoCodecPreference.OFFER_ORDER);
    }

    /** Reads a parsed offer with the given video codec preference. */
    public static Offer read(SessionDescription sdp, VideoCodecPreference videoCodecs) throws InvalidOfferException {
        List<MediaSection> sections = sdp.mediaSections();
        if (sections.isEmpty()) {
            throw new InvalidOfferException("the offer has no media sections");
        }
        List<String> bundle = sdp.bundleMids();
        if (bundle.isEmpty() && sections.stream().anyMatch(s -> s.port() != 0)) {
            throw new InvalidOfferException("the offer must bundle its media sections (a=group:BUNDLE)");
        }
        Set<String> mids = new HashSet<>();
        List<OfferedMedia> media = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            MediaSection section = sections.get(i);
            String mid = section.mid().orElse(null);
            if (mid != null && !mids.add(mid)) {
                throw new InvalidOfferException("duplicate mid '" + mid + "'");
            }
            boolean stopped = section.port() == 0 && !section.hasAttribute("bundle-only");
            if (mid == null && !stopped) {
                throw new InvalidOfferException("media section " + i + " has no a=mid");
            }
            media.add(readMedia(i, section, mid, stopped, bundle, videoCodecs));
        }
        MediaSection transportSection = null;
        for (OfferedMedia m : media) {
            if (!m.rejected()) {
                transportSection = sections.get(m.index());
                break;
            }
        }
        if (transportSection == null) {
            // Nothing accepted (e.g. every transceiver stopped): the credentials of any section will do.
            transportSection = sections.get(0);
        }
        String ufrag = find(sdp, transportSection, "ice-ufrag");
        String pwd = find(sdp, transportSection, "ice-pwd");
        if (ufrag == null || ufrag.isBlank()) {
            throw new InvalidOfferException("the offer has no a=ice-ufrag");
        }
        if (pwd == null || pwd.isBlank()) {
            throw new InvalidOfferException("the offer has no a=ice-pwd");
        }
        List<String> fingerprintValues = transportSection.attributes("fingerprint");
        if (fingerprintValues.isEmpty()) {
            fingerprintValues = sdp.attributes("fingerprint");
        }
        if (fingerprintValues.isEmpty()) {
            throw new InvalidOfferException("the offer has no a=fingerprint (DTLS is required)");
        }
        List<Fingerprint> fingerprints = new ArrayList<>();
        for (String value : fingerprintValues) {
            String[] fields = value.strip().split(" +");
            if (fields.length != 2 || !FINGERPRINT_VALUE.matcher(fields[1]).matches()) {
                throw new InvalidOfferException("malformed a=fingerprint '" + value + "'");
            }
            fingerprints.add(new Fingerprint(fields[0], fields[1]));
        }
        String setup = find(sdp, transportSection, "setup");
        setup = setup == null ? "active" : setup.strip().toLowerCase(Locale.ROOT); // RFC 4145 default
        if (!setup.equals("actpass") && !setup.equals("active") && !setup.equals("passive")) {
            throw new InvalidOfferException("unsupported a=setup:" + setup);
        }
        Set<String> bundled = new HashSet<>(bundle);
        LinkedHashSet<IceCandidate> candidates = new LinkedHashSet<>();
        for (OfferedMedia m : media) {
            MediaSection section = sections.get(m.index());
            if (section != transportSection && (m.mid() == null || !bundled.contains(m.mid()))) {
                continue;
            }
            for (String value : section.attributes("candidate")) {
                try {
                    IceCandidate candidate = IceCandidates.parse("candidate:" + value);
                    if (candidate.component() == 1 && !IceCandidates.isMdns(candidate)) {
                        candidates.add(candidate);
                    }
                } catch (IllegalArgumentException e) {
                    // A candidate we cannot read is one we cannot use; the others still are.
                }
            }
        }
        return new Offer(sdp, new IceParameters(ufrag.strip(), pwd.strip()), fingerprints, setup,
                new ArrayList<>(candidates), media, videoCodecs);
    }

    private static OfferedMedia readMedia(int index, MediaSection section, String mid, boolean stopped,
            List<String> bundle, VideoCodecPreference videoCodecs) throws InvalidOfferException {
        MediaKind kind = CodecPolicy.kindOf(section.media());
        Direction direction = section.direction();
        String reason = null;
        if (stopped) {
            reason = "stopped";
        } else if (kind == null) {
            reason = "media '" + section.media() + "' is not supported";
        } else if (!section.mediaLine().proto().toUpperCase(Locale.ROOT).endsWith("RTP/SAVPF")) {
            reason = "transport '" + section.mediaLine().proto() + "' is not supported";
        } else if (!bundle.contains(mid)) {
            reason = "not in the BUNDLE group";
        } else if (!section.hasAttribute("rtcp-mux")) {
            reason = "no rtcp-mux";
        } else if (CodecPolicy.acceptedPayloadTypes(section, videoCodecs).isEmpty()) {
            reason = kind == MediaKind.AUDIO ? "no Opus" : "no accepted video codec (" + videoCodecs + ")";
        }
        long ssrc = -1;
        long rtxSsrc = -1;
        String cname = null;
        if (reason == null && direction.sends()) {
            ssrc = primarySsrc(section);
            if (ssrc >= 0) {
                cname = ssrcAttribute(section, ssrc, "cname");
                rtxSsrc = kind == MediaKind.VIDEO ? fidPartner(section, ssrc) : -1;
            }
        }
        List<String> rids = reason == null && direction.sends() && kind == MediaKind.VIDEO
                && !CodecPolicy.simulcastPayloadTypes(section, videoCodecs).isEmpty() ? simulcastRids(section)
                : List.of();
        return new OfferedMedia(index, mid, kind, direction, reason != null, reason, ssrc, cname, rids, rtxSsrc);
    }

    /**
     * The RTX SSRC repairing {@code primary}: the second SSRC of {@code a=ssrc-group:FID <primary> <rtx>} (RFC 5576
     * section 4.2, RFC 4588 section 8.3), or -1 when there is no such group or it names the primary twice.
     */
    static long fidPartner(MediaSection section, long primary) throws InvalidOfferException {
        for (String group : section.attributes("ssrc-group")) {
            String[] fields = group.strip().split(" +");
            if (fields.length == 3 && fields[0].equals("FID") && parseSsrc(fields[1]) == primary) {
                long rtx = parseSsrc(fields[2]);
                return rtx == primary ? -1 : rtx;
            }
        }
        return -1;
    }

    /**
     * The rids of {@code a=simulcast:send} (RFC 8853 section 5.1: ';' separates streams, ',' alternatives, of
     * which the first is taken; '~' marks a paused stream) that have an {@code a=rid:<id> send} line (RFC 8851),
     * in the order listed. Empty when there is no such attribute, or anything is malformed or beyond what the
     * bridge takes ({@link #MAX_SIMULCAST_LAYERS}); the section is then treated as one stream.
     */
    static List<String> simulcastRids(MediaSection section) {
        Optional<String> simulcast = section.attribute("simulcast");
        if (simulcast.isEmpty()) {
            return List.of();
        }
        String[] fields = simulcast.get().strip().split("\\s+");
        String sendList = null;
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i].equals("send")) {
                sendList = fields[i + 1];
            }
        }
        if (sendList == null) {
            return List.of();
        }
        Set<String> sendRids = new HashSet<>();
        for (String rid : section.attributes("rid")) {
            String[] parts = rid.strip().split("\\s+");
            if (parts.length >= 2 && parts[1].equals("send")) {
                sendRids.add(parts[0]);
            }
        }
        List<String> rids = new ArrayList<>();
        for (String stream : sendList.split(";")) {
            String rid = stream.split(",")[0];
            if (rid.startsWith("~")) {
                rid = rid.substring(1);
            }
            if (!RID.matcher(rid).matches() || !sendRids.contains(rid) || rids.contains(rid)) {
                return List.of();
            }
            rids.add(rid);
        }
        return rids.size() <= MAX_SIMULCAST_LAYERS ? rids : List.of();
    }

    /** The first SSRC that is not a secondary member of an ssrc-group (e.g. the RTX SSRC of FID), or -1. */
    static long primarySsrc(MediaSection section) throws InvalidOfferException {
        Set<Long> secondary = new HashSet<>();
        for (String group : section.attributes("ssrc-group")) {
            String[] fields = group.strip().split(" +");
            for (int i = 2; i < fields.length; i++) {
                secondary.add(parseSsrc(fields[i]));
            }
        }
        for (String value : section.attributes("ssrc")) {
            int space = value.indexOf(' ');
            long ssrc = parseSsrc(space < 0 ? value : value.substring(0, space));
            if (!secondary.contains(ssrc)) {
                return ssrc;
            }
        }
        return -1;
    }

    private static String ssrcAttribute(MediaSection section, long ssrc, String name) {
        String prefix = ssrc + " " + name + ":";
        for (String value : section.attributes("ssrc")) {
            if (value.startsWith(prefix)) {
                return value.substring(prefix.length()).strip();
            }
        }
        return null;
    }

    private static long parseSsrc(String s) throws InvalidOfferException {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidOfferException("invalid SSRC '" + s + "'");
        }
        long ssrc = Long.parseLong(s);
        if (ssrc > 0xFFFF_FFFFL) {
            throw new InvalidOfferException("SSRC out of range: " + s);
        }
        return ssrc;
    }

    private static String find(SessionDescription sdp, MediaSection section, String name) {
        Optional<String> value = section.attribute(name);
        return value.orElseGet(() -> sdp.attribute(name).orElse(null));
    }

    public SessionDescription sdp() {
        return sdp;
    }

    public IceParameters ice() {
        return ice;
    }

    public List<Fingerprint> fingerprints() {
        return fingerprints;
    }

    /** The offered {@code a=setup} value: {@code actpass}, {@code active} or {@code passive}. */
    public String setup() {
        return setup;
    }

    /**
     * The DTLS role the participant plays: actpass and active make it the client (the bridge answers
     * passive), passive makes it the server.
     */
    public DtlsRole remoteDtlsRole() {
        return setup.equals("passive") ? DtlsRole.SERVER : DtlsRole.CLIENT;
    }

    /** Usable candidates found in the offer (component 1, no mDNS names). */
    public List<IceCandidate> candidates() {
        return candidates;
    }

    /** The video codec preference the offer was read with (the answer follows it too). */
    public VideoCodecPreference videoCodecs() {
        return videoCodecs;
    }

    public List<OfferedMedia> media() {
        return media;
    }

    /** True when at least one section can be accepted (otherwise no transport is needed). */
    public boolean acceptsAnyMedia() {
        return media.stream().anyMatch(m -> !m.rejected());
    }

    /** Whether a video section that is not stopped offers the header extension {@code uri}. */
    public boolean offersVideoExtension(String uri) {
        for (MediaSection section : sdp.mediaSections()) {
            if (section.media().equals("video") && section.port() != 0) {
                for (String extmap : section.attributes("extmap")) {
                    String[] fields = extmap.trim().split("\\s+");
                    if (fields.length >= 2 && fields[1].equals(uri)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The id the offer gives a header extension (RFC 8285 {@code a=extmap}) in any media section, or 0. With
     * BUNDLE all sections share one id space, so the first found is the id.
     */
    public int extensionId(String uri) {
        for (MediaSection section : sdp.mediaSections()) {
            for (String extmap : section.attributes("extmap")) {
                String[] fields = extmap.trim().split("\\s+");
                if (fields.length >= 2 && fields[1].equals(uri)) {
                    String id = fields[0].contains("/") ? fields[0].substring(0, fields[0].indexOf('/')) : fields[0];
                    try {
                        int value = Integer.parseInt(id);
                        return value >= 1 && value <= 255 ? value : 0;
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    /** The participant's side of the transport as the core wants it. */
    public TransportDescription remoteTransport() {
        return new TransportDescription(ice, candidates, fingerprints, remoteDtlsRole());
    }
}
