package dev.switchboard.core.api;

import java.util.Map;

/**
 * What a receiver wants of the others' simulcast video: the largest frame height per sending endpoint. For each
 * remote simulcast source the bridge forwards the highest layer whose height fits (the lowest layer when none
 * does). Layer heights are read from the layers' keyframes; until a layer's first keyframe it is assumed to be
 * {@link #NOMINAL_TOP_HEIGHT} halved once per layer below the top one (180, 360, 720 for three layers).
 *
 * @param defaultMaxHeight the limit for senders not in {@code maxHeights}
 * @param maxHeights       sender endpoint id to its limit (pixels, at least 1)
 */
public record VideoConstraints(int defaultMaxHeight, Map<String, Integer> maxHeights) {
    /** Height assumed for the top layer of a source before its first keyframe. */
    public static final int NOMINAL_TOP_HEIGHT = 720;
    /** The limit of a receiver that never said anything. */
    public static final int DEFAULT_MAX_HEIGHT = 360;
    public static final int MAX_HEIGHT = 4320;
    public static final VideoConstraints DEFAULT = new VideoConstraints(DEFAULT_MAX_HEIGHT, Map.of());

    public VideoConstraints {
        maxHeights = Map.copyOf(maxHeights);
        check(defaultMaxHeight);
        maxHeights.values().forEach(VideoConstraints::check);
    }

    private static void check(int height) {
        if (height < 1 || height > MAX_HEIGHT) {
            throw new IllegalArgumentException("max height must be within 1.." + MAX_HEIGHT + ": " + height);
        }
    }

    /** The limit for video from {@code senderEndpointId}. */
    public int maxHeightFor(String senderEndpointId) {
        Integer h = maxHeights.get(senderEndpointId);
        return h == null ? defaultMaxHeight : h;
    }
}
