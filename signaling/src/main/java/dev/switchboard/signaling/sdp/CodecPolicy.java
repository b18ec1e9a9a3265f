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
 *   <li>audio: Opus; video: VP8, VP9 and H264, in the offer's order, each with the offer's payload type
 *       and {@code fmtp}; RED, ULPFEC and every other codec are dropped, and RTX unless {@link AnswerBuilder}
 *       adds it ({@link #rtxPayloadTypes}: on video sections whose sender or receiver side has an RTX
 *       stream);</li>
 *   <li>rtcp-fb: video keeps {@code nack}, {@code nack pli}, {@code ccm fir} and {@code transport-cc}; audio
 *       keeps what is offered except {@code goog-remb} (the bridge terminates RTCP: it sends transport-cc
 *       feedback itself, so senders' bandwidth estimation works, and never relays receivers' REMB);</li>
 *   <li>header extensions: {@code ssrc-audio-level} on audio (dominant speaker detection) and transport-wide
 *       sequence numbers on audio and video (transport-cc); {@code sdes:mid} and {@code rtp-stream-id}
 *       only on sections the participant simulcasts on (they name the layer of a packet; the bridge erases
 *       them before forwarding: a forwarded packet carrying its sender's mid would be demuxed by the receiving
 *       browser onto the wrong m-line). Simulcast sections keep VP8 only.</li>
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
    private static final Set<String> VIDEO_CODECS = Set.of("vp8", "vp9", "h264");
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

    /** The payload types the answer keeps, in the order of the offer's {@code m=} line. */
    public static List<String> acceptedPayloadTypes(MediaSection section) {
        MediaKind kind = kindOf(section.media());
        if (kind == null) {
            return List.of();
        }
        return payloadTypes(section, kind == MediaKind.AUDIO ? AUDIO_CODECS : VIDEO_CODECS);
    }

    /**
     * The media payload types a simulcast section is answered with: VP8 only, the codec whose keyframes and
     * picture IDs the bridge reads and rewrites when it switches a receiver between layers (the answer adds the
     * offered RTX for it: {@link #rtxPayloadTypes}).
     */
    public static List<String> simulcastPayloadTypes(MediaSection section) {
        return kindOf(section.media()) == MediaKind.VIDEO ? payloadTypes(section, Set.of("vp8")) : List.of();
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

    private static List<String> payloadTypes(MediaSection section, Set<String> wanted) {
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
            if (!line.isAttribute() || line.attributeValue() == null) {
                continue;
            }
            String name = line.attributeName();
            if (!name.equals("rtpmap") && !name.equals("fmtp") && !name.equals("rtcp-fb")) {
                continue;
            }
            String value = line.attributeValue();
            int space = value.indexOf(' ');
            if (space <= 0 || !pts.contains(value.substring(0, space))) {
                continue;
            }
            if (name.equals("rtcp-fb")) {
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
