package dev.switchboard.e2e;

import dev.switchboard.e2e.PageSnapshot.Inbound;
import dev.switchboard.e2e.PageSnapshot.Tile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Judges two snapshots of one page: does it show every expected remote with video and audio advancing? */
final class MediaCheck {
    private MediaCheck() {}

    /**
     * Problems seen between {@code before} and {@code after} (empty when all is well).
     *
     * @param viewer   the name of the page's participant, for messages
     * @param expected remote endpoint id to display name: exactly these tiles must be shown
     * @param minFps   lowest acceptable rate of decoded frames per remote (0: any increase will do)
     */
    static List<String> problems(String viewer, PageSnapshot before, PageSnapshot after, Map<String, String> expected,
                                 double minFps) {
        List<String> problems = new ArrayList<>();
        if (after.error() != null) {
            problems.add(viewer + ": " + after.error());
            return problems;
        }
        if (before.error() != null) {
            problems.add(viewer + ": previous sample was unreadable (" + before.error() + ")");
            return problems;
        }
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        for (Tile t : after.tiles()) {
            if (!expected.containsKey(t.id())) {
                problems.add(viewer + ": shows an unexpected tile " + t.id() + " ('" + t.name() + "'); expected only "
                        + expected);
            }
        }
        int remotesWithoutAudioTrack = 0;
        Set<String> attributedAudio = new HashSet<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String id = e.getKey();
            String who = viewer + " -> " + e.getValue() + " (" + id + ")";
            Tile now = after.tile(id).orElse(null);
            if (now == null) {
                problems.add(who + ": no tile");
                continue;
            }
            if (!e.getValue().equals(now.name())) {
                problems.add(who + ": tile .name shows '" + now.name() + "'");
            }
            if (!now.hasVideo()) {
                problems.add(who + ": tile has no <video data-remote>");
                continue;
            }
            if (!id.equals(now.videoEndpointId())) {
                problems.add(who + ": its <video> has data-endpoint-id='" + now.videoEndpointId() + "'");
            }
            if (now.videoWidth() <= 0) {
                problems.add(who + ": videoWidth is 0 (no frame rendered; readyState " + now.readyState()
                        + (now.paused() ? ", paused" : "") + ")");
            }
            Tile then = before.tile(id).orElse(null);
            if (then == null) {
                problems.add(who + ": tile only just appeared (waiting for a second sample)");
                continue;
            }
            if (!(now.currentTime() > then.currentTime())) {
                problems.add(String.format("%s: video currentTime not advancing (%.3f -> %.3f in %.1f s%s)", who,
                        then.currentTime(), now.currentTime(), seconds, now.paused() ? ", paused" : ""));
            }
            List<Inbound> video = after.videoOf(now);
            if (video.isEmpty()) {
                problems.add(who + ": no inbound-rtp video statistics for the tile's video track(s) "
                        + now.videoTrackIds());
            } else {
                long framesNow = video.stream().mapToLong(Inbound::framesDecoded).sum();
                long framesThen = video.stream()
                        .mapToLong(s -> before.bySsrc("video", s.ssrc()).map(Inbound::framesDecoded).orElse(0L)).sum();
                double fps = (framesNow - framesThen) / seconds;
                if (framesNow <= framesThen) {
                    problems.add(String.format("%s: framesDecoded not increasing (%d -> %d in %.1f s; %s)", who,
                            framesThen, framesNow, seconds, video));
                } else if (fps < minFps) {
                    problems.add(String.format("%s: only %.1f decoded frames/s over %.1f s (want >= %.1f)", who, fps,
                            seconds, minFps));
                }
            }
            List<Inbound> audio = after.audioOf(now);
            attributedAudio.addAll(now.audioTrackIds());
            if (now.audioTrackIds().isEmpty()) {
                remotesWithoutAudioTrack++;
            } else if (audio.isEmpty()) {
                problems.add(who + ": no inbound-rtp audio statistics for the tile's audio track(s) "
                        + now.audioTrackIds());
            } else if (packetsGrowth(before, audio) <= 0) {
                problems.add(who + ": audio packetsReceived not increasing (" + audio + ")");
            }
        }
        if (remotesWithoutAudioTrack > 0) {
            // The page plays audio outside the tiles: count the inbound audio streams that are flowing.
            List<Inbound> others = after.inbound().stream()
                    .filter(s -> "audio".equals(s.kind()) && !attributedAudio.contains(s.trackIdentifier())).toList();
            long flowing = others.stream().filter(s -> packetsGrowth(before, List.of(s)) > 0).count();
            if (flowing < remotesWithoutAudioTrack) {
                problems.add(viewer + ": " + flowing + " inbound audio stream(s) with growing packetsReceived for "
                        + remotesWithoutAudioTrack + " remote(s) whose tile holds no audio track; audio streams: "
                        + others);
            }
        }
        return problems;
    }

    private static long packetsGrowth(PageSnapshot before, List<Inbound> now) {
        long after = now.stream().mapToLong(Inbound::packetsReceived).sum();
        long then = now.stream()
                .mapToLong(s -> before.bySsrc(s.kind(), s.ssrc()).map(Inbound::packetsReceived).orElse(0L)).sum();
        boolean seenBefore = now.stream().allMatch(s -> before.bySsrc(s.kind(), s.ssrc()).isPresent());
        return seenBefore ? after - then : 0;
    }

    /** Rough decoded frame rate per remote between two snapshots, for progress logs. */
    static String rates(PageSnapshot before, PageSnapshot after, Map<String, String> expected) {
        if (before.error() != null || after.error() != null) {
            return "(unreadable)";
        }
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Tile now = after.tile(e.getKey()).orElse(null);
            if (now == null) {
                sb.append(e.getValue()).append(": no tile; ");
                continue;
            }
            long framesNow = after.videoOf(now).stream().mapToLong(Inbound::framesDecoded).sum();
            long framesThen = after.videoOf(now).stream()
                    .mapToLong(s -> before.bySsrc("video", s.ssrc()).map(Inbound::framesDecoded).orElse(0L)).sum();
            int width = after.videoOf(now).stream().mapToInt(Inbound::frameWidth).max().orElse(0);
            sb.append(String.format("%s: %.1f fps %dx%d; ", e.getValue(), (framesNow - framesThen) / seconds, width,
                    now.videoHeight()));
        }
        return sb.toString();
    }
}
