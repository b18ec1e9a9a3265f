package dev.switchboard.bench;

import dev.switchboard.core.transport.dtls.SrtpProfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command line: {@code java -jar bench/target/switchboard-bench.jar [--preset=NAME] [--option=value ...]}.
 * Prints a table and writes {@code bench-results/<run id>.json}. See docs/benchmark.md.
 */
public final class BenchMain {
    private BenchMain() {}

    static final String USAGE = """
            Usage: java -jar bench/target/switchboard-bench.jar [--preset=NAME] [--option=value ...]

            Scenario (a preset sets rooms, participants, publishers and audio-only; options override it):
              --preset=NAME            %s (default 10-party)
              --rooms=N                rooms
              --participants=N         participants per room
              --publishers=N           participants per room that publish (the others only receive)
              --audio-only[=BOOL]      publish audio only
              --video-only[=BOOL]      publish video only (every forwarded RTP packet is a video packet)
              --video-bitrate=RATE     video bitrate per publisher, e.g. 1M, 500k (default 1M)
              --simulcast[=BOOL]       three video layers (10%%, 30%%, 100%% of the bitrate), SSRC each
              --packet-size=BYTES      RTP size of video packets (default 1200)
              --fps=N                  video frames per second (default 30)
              --keyframe-interval=DUR  periodic key frames (default 5s)
              --duration=DUR           measured window (default 30s)
              --warmup=DUR             media before the window (default 20s: the JIT settles)
              --warmup-call=N          participants of the unmeasured call before the joins (default 2)
              --join-rate=N            participants starting to join per second, 0 = all at once (default 0)
              --join-timeout=DUR       give up waiting for joins after this (default 30s)
              --srtp=cm80|gcm          SRTP profile the participants offer (default cm80 =
                                       AES_CM_128_HMAC_SHA1_80; gcm = AEAD_AES_128_GCM)
              --nack[=BOOL]            receivers NACK missing video packets, senders retransmit (default true)
            Run:
              --media-threads=N        the bridge's --media-threads (default 1)
              --floor[=BOOL]           also run the floor baseline (default true)
              --bridge[=BOOL]          run the bridge (default true)
              --pin[=BOOL]             pin generator and server to separate CPUs with taskset (default true)
              --receive-threads=N      generator receive threads (default 1)
              --server-jvm-opts="..."  extra JVM options for the bridge and the floor relay (G1 unless they
                                       choose a collector, e.g. -XX:+UseShenandoahGC)
              --out=DIR                where the JSON report and server logs go (default bench-results)
              --list-presets           print the presets and exit
            Durations: 30s, 500ms, 2m, or seconds.
            """;

    public static void main(String[] args) throws Exception {
        System.setProperty("logback.configurationFile", "logback-bench.xml");
        PrintStream out = System.out;
        Map<String, String> options;
        try {
            options = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.containsKey("help") || options.containsKey("h")) {
            out.print(usage());
            return;
        }
        if (options.containsKey("list-presets")) {
            Presets.ALL.values().forEach(p -> out.printf(Locale.ROOT, "  %-12s %s%n", p.name(), p.description()));
            return;
        }
        Scenario scenario;
        try {
            scenario = scenario(options);
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard-bench: " + e.getMessage() + "\n\n" + usage());
            System.exit(2);
            return;
        }
        Path dir = Path.of(options.getOrDefault("out", "bench-results"));
        List<String> jvm = new ArrayList<>();
        String jvmOpts = options.getOrDefault("server-jvm-opts", "").strip();
        if (!jvmOpts.isEmpty()) {
            jvm.addAll(List.of(jvmOpts.split("\\s+")));
        }
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        BenchReport report = new BenchRunner(scenario, dir, out, jvm).run(runId);
        out.print(report.table());
        Path file = report.write(dir);
        out.println("\nJSON report: " + file.toAbsolutePath());
        boolean failed = report.phases().stream().anyMatch(p -> p.error() != null);
        System.exit(failed ? 1 : 0);
    }

