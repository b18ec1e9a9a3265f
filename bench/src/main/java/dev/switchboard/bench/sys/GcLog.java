package dev.switchboard.bench.sys;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a child JVM's unified GC log ({@code -Xlog:gc:file=...}, JDK 9+): one line per collection such as
 * {@code [12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 52M->6M(256M) 2.345ms}.
 * The measured window is a byte range of the file (its size at start and end), so no clock mapping is needed.
 */
public final class GcLog {
    private static final Pattern PAUSE = Pattern.compile(
            "GC\\((\\d+)\\) (Pause .*?)\\s(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms");

    /** One stop-the-world pause. Heap sizes in KiB (the log's unit, usually MiB, converted). */
    public record Pause(int id, String kind, long beforeKiB, long afterKiB, double millis) {}

    private final Path file;

    public GcLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Current size in bytes (0 when the file does not exist yet). */
    public long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Pauses logged between two sizes of the file. */
    public List<Pause> pauses(long from, long to) {
        if (to <= from) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) (to - from)];
            f.seek(from);
            f.readFully(bytes);
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<Pause> parse(String text) {
        List<Pause> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                out.add(new Pause(Integer.parseInt(m.group(1)), m.group(2).strip(),
                        kib(m.group(3), m.group(4)), kib(m.group(5), m.group(6)), Double.parseDouble(m.group(9))));
            }
        }
        return out;
    }

    private static long kib(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "K" -> v;
            case "M" -> v * 1024;
            default -> v * 1024 * 1024;
        };
    }
}
