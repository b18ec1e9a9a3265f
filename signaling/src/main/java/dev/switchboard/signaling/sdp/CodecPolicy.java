package dev.switchboard.signaling.sdp;

import dev.switchboard.core.api.MediaKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the bridge accepts of an offered media section. The core forwards payloads and payload types unchanged
 * (it rewrites only header extensions per receiver, and SSRCs/numbering of simulcast), so the answer may only
 * keep what a receiver can use as the sender produced it:
 * <ul>
 *   <li>audio: Opus; video: VP8, VP9 and H264 ({@link VideoCodecPreference}: in the offer's order by default,
 *       or only the configured codecs in the configured order), each with the offer's payload type and {@code
 *       fmtp}; H264 payload types with packetization-mode 1 and profile-level-id 42e01f (constrained baseline,
 *       level 3.1) first among H264's; RED, ULPFEC and every other codec are dropped, and RTX unless {@link
 *       AnswerBuilder} adds it ({@link #rtxPayloadTypes}: on video sections whose sender or receiver side has an
 *       RTX stream);</li>
 *   <li>rtcp-fb: video keeps {@code nack}, {@code nack pli}, {@code ccm fir} and {@code transport-cc}; audio
 *       keeps what is offered except {@code goog-remb} (the bridge terminates RTCP: it sends transport-cc
 *       feedback itself, so senders' bandwidth estimation works, and never relays receivers' REMB);</li>
 *   <li>header extensions: {@code ssrc-audio-level} on audio (dominant speaker detection) and transport-wide
 *       sequence numbers on audio and video (transport-cc); {@code sdes:mid} and {@code rtp-stream-id}
 *       only on sections the participant simulcasts on (they name the layer of a packet; the bridge erases
 *       them before forwarding: a forwarded packet carrying its sender's mid would be demuxed by the receiving
 *       browser onto the wrong m-line). Simulcast sections keep one codec the bridge can switch layers of:
 *       the first of VP8 and H264 (packetization-mode 1 only) in preference order, with its RTX.</li>
 * </ul>
 */
public final class CodecPolicy {
    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String TRANSPORT_CC_URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /** RFC 8843 media identification: read from simulcast senders (never sent to receivers). */
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** RFC 8852 RTP stream id: names a simulcast layer. */
    public static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** RFC 8852 repaired RTP stream id: names the simulcast layer an RTX stream repairs. */
    public static final String REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /** Absolute send time (webrtc.org): forwarded on video, under each receiver's id. */
    public static final String ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /**
     * Coordination of video orientation (3GPP TS 26.114): with it the sender leaves frames unrotated and says how
     * to rotate them; forwarded on video, under each receiver's id.
     */
    public static final String VIDEO_ORIENTATION_URI = "urn:3gpp:video-orientation";

    private static final Set<String> AUDIO_CODECS = Set.of("opus");
    private static final Set<String> VIDEO_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "transport-cc");
    private static final Set<String> DROPPED_FEEDBACK = Set.of("goog-remb");

    private CodecPolicy() {}

    /** The media kind of an {@code m=} line's media field, or null for anything but audio and video. */
    public static MediaKind kindOf(String media) {
        return switch (media) {
            case "audio" -> MediaKind.AUDIO;
            case "video" -> MediaKind.VIDEO;
            default -> null;
        };
    }

    /** The payload types the answer keeps with the default preference ({@link VideoCodecPreference#OFFER_ORDER}). */
    public static List<String> acceptedPayloadTypes(MediaSection section) {
        return acceptedPayloadTypes(section, VideoCodecPreference.OFFER_ORDER);
    }

    /**
     * The payload types the answer keeps: audio in the order of the offer's {@code m=} line; video the codecs
     * {@code preference} accepts, in its order (stable: the offer's order within a codec, and among codecs when
     * the preference is the offer's order), H264's own payload types best first ({@link #h264Rank}).
     */
    public static List<String> acceptedPayloadTypes(MediaSection section, VideoCodecPreference preference) {
        MediaKind kind = kindOf(section.media());
        if (kind == null) {
            return List.of();
        }
        if (kind == MediaKind.AUDIO) {
            return payloadTypes(section, AUDIO_CODECS);
        }
        Map<String, String> names = encodingNames(section);
        List<String> kept = payloadTypes(section, preference.accepted());
        // H264's payload types, best first, in the slots H264 had
        List<String> h264 = new ArrayList<>(kept.stream().filter(pt -> "h264".equals(names.get(pt))).toList());
        h264.sort(java.util.Comparator.comparingInt(pt -> h264Rank(section, pt)));
        java.util.Iterator<String> next = h264.iterator();
        kept.replaceAll(pt -> "h264".equals(names.get(pt)) ? next.next() : pt);
        kept.sort(java.util.Comparator.comparingInt(pt -> preference.rank(names.get(pt))));
        return kept;
    }

    /** The simulcast payload types with the default preference ({@link VideoCodecPreference#OFFER_ORDER}). */
    public static List<String> simulcastPayloadTypes(MediaSection section) {
        return simulcastPayloadTypes(section, VideoCodecPreference.OFFER_ORDER);
    }

    /**
     * The one media payload type a simulcast section is answered with (empty: none fits, the section is answered
     * as a single stream): the first of {@link #acceptedPayloadTypes} that is VP8, or H264 with
     * packetization-mode 1 (FU-A fragments and STAP-A aggregates; mode 0 cannot carry a keyframe larger than a
     * packet). Those are the codecs whose keyframes the bridge finds to switch a receiver between layers (VP8's
     * picture IDs it also rewrites); VP9 simulcast stays a single stream. The answer adds the offered RTX for it
     * ({@link #rtxPayloadTypes}).
     */
    public static List<String> simulcastPayloadTypes(MediaSection section, VideoCodecPreference preference) {
        if (kindOf(section.media()) != MediaKind.VIDEO) {
            return List.of();
        }
        Map<String, String> names = encodingNames(section);
        for (String pt : acceptedPayloadTypes(section, preference)) {
            String name = names.get(pt);
            if ("vp8".equals(name) || "h264".equals(name) && packetizationMode(section, pt) == 1) {
                return List.of(pt);
            }
        }
        return List.of();
    }

    /**
     * The codec name (lower case, as in {@code a=rtpmap}) of each of {@code payloadTypes}, for the core's
     * payload type map; payload types without an rtpmap are left out.
     */
    public static Map<String, String> codecNames(MediaSection section, List<String> payloadTypes) {
        Map<String, String> names = encodingNames(section);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pt : payloadTypes) {
            if (names.containsKey(pt)) {
                out.put(pt, names.get(pt));
            }
        }
        return out;
    }

    /**
     * Order of H264 payload types (RFC 6184 section 8.1 parameters): packetization-mode 1 before others, then
     * profile-level-id 42e01f (constrained baseline, level 3.1: what Chromium's OpenH264 encoder sends and
     * every WebRTC decoder takes), then other constrained baseline ({@code 42} with constraint_set1, {@code
     * 4?e0}/{@code 42c0}), then any other profile. A missing profile-level-id means 420010 (baseline).
     */
    static int h264Rank(MediaSection section, String pt) {
        String profileLevelId = fmtpParameter(section, pt, "profile-level-id");
        String id = profileLevelId == null ? "420010" : profileLevelId.toLowerCase(Locale.ROOT);
        int profile;
        if (id.equals("42e01f")) {
            profile = 0;
        } else if (id.length() == 6 && id.startsWith("42") && (Integer.parseInt(id.substring(2, 4), 16) & 0x40) != 0) {
            profile = 1;
        } else {
            profile = 2;
        }
        return (packetizationMode(section, pt) == 1 ? 0 : 10) + profile;
    }

    /** RFC 6184 packetization-mode of a payload type (0 when absent or unreadable). */
    static int packetizationMode(MediaSection section, String pt) {
        String mode = fmtpParameter(section, pt, "packetization-mode");
        return "1".equals(mode) ? 1 : "2".equals(mode) ? 2 : 0;
    }

    /** A {@code key=value} parameter of the payload type's {@code a=fmtp}, or null. */
    private static String fmtpParameter(MediaSection section, String pt, String key) {
        for (String fmtp : section.attributes("fmtp")) {
            String[] fields = fmtp.strip().split("\\s+", 2);
            if (fields.length == 2 && fields[0].equals(pt)) {
                for (String parameter : fields[1].split(";")) {
                    int eq = parameter.indexOf('=');
                    if (eq > 0 && parameter.substring(0, eq).strip().equalsIgnoreCase(key)) {
                        String value = parameter.substring(eq + 1).strip();
                        return key.equals("profile-level-id") && !value.matches("[0-9A-Fa-f]{6}") ? null : value;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The RTX payload types (RFC 4588 {@code rtx} with {@code a=fmtp:<pt> apt=<media pt>}) offered for the given
     * media payload types, by media payload type, in the offer's order.
     */
    public static Map<String, String> rtxPayloadTypes(MediaSection section, List<String> mediaPayloadTypes) {
        Set<String> rtx = new java.util.HashSet<>(payloadTypes(section, Set.of("rtx")));
        Map<String, String> byMedia = new java.util.LinkedHashMap<>();
        for (String fmtp : section.attributes("fmtp")) {
            String[] fields = fmtp.strip().split("\\s+", 2);
            if (fields.length == 2 && rtx.contains(fields[0]) && fields[1].startsWith("apt=")) {
                String apt = fields[1].substring(4).split(";")[0].strip();
                if (mediaPayloadTypes.contains(apt)) {
                    byMedia.putIfAbsent(apt, fields[0]);
                }
            }
        }
        return byMedia;
    }

    /** The encoding name (lower case) of each payload type with an {@code a=rtpmap}. */
    private static Map<String, String> encodingNames(MediaSection section) {
        Map<String, String> encodingByPt = new HashMap<>();
        for (String rtpmap : section.attributes("rtpmap")) {
            int space = rtpmap.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            String pt = rtpmap.substring(0, space);
            String encoding = rtpmap.substring(space + 1).strip();
            int slash = encoding.indexOf('/');
            String name = (slash < 0 ? encoding : encoding.substring(0, slash)).toLowerCase(Locale.ROOT);
            encodingByPt.putIfAbsent(pt, name);
        }
        return encodingByPt;
    }

    private static List<String> payloadTypes(MediaSection section, Set<String> wanted) {
        Map<String, String> encodingByPt = encodingNames(section);
        Set<String> kept = new LinkedHashSet<>();
        for (String pt : section.mediaLine().formats()) {
            String name = encodingByPt.get(pt);
            if (name != null && wanted.contains(name)) {
                kept.add(pt);
            }
        }
        return new ArrayList<>(kept);
    }

    /**
     * The codec lines ({@code rtpmap}, {@code fmtp}, filtered {@code rtcp-fb}) the answer keeps for these
     * payload types, in the offer's order.
     */
    public static List<SdpLine> codecLines(MediaSection section, List<String> payloadTypes) {
        boolean video = kindOf(section.media()) == MediaKind.VIDEO;
        Set<String> pts = Set.copyOf(payloadTypes);
        List<SdpLine> out = new ArrayList<>();
        for (SdpLine line : section.lines()) {
            if (!line.hasAttributeValue()
                    || !line.isAttribute("rtpmap") && !line.isAttribute("fmtp") && !line.isAttribute("rtcp-fb")) {
                continue;
            }
            String value = line.attributeValue();
            int space = value.indexOf(' ');
            if (space <= 0 || !pts.contains(value.substring(0, space))) {
                continue;
            }
            if (line.isAttribute("rtcp-fb")) {
                String feedback = value.substring(space + 1).strip();
                boolean keep = video ? VIDEO_FEEDBACK.contains(feedback) : !DROPPED_FEEDBACK.contains(feedback);
                if (!keep) {
                    continue;
                }
            }
            out.add(line);
        }
        return out;
    }

    /**
     * The {@code a=extmap} lines the answer keeps, in the offer's order: audio level on audio, transport-wide
     * sequence numbers on audio and video, abs-send-time and video orientation on video, and on a section the participant simulcasts on, mid, rid and
     * repaired-rid (the bridge reads them there and erases them from what it forwards).
     */
    public static List<SdpLine> headerExtensionLines(MediaSection section, boolean simulcast) {
        MediaKind kind = kindOf(section.media());
        if (kind == null) {
            return List.of();
        }
        Set<String> kept = kind == MediaKind.AUDIO ? Set.of(AUDIO_LEVEL_URI, TRANSPORT_CC_URI)
                : simulcast ? Set.of(TRANSPORT_CC_URI, ABS_SEND_TIME_URI, VIDEO_ORIENTATION_URI, MID_URI, RID_URI,
                        REPAIRED_RID_URI)
                : Set.of(TRANSPORT_CC_URI, ABS_SEND_TIME_URI, VIDEO_ORIENTATION_URI);
        List<SdpLine> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String extmap : section.attributes("extmap")) {
            String[] fields = extmap.split(" ");
            if (fields.length >= 2 && kept.contains(fields[1]) && seen.add(fields[1])) {
                // Answer without the direction suffix or extension attributes: "<id> <uri>".
                String id = fields[0];
                int slash = id.indexOf('/');
                out.add(SdpLine.attribute("extmap", (slash < 0 ? id : id.substring(0, slash)) + " " + fields[1]));
            }
        }
        return out;
    }
}
