package dev.switchboard.signaling.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses session descriptions (RFC 8866 section 5).
 *
 * <p>Lenient where real browsers need it: lines may end in CRLF or LF, attributes of any name are accepted
 * and kept in order, and attribute values are not interpreted here. Strict about structure: the description
 * must start with {@code v=0}, {@code o=} (six fields) and {@code s=}, have at least one {@code t=} line
 * before the first {@code m=}, use only the type letters RFC 8866 defines (an unknown type letter makes the
 * whole description invalid, section 5), keep session-only lines out of media sections, contain no empty
 * lines or control characters, and every {@code m=} line must be well formed. Errors name the line.
 */
public final class SdpParser {
    /** Longest description accepted, in characters. */
    public static final int MAX_LENGTH = 256 * 1024;

    private static final String SESSION_TYPES = "vosiuepcbtrzkam";
    private static final String MEDIA_TYPES = "icbka";

    private SdpParser() {}

    public static SessionDescription parse(String text) throws SdpParseException {
        if (text == null || text.isEmpty()) {
            throw new SdpParseException(0, "empty session description");
        }
        if (text.length() > MAX_LENGTH) {
            throw new SdpParseException(0, "session description longer than " + MAX_LENGTH + " characters");
        }
        List<String> rawLines = splitLines(text);
        List<SdpLine> sessionLines = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        MediaLine currentMedia = null;
        List<SdpLine> currentLines = null;
        boolean sawTiming = false;

        for (int i = 0; i < rawLines.size(); i++) {
            int lineNumber = i + 1;
            String raw = rawLines.get(i);
            SdpLine line = parseLine(lineNumber, raw);
            char type = line.type();
            if (i == 0) {
                if (type != 'v' || !line.value().equals("0")) {
                    throw new SdpParseException(lineNumber, "a session description must start with 'v=0'");
                }
            } else if (i == 1) {
                if (type != 'o') {
                    throw new SdpParseException(lineNumber, "expected the origin line 'o=' after 'v=0'");
                }
                checkOrigin(lineNumber, line.value());
            } else if (i == 2) {
                if (type != 's') {
                    throw new SdpParseException(lineNumber, "expected the session name line 's=' after 'o='");
                }
                if (line.value().isEmpty()) {
                    throw new SdpParseException(lineNumber, "the session name must not be empty (use 's=-')");
                }
            } else if (type == 'v' || type == 'o' || (type == 's')) {
                throw new SdpParseException(lineNumber, "'" + type + "=' may appear only once, at the start");
            }

            if (type == 'm') {
                if (!sawTiming) {
                    throw new SdpParseException(lineNumber, "missing 't=' line before the first media section");
                }
                if (currentMedia != null) {
                    sections.add(new MediaSection(currentMedia, currentLines));
                }
                try {
                    currentMedia = MediaLine.parse(line.value());
                } catch (IllegalArgumentException e) {
                    throw new SdpParseException(lineNumber, "bad media line: " + e.getMessage());
                }
                currentLines = new ArrayList<>();
                continue;
            }
            if (currentMedia != null) {
                if (MEDIA_TYPES.indexOf(type) < 0) {
                    throw new SdpParseException(lineNumber, "'" + type + "=' is not allowed in a media section");
                }
                checkLine(lineNumber, line);
                currentLines.add(line);
            } else {
                if (type == 't') {
                    checkTiming(lineNumber, line.value());
                    sawTiming = true;
                }
                checkLine(lineNumber, line);
                sessionLines.add(line);
            }
        }
        if (rawLines.size() < 3) {
            throw new SdpParseException(0, "incomplete session description: 'v=', 'o=', 's=' and 't=' are required");
        }
        if (!sawTiming) {
            throw new SdpParseException(0, "missing 't=' line");
        }
        if (currentMedia != null) {
            sections.add(new MediaSection(currentMedia, currentLines));
        }
        return new SessionDescription(sessionLines, sections);
    }

    private static List<String> splitLines(String text) throws SdpParseException {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int length = text.length();
        while (start < length) {
            int lf = text.indexOf('\n', start);
            int end = lf < 0 ? length : lf;
            int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = text.substring(start, contentEnd);
            if (line.isEmpty()) {
                // Only the end of the text may be blank.
                if (text.substring(end).isBlank()) {
                    break;
                }
                throw new SdpParseException(lines.size() + 1, "empty line");
            }
            lines.add(line);
            start = lf < 0 ? length : lf + 1;
        }
        return lines;
    }

    private static SdpLine parseLine(int lineNumber, String raw) throws SdpParseException {
        if (raw.length() < 2 || raw.charAt(1) != '=') {
            throw new SdpParseException(lineNumber, "expected '<type>=<value>' but got '" + abbreviate(raw) + "'");
        }
        char type = raw.charAt(0);
        if (SESSION_TYPES.indexOf(type) < 0) {
            throw new SdpParseException(lineNumber, "unknown line type '" + abbreviate(raw.substring(0, 1)) + "'");
        }
        String value = raw.substring(2);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || (c < 0x20 && c != '\t') || c == 0x7f) {
                throw new SdpParseException(lineNumber, "control character in line value");
            }
        }
        return new SdpLine(type, value);
    }

    private static void checkLine(int lineNumber, SdpLine line) throws SdpParseException {
        switch (line.type()) {
            case 'a' -> {
                String name = line.attributeName();
                if (name.isEmpty()) {
                    throw new SdpParseException(lineNumber, "attribute without a name");
                }
                for (int i = 0; i < name.length(); i++) {
                    if (!isTokenChar(name.charAt(i))) {
                        throw new SdpParseException(lineNumber, "invalid attribute name '" + abbreviate(name) + "'");
                    }
                }
            }
            case 'c' -> {
                String[] fields = line.value().split(" ", -1);
                if (fields.length != 3 || fields[0].isEmpty() || fields[1].isEmpty() || fields[2].isEmpty()) {
                    throw new SdpParseException(lineNumber,
                            "expected 'c=<nettype> <addrtype> <connection-address>'");
                }
            }
            case 'b' -> {
                String value = line.value();
                int colon = value.indexOf(':');
                if (colon <= 0 || colon == value.length() - 1) {
                    throw new SdpParseException(lineNumber, "expected 'b=<bwtype>:<bandwidth>'");
                }
            }
            default -> {
                // other types carry free text
            }
        }
    }

    private static void checkOrigin(int lineNumber, String value) throws SdpParseException {
        String[] fields = value.split(" ", -1);
        if (fields.length != 6) {
            throw new SdpParseException(lineNumber,
                    "expected 'o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>'");
        }
        for (String field : fields) {
            if (field.isEmpty()) {
                throw new SdpParseException(lineNumber, "empty field in origin line");
            }
        }
        if (!isDigits(fields[1]) || !isDigits(fields[2])) {
            throw new SdpParseException(lineNumber, "session id and version must be numbers");
        }
    }

    private static void checkTiming(int lineNumber, String value) throws SdpParseException {
        String[] fields = value.split(" ", -1);
        if (fields.length != 2 || !isDigits(fields[0]) || !isDigits(fields[1])) {
            throw new SdpParseException(lineNumber, "expected 't=<start-time> <stop-time>'");
        }
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8866 token-char: visible ASCII except the separators. */
    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`{|}~".indexOf(c) >= 0;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
