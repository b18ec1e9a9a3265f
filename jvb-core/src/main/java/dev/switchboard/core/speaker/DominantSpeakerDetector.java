package dev.switchboard.core.speaker;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Picks the dominant speaker of a conference from the audio levels its endpoints send (RFC 6464: 0..127
 * {@code -dBov}, lower is louder, 127 is silence).
 *
 * <p>Each endpoint's level becomes a loudness ({@code 127 - level}, dB above -127 dBov) compared with its own
 * noise floor, which follows quiet moments at once and rises slowly ({@code noiseFloorRiseDbPerSecond}), so a
 * fan or steady hum stops counting after a few seconds while speech, with its short dips between syllables,
 * keeps its floor low. A sample is speech when it is at least {@code speechMarginDb} above the floor and at
 * least as loud as {@code -maxSpeechLevel} dBov. Time is cut into bins (100 ms by default); a bin is active
 * when at least 40% of its samples are speech (so the short dips between syllables do not silence it), and
 * its score is the mean margin above the floor of those samples.
 *
 * <p>At each completed bin the last {@code windowBins} bins (1 s) decide:
 * <ul>
 *   <li>only endpoints with at least {@code minActiveBins} active bins (500 ms of the last second) compete, so
 *       coughs, clicks and other bursts under ~300 ms never switch;
 *   <li>the competitor with the highest window score becomes dominant if there is none yet, or if it scores
 *       more than {@code dominanceRatio} times the current speaker (so one clearly louder voice wins, two
 *       people talking alike do not make it flap) and the current speaker has held for {@code minHoldNanos};
 *   <li>with no competitor (silence), the current speaker stays.
 * </ul>
 * The listener hears each change on the thread that fed the level (or called {@link #evaluate()}).
 *
 * <p>Not thread-safe: feed it from one thread (the conference's media loop). Time comes from the injected
 * nanosecond clock.
 */
public final class DominantSpeakerDetector {
    /** Notified when the dominant speaker changes; {@code speaker} is null when the dominant one left. */
    public interface Listener {
        void onDominantSpeakerChanged(String speaker, String previous);
    }

    /** Tuning; see the class documentation. */
    public record Config(long binNanos, int windowBins, int minActiveBins, double dominanceRatio, long minHoldNanos,
            int maxSpeechLevel, double speechMarginDb, double noiseFloorRiseDbPerSecond) {
        public Config {
            if (binNanos <= 0 || windowBins < 1 || minActiveBins < 1 || minActiveBins > windowBins
                    || dominanceRatio < 1 || minHoldNanos < 0 || maxSpeechLevel < 0 || maxSpeechLevel > 127
                    || speechMarginDb < 0 || noiseFloorRiseDbPerSecond < 0) {
                throw new IllegalArgumentException(toString());
            }
        }

        /** 100 ms bins, 1 s window, 500 ms of speech, 1.5x louder, 1 s hold, -70 dBov, 10 dB, 10 dB/s. */
        public static Config defaults() {
            return new Config(100_000_000L, 10, 5, 1.5, 1_000_000_000L, 70, 10, 10);
        }
    }

    private static final class Endpoint {
        final String id;
        final long[] binIndex;
        final int[] samples;
        final int[] speechSamples;
        final double[] marginSum;
        double floor = Double.NaN;
        long lastSampleAt;
        /** Of the last evaluation. */
        double score;
        int activeBins;

        Endpoint(String id, int bins) {
            this.id = id;
            this.binIndex = new long[bins];
            this.samples = new int[bins];
            this.speechSamples = new int[bins];
            this.marginSum = new double[bins];
            java.util.Arrays.fill(binIndex, Long.MIN_VALUE);
        }
    }

    private final LongSupplier nanoClock;
    private final Config config;
    private final Listener listener;
    private final long origin;
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private long lastEvaluatedBin;
    private Endpoint dominant;
    private long dominantSince;

    public DominantSpeakerDetector(LongSupplier nanoClock, Config config, Listener listener) {
        this.nanoClock = nanoClock;
        this.config = config;
        this.listener = listener;
        this.origin = nanoClock.getAsLong();
        this.lastEvaluatedBin = 0;
    }

    /** An audio level (RFC 6464, 0..127 -dBov) of a packet from {@code endpointId}, received now. */
    public void onAudioLevel(String endpointId, int level) {
        if (level < 0 || level > 127) {
            return;
        }
        long now = nanoClock.getAsLong();
        maybeEvaluate(now);
        Endpoint endpoint = endpoints.get(endpointId);
        if (endpoint == null) {
            endpoint = new Endpoint(endpointId, config.windowBins() + 1);
            endpoints.put(endpointId, endpoint);
        }
        double loudness = 127 - level;
        if (Double.isNaN(endpoint.floor) || loudness <= endpoint.floor) {
            endpoint.floor = loudness;
        } else {
            double rise = config.noiseFloorRiseDbPerSecond() * (now - endpoint.lastSampleAt) / 1e9;
            endpoint.floor = Math.min(loudness, endpoint.floor + rise);
        }
        endpoint.lastSampleAt = now;
        long bin = binOf(now);
        int slot = (int) Math.floorMod(bin, (long) endpoint.binIndex.length);
        if (endpoint.binIndex[slot] != bin) {
            endpoint.binIndex[slot] = bin;
            endpoint.samples[slot] = 0;
            endpoint.speechSamples[slot] = 0;
            endpoint.marginSum[slot] = 0;
        }
        endpoint.samples[slot]++;
        double margin = loudness - endpoint.floor;
        if (level <= config.maxSpeechLevel() && margin >= config.speechMarginDb()) {
            endpoint.speechSamples[slot]++;
            endpoint.marginSum[slot] += margin;
        }
    }

    /** Runs the decision if a bin has completed since the last one (for a timer when no audio flows). */
    public void evaluate() {
        maybeEvaluate(nanoClock.getAsLong());
    }

    /** The current dominant speaker, or null before anyone spoke (or after the dominant one left). */
    public String dominantSpeaker() {
        return dominant == null ? null : dominant.id;
    }

    /** Forgets an endpoint; when it was dominant, the listener hears {@code (null, id)}. */
    public void removeEndpoint(String endpointId) {
        Endpoint removed = endpoints.remove(endpointId);
        if (removed != null && removed == dominant) {
            dominant = null;
            listener.onDominantSpeakerChanged(null, endpointId);
        }
    }

    private long binOf(long now) {
        return Math.floorDiv(now - origin, config.binNanos());
    }

    private void maybeEvaluate(long now) {
        long currentBin = binOf(now);
        if (currentBin <= lastEvaluatedBin) {
            return;
        }
        lastEvaluatedBin = currentBin;
        Endpoint best = null;
        for (Endpoint endpoint : endpoints.values()) {
            score(endpoint, currentBin);
            if (endpoint.activeBins >= config.minActiveBins() && (best == null || endpoint.score > best.score)) {
                best = endpoint;
            }
        }
        if (best == null || best == dominant) {
            return;
        }
        if (dominant != null && (best.score <= dominant.score * config.dominanceRatio()
                || now - dominantSince < config.minHoldNanos())) {
            return;
        }
        Endpoint previous = dominant;
        dominant = best;
        dominantSince = now;
        listener.onDominantSpeakerChanged(best.id, previous == null ? null : previous.id);
    }

    /** Scores the completed bins {@code [currentBin - windowBins, currentBin)}. */
    private void score(Endpoint endpoint, long currentBin) {
        double total = 0;
        int active = 0;
        for (long bin = currentBin - config.windowBins(); bin < currentBin; bin++) {
            int slot = (int) Math.floorMod(bin, (long) endpoint.binIndex.length);
            if (endpoint.binIndex[slot] != bin || endpoint.samples[slot] == 0) {
                continue;
            }
            int speech = endpoint.speechSamples[slot];
            if (speech > 0 && 5 * speech >= 2 * endpoint.samples[slot]) {
                active++;
                total += endpoint.marginSum[slot] / speech;
            }
        }
        endpoint.activeBins = active;
        endpoint.score = total / config.windowBins();
    }
}
