package dev.switchboard.signaling.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which video codecs the bridge accepts from participants, in its order of preference
 * ({@code SWITCHBOARD_VIDEO_CODECS}, e.g. {@code h264,vp8}). The answer to a section a participant sends on lists
 * the accepted codecs in this order, so the browser sends the first one it offered; a simulcast section is
 * answered with the first simulcast-capable one (VP8, or H.264 with packetization-mode 1). Codecs not listed are
 * not negotiated at all, in either direction.
 *
 * <p>{@link #OFFER_ORDER} (the default) accepts VP8, VP9 and H.264 in the order of each offer, which is what the
 * browser's own preferences say (Chromium offers VP8 first; a web client may reorder with {@code
 * RTCRtpTransceiver.setCodecPreferences}).
 *
 * @param codecs lower-case codec names ({@code vp8}, {@code vp9}, {@code h264}), most preferred first; empty means
 *               the offer's order
 */
public record VideoCodecPreference(List<String> codecs) {
    /** The video codecs the bridge can forward. */
    public static final List<String> SUPPORTED = List.of("vp8", "vp9", "h264");
    /** VP8, VP9 and H.264 in the order each offer lists them. */
    public static final VideoCodecPreference OFFER_ORDER = new VideoCodecPreference(List.of());

    public VideoCodecPreference {
        codecs = List.copyOf(codecs);
        for (String codec : codecs) {
            if (!SUPPORTED.contains(codec)) {
                throw new IllegalArgumentException("unknown video codec '" + codec + "' (known: "
                        + String.join(", ", SUPPORTED) + ")");
            }
        }
        if (Set.copyOf(codecs).size() != codecs.size()) {
            throw new IllegalArgumentException("video codec listed twice: " + codecs);
        }
    }

    /**
     * Reads a comma-separated list such as {@code h264,vp8} (case-insensitive; {@code H.264} and {@code avc} mean
     * h264); an empty value is {@link #OFFER_ORDER}.
     */
    public static VideoCodecPreference parse(String value) {
        List<String> list = new ArrayList<>();
        for (String raw : value.split(",")) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            list.add(switch (name) {
                case "h.264", "avc" -> "h264";
                default -> name;
            });
        }
        return new VideoCodecPreference(list);
    }

    /** Whether the offer's order decides. */
    public boolean offerOrder() {
        return codecs.isEmpty();
    }

    /** The codecs accepted (all supported ones in the offer's order). */
    public Set<String> accepted() {
        return new LinkedHashSet<>(offerOrder() ? SUPPORTED : codecs);
    }

    /** Sort key of a codec: its place in the preference (0 for every codec in the offer's order). */
    int rank(String codec) {
        return offerOrder() ? 0 : codecs.indexOf(codec);
    }

    @Override
    public String toString() {
        return offerOrder() ? "offer order (vp8, vp9, h264)" : String.join(",", codecs);
    }
}
