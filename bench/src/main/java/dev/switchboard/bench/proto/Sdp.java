package dev.switchboard.bench.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * The SDP a synthetic participant offers, shaped like Chromium's (see the fixtures in
 * signaling/src/test/resources/fixtures/sdp): one BUNDLE group, rtcp-mux, trickle ICE credentials, a
 * sha-256 fingerprint with {@code a=setup:actpass}, Opus (PT 111, audio-level extension) and VP8 (PT 96,
 * nack/pli/fir) sections, {@code a=ssrc} lines for what it sends, and receive-only sections for what it
 * wants to receive. Also reads the bridge's answer.
 */
public final class Sdp {
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int AUDIO_LEVEL_EXT_ID = 1;

    private Sdp() {}

    /** Our transport: ICE credentials, DTLS fingerprint (sha-256) and our one host candidate. */
    public record Transport(String ufrag, String pwd, String fingerprintSha256, String address, int port) {}

    /** A track we send: its SSRCs (three for simulcast, listed low to high), CNAME and msid. */
    public record SendTrack(String kind, long[] ssrcs, String cname, String streamId, String trackId) {}

    /**
     * The offer: our send tracks first (mids 0, 1), then one receive-only section per entry of
     * {@code recvKinds} ("audio"/"video"), in that order, so that sections keep their index across offers.
     */
    public static String offer(long sessionId, int version, Transport t, SendTrack audio, SendTrack video,
            List<String> recvKinds) {
        List<String> kinds = new ArrayList<>();
        List<SendTrack> tracks = new ArrayList<>();
        if (audio != null) {
            kinds.add("audio");
            tracks.add(audio);
        }
        if (video != null) {
            kinds.add("video");
            tracks.add(video);
        }
        for (String k : recvKinds) {
            kinds.add(k);
            tracks.add(null);
        }
        StringBuilder sb = new StringBuilder(512 + 700 * kinds.size());
        line(sb, "v=0");
        line(sb, "o=- " + sessionId + " " + version + " IN IP4 127.0.0.1");
        line(sb, "s=-");
        line(sb, "t=0 0");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (int i = 0; i < kinds.size(); i++) {
            bundle.append(' ').append(i);
        }
        line(sb, bundle.toString());
        line(sb, "a=extmap-allow-mixed");
        line(sb, "a=msid-semantic: WMS " + (audio != null ? audio.streamId() : video != null ? video.streamId() : ""));
        for (int i = 0; i < kinds.size(); i++) {
            section(sb, i, kinds.get(i), tracks.get(i), t);
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, int mid, String kind, SendTrack track, Transport t) {
        boolean audio = kind.equals("audio");
        line(sb, "m=" + kind + " 9 UDP/TLS/RTP/SAVPF " + (audio ? OPUS_PT : VP8_PT));
        line(sb, "c=IN IP4 0.0.0.0");
        line(sb, "a=rtcp:9 IN IP4 0.0.0.0");
        if (mid == 0) {
            line(sb, "a=candidate:1 1 udp 2122260223 " + t.address() + " " + t.port()
                    + " typ host generation 0 network-id 1");
        }
        line(sb, "a=ice-ufrag:" + t.ufrag());
        line(sb, "a=ice-pwd:" + t.pwd());
        line(sb, "a=ice-options:trickle");
        line(sb, "a=fingerprint:sha-256 " + t.fingerprintSha256());
        line(sb, "a=setup:actpass");
        line(sb, "a=mid:" + mid);
        if (audio) {
            line(sb, "a=extmap:" + AUDIO_LEVEL_EXT_ID + " urn:ietf:params:rtp-hdrext:ssrc-audio-level");
            line(sb, "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        } else {
            line(sb, "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset");
            line(sb, "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        }
        line(sb, track != null ? "a=sendonly" : "a=recvonly");
        if (track != null) {
            line(sb, "a=msid:" + track.streamId() + " " + track.trackId());
        }
        line(sb, "a=rtcp-mux");
        line(sb, "a=rtcp-rsize");
        if (audio) {
            line(sb, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
            line(sb, "a=rtcp-fb:" + OPUS_PT + " transport-cc");
            line(sb, "a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");
        } else {
            line(sb, "a=rtpmap:" + VP8_PT + " VP8/90000");
            line(sb, "a=rtcp-fb:" + VP8_PT + " goog-remb");
            line(sb, "a=rtcp-fb:" + VP8_PT + " transport-cc");
            line(sb, "a=rtcp-fb:" + VP8_PT + " ccm fir");
            line(sb, "a=rtcp-fb:" + VP8_PT + " nack");
            line(sb, "a=rtcp-fb:" + VP8_PT + " nack pli");
        }
        if (track != null) {
            if (track.ssrcs().length > 1) {
                StringBuilder group = new StringBuilder("a=ssrc-group:SIM");
                for (long s : track.ssrcs()) {
                    group.append(' ').append(s);
                }
                line(sb, group.toString());
            }
            for (long s : track.ssrcs()) {
                line(sb, "a=ssrc:" + s + " cname:" + track.cname());
                line(sb, "a=ssrc:" + s + " msid:" + track.streamId() + " " + track.trackId());
            }
        }
    }

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append("\r\n");
    }

    /** What the answer tells us: the bridge's ICE credentials, fingerprint, DTLS role and candidates. */
    public record Answer(String ufrag, String pwd, String fingerprintAlgorithm, String fingerprint, String setup,
            List<Candidate> candidates, int sendingSections, int sections) {}

    /** A remote UDP candidate. */
    public record Candidate(String address, int port, long priority, String type) {}

    /** Reads the answer's transport attributes (from the first section that has them, or session level). */
    public static Answer parseAnswer(String sdp) {
        String ufrag = null;
        String pwd = null;
        String fpAlg = null;
        String fp = null;
        String setup = null;
        List<Candidate> candidates = new ArrayList<>();
        int sending = 0;
        int sections = 0;
        for (String raw : sdp.split("\r?\n")) {
            String l = raw.strip();
            if (l.startsWith("m=")) {
                sections++;
            } else if (l.startsWith("a=ice-ufrag:") && ufrag == null) {
                ufrag = l.substring(12).strip();
            } else if (l.startsWith("a=ice-pwd:") && pwd == null) {
                pwd = l.substring(10).strip();
            } else if (l.startsWith("a=fingerprint:") && fp == null) {
                String[] f = l.substring(14).strip().split(" +");
                if (f.length == 2) {
                    fpAlg = f[0];
                    fp = f[1];
                }
            } else if (l.startsWith("a=setup:") && setup == null) {
                setup = l.substring(8).strip();
            } else if (l.equals("a=sendonly")) {
                sending++;
            } else if (l.startsWith("a=candidate:")) {
                String[] f = l.substring(12).split(" +");
                // foundation component transport priority address port typ type ...
                if (f.length >= 8 && f[1].equals("1") && f[2].equalsIgnoreCase("udp")) {
                    Candidate c = new Candidate(f[4], Integer.parseInt(f[5]), Long.parseLong(f[3]), f[7]);
                    if (!candidates.contains(c)) {
                        candidates.add(c);
                    }
                }
            }
        }
        if (ufrag == null || pwd == null || fp == null) {
            throw new IllegalArgumentException("the answer lacks ICE credentials or a fingerprint");
        }
        return new Answer(ufrag, pwd, fpAlg, fp, setup, List.copyOf(candidates), sending, sections);
    }
}
