package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The ICE side of one web-client page: its RTCPeerConnection's configuration, candidate pairs (from
 * {@code getStats()}) and the client's own state ({@code window.switchboard}).
 *
 * @param selectedLocalType candidateType of the local candidate of the pair that is succeeded and nominated
 *                          (the transport's selected pair when Chromium names one), or null when there is none
 */
record IceInfo(String json, String error, String endpointId, String policy, String iceState, String state,
               String iceProblem, int reconnects, String selectedLocalType, String selectedRemoteType,
               List<String> localCandidateTypes, List<String> pairs) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String SCRIPT = """
            (async () => {
              const sb = window.switchboard;
              if (!sb) return { error: 'no window.switchboard' };
              const out = { endpointId: sb.endpointId, state: sb.state, iceProblem: sb.iceProblem ?? null,
                reconnects: sb.reconnects ?? 0, policy: null, iceState: null, selectedId: null, pairs: [],
                localTypes: [] };
              const pc = sb.pc;
              if (!pc) return out;
              out.policy = pc.getConfiguration().iceTransportPolicy;
              out.iceState = pc.iceConnectionState;
              const report = await pc.getStats();
              const byId = new Map();
              report.forEach(s => byId.set(s.id, s));
              report.forEach(s => {
                if (s.type === 'transport' && s.selectedCandidatePairId) out.selectedId = s.selectedCandidatePairId;
                if (s.type === 'local-candidate') out.localTypes.push(s.candidateType);
              });
              report.forEach(s => {
                if (s.type !== 'candidate-pair') return;
                const l = byId.get(s.localCandidateId) || {};
                const r = byId.get(s.remoteCandidateId) || {};
                out.pairs.push({ id: s.id, state: s.state, nominated: !!s.nominated, selected: s.id === out.selectedId,
                  localType: l.candidateType ?? null, remoteType: r.candidateType ?? null,
                  text: `${s.state}${s.nominated ? ' nominated' : ''}${s.id === out.selectedId ? ' selected' : ''} `
                    + `local ${l.candidateType} ${l.address}:${l.port}/${l.protocol}`
                    + `${l.relayProtocol ? ' relay-protocol ' + l.relayProtocol : ''} -> remote ${r.candidateType} `
                    + `${r.address}:${r.port} sent ${s.bytesSent ?? 0} B received ${s.bytesReceived ?? 0} B` });
              });
              return out;
            })()
            """;

    /**
     * The browser's own view of its transport: the selected pair (the transport's selectedCandidatePairId, else
     * a nominated and succeeded pair) with both candidates, and the protocols and "type address" of all its local
     * candidates.
     */
    static final String SELECTED_PAIR = """
            (async () => {
              const pc = window.switchboard && window.switchboard.pc;
              if (!pc) return { error: 'no RTCPeerConnection yet' };
              const report = await pc.getStats();
              const byId = new Map();
              report.forEach(s => byId.set(s.id, s));
              let selectedId = null;
              const localProtocols = [];
              const localCandidates = [];
              report.forEach(s => {
                if (s.type === 'transport' && s.selectedCandidatePairId) selectedId = s.selectedCandidatePairId;
                if (s.type === 'local-candidate') {
                  localProtocols.push(s.protocol);
                  localCandidates.push(s.candidateType + ' ' + s.address);
                }
              });
              let pair = selectedId ? byId.get(selectedId) : null;
              if (!pair) {
                report.forEach(s => {
                  if (!pair && s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
                });
              }
              const out = { iceState: pc.iceConnectionState, localProtocols, localCandidates, pair: null };
              if (pair) {
                const l = byId.get(pair.localCandidateId) || {};
                const r = byId.get(pair.remoteCandidateId) || {};
                out.pair = { state: pair.state, nominated: !!pair.nominated,
                  bytesSent: pair.bytesSent ?? 0, bytesReceived: pair.bytesReceived ?? 0,
                  local: { protocol: l.protocol, type: l.candidateType, tcpType: l.tcpType ?? null,
                           address: l.address, port: l.port },
                  remote: { protocol: r.protocol, type: r.candidateType, tcpType: r.tcpType ?? null,
                            address: r.address, port: r.port } };
              }
              return out;
            })()
            """;
    /** Runs {@link #SELECTED_PAIR} in the browser's page; the answer has {@code error} when there is no pc yet. */
    static JsonNode selectedPair(Browser browser) throws java.io.IOException {
        return JSON.readTree(browser.asyncJson(SELECTED_PAIR));
    }

    static IceInfo capture(Browser browser) {
        String json = null;
        try {
            json = browser.asyncJson(SCRIPT);
            JsonNode root = JSON.readTree(json);
            String error = text(root, "error");
            if (error == null && root.hasNonNull("scriptError")) {
                error = "page script error: " + root.get("scriptError").asText();
            }
            String selectedLocal = null;
            String selectedRemote = null;
            List<String> pairs = new ArrayList<>();
            for (JsonNode p : root.path("pairs")) {
                pairs.add(p.path("text").asText());
                boolean chosen = p.path("selected").asBoolean()
                        || (selectedLocal == null && "succeeded".equals(p.path("state").asText())
                            && p.path("nominated").asBoolean());
                if (chosen) {
                    selectedLocal = text(p, "localType");
                    selectedRemote = text(p, "remoteType");
                }
            }
            List<String> localTypes = new ArrayList<>();
            root.path("localTypes").forEach(t -> localTypes.add(t.asText()));
            return new IceInfo(json, error, text(root, "endpointId"), text(root, "policy"), text(root, "iceState"),
                    text(root, "state"), text(root, "iceProblem"), root.path("reconnects").asInt(), selectedLocal,
                    selectedRemote, localTypes, pairs);
        } catch (Exception e) {
            return new IceInfo(json, "could not read the page's ICE state: " + Browser.firstLine(e), null, null, null,
                    null, null, 0, null, null, List.of(), List.of());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    String summary() {
        if (error != null) {
            return error;
        }
        return "endpointId=" + endpointId + " policy=" + policy + " ice=" + iceState + " state=" + state
                + " reconnects=" + reconnects + (iceProblem == null ? "" : " iceProblem='" + iceProblem + "'")
                + " selected=" + selectedLocalType + "->" + selectedRemoteType + " localCandidates=" + localCandidateTypes
                + "\n    pairs: " + String.join("\n           ", pairs);
    }
}
