package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one web-client page shows at one moment: its remote tiles (with the media playing in them) and the
 * inbound RTP statistics of its RTCPeerConnection ({@code window.switchboard.pc.getStats()}).
 *
 * @param nanos      {@link System#nanoTime()} when the snapshot came back
 * @param json       the raw page answer, for failure messages
 * @param error      set when the page could not be read (script error), null otherwise
 */
record PageSnapshot(long nanos, String json, String error, String status, String endpointId, String pcState,
                    String iceState, List<Tile> tiles, List<Inbound> inbound) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads everything in one go; returns a Promise of a plain object. */
    static final String SCRIPT = """
            (async () => {
              const sb = window.switchboard;
              const statusEl = document.getElementById('status');
              const out = {
                status: statusEl ? statusEl.textContent.trim() : '(no #status element)',
                hasSwitchboard: !!sb,
                endpointId: sb && sb.endpointId != null ? String(sb.endpointId) : null,
                participants: null, pcState: null, iceState: null, signalingState: null,
                local: null, tiles: [], strayRemoteVideos: 0, inbound: [], transports: [], statsError: null
              };
              try {
                const p = sb ? sb.participants : undefined;
                out.participants = JSON.stringify(p instanceof Map ? Array.from(p.entries()) : p) || null;
              } catch (e) { out.participants = '(unreadable: ' + e + ')'; }
              const local = document.querySelector('video[data-local]');
              out.local = local ? { videoWidth: local.videoWidth, currentTime: local.currentTime } : null;
              const tracksOf = el => (el && el.srcObject && el.srcObject.getTracks)
                  ? el.srcObject.getTracks().map(t => ({ id: t.id, kind: t.kind, readyState: t.readyState, muted: t.muted }))
                  : [];
              for (const tile of document.querySelectorAll('.tile[data-endpoint-id]')) {
                const video = tile.querySelector('video[data-remote]');
                const nameEl = tile.querySelector('.name');
                const tracks = [];
                for (const media of tile.querySelectorAll('video, audio')) tracks.push(...tracksOf(media));
                out.tiles.push({
                  id: tile.getAttribute('data-endpoint-id'),
                  name: nameEl ? nameEl.textContent.trim() : null,
                  video: video ? {
                    endpointId: video.getAttribute('data-endpoint-id'),
                    videoWidth: video.videoWidth, videoHeight: video.videoHeight,
                    currentTime: video.currentTime, paused: video.paused, readyState: video.readyState
                  } : null,
                  tracks
                });
              }
              out.strayRemoteVideos = Array.from(document.querySelectorAll('video[data-remote]'))
                  .filter(v => !v.closest('.tile[data-endpoint-id]')).length;
              if (sb && sb.pc) {
                out.pcState = sb.pc.connectionState;
                out.iceState = sb.pc.iceConnectionState;
                out.signalingState = sb.pc.signalingState;
                try {
                  const report = await sb.pc.getStats();
                  report.forEach(s => {
                    if (s.type === 'inbound-rtp') {
                      out.inbound.push({
                        kind: s.kind, ssrc: s.ssrc, mid: s.mid ?? null, trackIdentifier: s.trackIdentifier ?? null,
                        packetsReceived: s.packetsReceived ?? 0, packetsLost: s.packetsLost ?? 0,
                        bytesReceived: s.bytesReceived ?? 0, framesDecoded: s.framesDecoded ?? 0,
                        frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0,
                        framesPerSecond: s.framesPerSecond ?? 0, nackCount: s.nackCount ?? 0,
                        pliCount: s.pliCount ?? 0, firCount: s.firCount ?? 0,
                        keyFramesDecoded: s.keyFramesDecoded ?? 0, freezeCount: s.freezeCount ?? 0
                      });
                    } else if (s.type === 'transport') {
                      out.transports.push({ dtlsState: s.dtlsState, iceState: s.iceState ?? null,
                        srtpCipher: s.srtpCipher ?? null, bytesReceived: s.bytesReceived ?? 0,
                        bytesSent: s.bytesSent ?? 0 });
                    }
                  });
                } catch (e) { out.statsError = String(e); }
              }
              return out;
            })()
            """;

    /** One remote participant's tile. */
    record Tile(String id, String name, boolean hasVideo, String videoEndpointId, int videoWidth, int videoHeight,
                double currentTime, boolean paused, int readyState, List<String> videoTrackIds,
                List<String> audioTrackIds) {}

    /** One inbound-rtp statistics entry. */
    record Inbound(String kind, long ssrc, String mid, String trackIdentifier, long packetsReceived,
                   long packetsLost, long framesDecoded, int frameWidth, int frameHeight, double framesPerSecond,
                   long pliCount, long nackCount, long freezeCount) {}

    static PageSnapshot capture(Browser browser) {
        String json;
        try {
            json = browser.asyncJson(SCRIPT);
        } catch (RuntimeException e) {
            return failed("page script failed: " + Browser.firstLine(e));
        }
        try {
            return parse(System.nanoTime(), json);
        } catch (Exception e) {
            return failed("unreadable page answer " + abbreviate(json, 500) + ": " + Browser.firstLine(e));
        }
    }

    private static PageSnapshot failed(String error) {
        return new PageSnapshot(System.nanoTime(), null, error, null, null, null, null, List.of(), List.of());
    }

    static PageSnapshot parse(long nanos, String json) throws Exception {
        JsonNode root = JSON.readTree(json);
        if (root.hasNonNull("scriptError")) {
            return new PageSnapshot(nanos, json, "page script error: " + root.get("scriptError").asText(), null,
                    null, null, null, List.of(), List.of());
        }
        List<Tile> tiles = new ArrayList<>();
        for (JsonNode t : root.path("tiles")) {
            JsonNode v = t.path("video");
            List<String> videoTracks = new ArrayList<>();
            List<String> audioTracks = new ArrayList<>();
            for (JsonNode track : t.path("tracks")) {
                ("video".equals(track.path("kind").asText()) ? videoTracks : audioTracks)
                        .add(track.path("id").asText());
            }
            tiles.add(new Tile(text(t, "id"), text(t, "name"), !v.isMissingNode() && !v.isNull(),
                    text(v, "endpointId"), v.path("videoWidth").asInt(), v.path("videoHeight").asInt(),
                    v.path("currentTime").asDouble(), v.path("paused").asBoolean(true), v.path("readyState").asInt(),
                    videoTracks, audioTracks));
        }
        List<Inbound> inbound = new ArrayList<>();
        for (JsonNode s : root.path("inbound")) {
            inbound.add(new Inbound(text(s, "kind"), s.path("ssrc").asLong(), text(s, "mid"),
                    text(s, "trackIdentifier"), s.path("packetsReceived").asLong(), s.path("packetsLost").asLong(),
                    s.path("framesDecoded").asLong(), s.path("frameWidth").asInt(), s.path("frameHeight").asInt(),
                    s.path("framesPerSecond").asDouble(), s.path("pliCount").asLong(), s.path("nackCount").asLong(),
                    s.path("freezeCount").asLong()));
        }
        String statsError = text(root, "statsError");
        return new PageSnapshot(nanos, json, statsError == null ? null : "getStats failed: " + statsError,
                text(root, "status"), text(root, "endpointId"), text(root, "pcState"), text(root, "iceState"),
                List.copyOf(tiles), List.copyOf(inbound));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    Optional<Tile> tile(String endpointId) {
        return tiles.stream().filter(t -> endpointId.equals(t.id())).findFirst();
    }

    /** Inbound video statistics of the tracks shown in this tile (one, normally). */
    List<Inbound> videoOf(Tile tile) {
        return inbound.stream().filter(s -> "video".equals(s.kind()) && tile.videoTrackIds().contains(s.trackIdentifier()))
                .toList();
    }

    List<Inbound> audioOf(Tile tile) {
        return inbound.stream().filter(s -> "audio".equals(s.kind()) && tile.audioTrackIds().contains(s.trackIdentifier()))
                .toList();
    }

    Optional<Inbound> bySsrc(String kind, long ssrc) {
        return inbound.stream().filter(s -> kind.equals(s.kind()) && s.ssrc() == ssrc).findFirst();
    }

    /** One line for failure messages. */
    String summary() {
        if (error != null) {
            return error;
        }
        StringBuilder sb = new StringBuilder("endpointId=").append(endpointId).append(" pc=").append(pcState)
                .append(" ice=").append(iceState).append(" status='").append(status).append("' tiles=[");
        for (Tile t : tiles) {
            sb.append(' ').append(t.id()).append('(').append(t.name()).append(") video ").append(t.videoWidth())
                    .append('x').append(t.videoHeight()).append(" t=").append(String.format("%.2f", t.currentTime()))
                    .append(t.paused() ? " paused" : "").append(';');
        }
        sb.append(" ] inbound=[");
        for (Inbound s : inbound) {
            sb.append(' ').append(s.kind()).append(" ssrc=").append(s.ssrc()).append(" track=")
                    .append(s.trackIdentifier()).append(" pkts=").append(s.packetsReceived())
                    .append(" lost=").append(s.packetsLost());
            if ("video".equals(s.kind())) {
                sb.append(" frames=").append(s.framesDecoded()).append(' ').append(s.frameWidth()).append('x')
                        .append(s.frameHeight()).append(" pli=").append(s.pliCount()).append(" nack=")
                        .append(s.nackCount()).append(" freezes=").append(s.freezeCount());
            }
            sb.append(';');
        }
        return sb.append(" ]").toString();
    }

    static String abbreviate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
