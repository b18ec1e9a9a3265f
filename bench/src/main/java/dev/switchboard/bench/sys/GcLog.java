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
 * {@code [12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 52M->6M(256M) 2.345ms}, or, for a
 * concurrent collector (Shenandoah), one line per phase: pauses such as
 * {@code GC(3) Pause Init Mark (unload classes) 0.022ms} carry no heap sizes, and what a cycle freed is on its
 * {@code Concurrent cleanup 166M->78M(402M) 0.084ms} lines. The measured window is a byte range of the file (its
 * size at start and end), so no clock mapping is needed.
 */
public final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("GC\\((\\d+)\\) (Pause .*?)\\s+([0-9.]+)ms\\s*$");
    private static final Pattern SIZES = Pattern.compile("\\s(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)$");
    private static final Pattern RECLAIM = Pattern.compile(
            "GC\\(\\d+\\) .*?\\s(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) [0-9.]+ms");

    /**
     * One stop-the-world pause. Heap sizes in KiB (the log's unit, usually MiB, converted); -1 when the line has
     * none (a concurrent collector's pause).
     */
    public record Pause(int id, String kind, long beforeKiB, long afterKiB, double millis) {}

    /** Heap before and after a line that freed memory (a pause, or a concurrent collector's cleanup), in KiB. */
    public record Reclaim(long beforeKiB, long afterKiB) {}

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
        return parse(read(from, to));
    }

    /** Heap reclaimed by each collection (or collection phase) logged between two sizes of the file. */
    public List<Reclaim> reclaims(long from, long to) {
        return parseReclaims(read(from, to));
    }

    private String read(long from, long to) {
        if (to <= from) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) (to - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static List<Pause> parse(String text) {
        List<Pause> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                String kind = m.group(2).strip();
                long before = -1;
                long after = -1;
                Matcher sizes = SIZES.matcher(kind);
                if (sizes.find()) {
                    before = kib(sizes.group(1), sizes.group(2));
                    after = kib(sizes.group(3), sizes.group(4));
                    kind = kind.substring(0, sizes.start()).strip();
                }
                out.add(new Pause(Integer.parseInt(m.group(1)), kind, before, after, Double.parseDouble(m.group(3))));
            }
        }
        return out;
    }

    static List<Reclaim> parseReclaims(String text) {
        List<Reclaim> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = RECLAIM.matcher(line);
            if (m.find()) {
                out.add(new Reclaim(kib(m.group(1), m.group(2)), kib(m.group(3), m.group(4))));
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
