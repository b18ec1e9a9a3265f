package dev.switchboard.bench;

import dev.switchboard.core.transport.dtls.SrtpProfile;
import java.time.Duration;

/**
 * What one benchmark run does.
 *
 * @param preset            name of the preset it came from ("custom" otherwise)
 * @param rooms             number of rooms
 * @param participants      participants per room
 * @param publishersPerRoom how many participants of each room publish (the rest only receive); = participants
 *                          for a meeting, 1 for one publisher to many subscribers
 * @param audioOnly         publishers send no video
 * @param videoOnly         publishers send no audio (all forwarded RTP packets are video packets)
 * @param videoBitrate      bits/s of the (top) video layer, counting whole RTP packets
 * @param simulcast         three video layers (10%, 30%, 100% of the bitrate) with an SSRC each
 * @param packetSize        RTP size of a video packet (header included; SRTP adds its tag)
 * @param fps               video frames per second
 * @param keyFrameInterval  periodic key frames (besides those PLI/FIR ask for)
 * @param warmup            media time before the measured window (JIT warm-up, joins settle)
 * @param warmupCallParticipants participants of the unmeasured call each phase starts with, before the idle
 *                          readings and the measured joins (2 by default: a server that has served a call)
 * @param duration          the measured window
 * @param joinRate          participants starting to join per second; 0 = all at once
 * @param joinTimeout       how long joins may take before the run goes on without the stragglers
 * @param srtpProfile       the only SRTP profile the participants offer in DTLS
 * @param mediaThreads      the bridge's --media-threads
 * @param nack              receivers send NACKs for missing video packets and senders retransmit
 * @param runFloor          also measure the floor baseline
 * @param runBridge         measure the bridge
 * @param pin               pin generator and bridge/relay to separate CPUs (taskset) when there are two or more
 * @param receiveThreads    generator threads receiving and decrypting
 */
public record Scenario(String preset, int rooms, int participants, int publishersPerRoom, boolean audioOnly,
        boolean videoOnly, long videoBitrate, boolean simulcast, int packetSize, int fps, Duration keyFrameInterval, Duration warmup,
        Duration duration, double joinRate, Duration joinTimeout, SrtpProfile srtpProfile, int mediaThreads,
        boolean nack, boolean runFloor, boolean runBridge, boolean pin, int receiveThreads, int warmupCallParticipants) {

    public Scenario {
        if (rooms < 1 || participants < 1 || publishersPerRoom < 0 || publishersPerRoom > participants) {
            throw new IllegalArgumentException("need rooms >= 1, participants >= 1, 0 <= publishers <= participants");
        }
        if (packetSize < 64 || packetSize > 1400) {
            throw new IllegalArgumentException("packet size must be 64..1400 bytes");
        }
        if (audioOnly && videoOnly) {
            throw new IllegalArgumentException("audio-only and video-only exclude each other");
        }
        if (warmupCallParticipants < 2 || warmupCallParticipants > 200) {
            throw new IllegalArgumentException("the warm-up call needs 2..200 participants");
        }
        if (videoBitrate < 10_000 || fps < 1 || fps > 120 || receiveThreads < 1 || mediaThreads < 1) {
            throw new IllegalArgumentException("invalid video bitrate, fps or thread count");
        }
    }

    public int totalParticipants() {
        return rooms * participants;
    }

    /** Audio packets per second per publisher. */
    public static final int AUDIO_PPS = 50;

    /** Video bitrate of each layer (low to high). */
    public long[] layerBitrates() {
        if (audioOnly) {
            return new long[0];
        }
        return simulcast ? new long[] {videoBitrate / 10, videoBitrate * 3 / 10, videoBitrate} : new long[] {videoBitrate};
    }

    /** Expected forwarded RTP packets per second (no RTCP), from the scenario alone. */
    public double expectedForwardedPps() {
        double perPublisher = videoOnly ? 0 : AUDIO_PPS;
        for (long bitrate : layerBitrates()) {
            perPublisher += Math.max(fps, bitrate / 8.0 / packetSize);
        }
        return rooms * publishersPerRoom * perPublisher * (participants - 1);
    }

    /** Expected RTP packets per second the bridge receives. */
    public double expectedIngressPps() {
        return expectedForwardedPps() / Math.max(1, participants - 1);
    }
}