    static String usage() {
        return String.format(Locale.ROOT, USAGE, String.join(", ", Presets.ALL.keySet()));
    }

    /** {@code --key=value} and {@code --flag} into a map (flags get "true"). */
    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String a = arg.replaceFirst("^--?", "");
            int eq = a.indexOf('=');
            if (eq < 0) {
                if (a.startsWith("no-")) {
                    options.put(a.substring(3), "false");
                } else {
                    options.put(a, "true");
                }
            } else {
                options.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        return options;
    }

    /** Builds the scenario from a preset and overrides; rejects unknown options. */
    static Scenario scenario(Map<String, String> o) {
        List<String> known = List.of("preset", "rooms", "participants", "publishers", "audio-only", "video-only", "video-bitrate",
                "simulcast", "packet-size", "fps", "keyframe-interval", "duration", "warmup", "join-rate",
                "join-timeout", "srtp", "nack", "media-threads", "floor", "bridge", "pin", "receive-threads",
                "server-jvm-opts", "out", "warmup-call");
        for (String key : o.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        String name = o.getOrDefault("preset", "10-party");
        Presets.Preset preset = Presets.ALL.get(name);
        if (preset == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "' (" + String.join(", ", Presets.ALL.keySet()) + ")");
        }
        boolean smoke = name.equals("smoke");
        int rooms = integer(o, "rooms", preset.rooms());
        int participants = integer(o, "participants", preset.participants());
        int publishers = integer(o, "publishers", preset.publishers() < 0 ? participants : Math.min(preset.publishers(), participants));
        boolean changed = o.containsKey("rooms") || o.containsKey("participants") || o.containsKey("publishers")
                || o.containsKey("audio-only") || o.containsKey("video-only");
        String srtp = o.getOrDefault("srtp", "cm80").toLowerCase(Locale.ROOT);
        SrtpProfile profile = switch (srtp) {
            case "cm80", "aes_cm_128_hmac_sha1_80" -> SrtpProfile.AES_CM_128_HMAC_SHA1_80;
            case "gcm", "aead_aes_128_gcm" -> SrtpProfile.AEAD_AES_128_GCM;
            default -> throw new IllegalArgumentException("--srtp must be cm80 or gcm");
        };
        return new Scenario(changed ? name + "+overrides" : name, rooms, participants, publishers,
                bool(o, "audio-only", preset.audioOnly()), bool(o, "video-only", false), rate(o.getOrDefault("video-bitrate", "1M")),
                bool(o, "simulcast", false), integer(o, "packet-size", 1200), integer(o, "fps", 30),
                duration(o.getOrDefault("keyframe-interval", "5s")),
                duration(o.getOrDefault("warmup", smoke ? "1s" : "20s")),
                duration(o.getOrDefault("duration", smoke ? "3s" : "30s")),
                Double.parseDouble(o.getOrDefault("join-rate", "0")), duration(o.getOrDefault("join-timeout", "30s")),
                profile, integer(o, "media-threads", 1), bool(o, "nack", true), bool(o, "floor", true),
                bool(o, "bridge", true), bool(o, "pin", !smoke), integer(o, "receive-threads", 1),
                integer(o, "warmup-call", 2));
    }

    private static int integer(Map<String, String> o, String key, int fallback) {
        String v = o.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": '" + v + "' is not a number");
        }
    }

    private static boolean bool(Map<String, String> o, String key, boolean fallback) {
        String v = o.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("--" + key + ": '" + v + "' is not a boolean");
        };
    }

    /** "1M", "500k", "1500000". */
    static long rate(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        double factor = 1;
        if (s.endsWith("m")) {
            factor = 1e6;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("k")) {
            factor = 1e3;
            s = s.substring(0, s.length() - 1);
        }
        try {
            return (long) (Double.parseDouble(s) * factor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid rate '" + v + "'");
        }
    }

    /** "30s", "500ms", "2m", or plain seconds. */
    static Duration duration(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid duration '" + v + "'");
        }
    }
}
