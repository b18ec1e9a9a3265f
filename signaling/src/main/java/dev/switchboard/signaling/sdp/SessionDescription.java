package dev.switchboard.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed session description (RFC 8866): the session-level lines (from {@code v=} up to the first
 * {@code m=}) and the media sections, every line kept verbatim and in order so that
 * {@code SdpParser.parse(text).toString()} reproduces CRLF-terminated input byte for byte. Immutable.
 */
public final class SessionDescription {
    private final List<SdpLine> sessionLines;
    private final List<MediaSection> mediaSections;

    public SessionDescription(List<SdpLine> sessionLines, List<MediaSection> mediaSections) {
        this.sessionLines = List.copyOf(sessionLines);
        this.mediaSections = List.copyOf(mediaSections);
    }

    public List<SdpLine> sessionLines() {
        return sessionLines;
    }

    public List<MediaSection> mediaSections() {
        return mediaSections;
    }

    /** The value of the first session-level {@code a=name:value} attribute. */
    public Optional<String> attribute(String name) {
        for (SdpLine line : sessionLines) {
            if (line.isAttribute(name) && line.hasAttributeValue()) {
                return Optional.of(line.attributeValue());
            }
        }
        return Optional.empty();
    }

    /** Every session-level {@code a=name:value} value with this name, in order. */
    public List<String> attributes(String name) {
        List<String> values = new ArrayList<>();
        for (SdpLine line : sessionLines) {
            if (line.isAttribute(name) && line.hasAttributeValue()) {
                values.add(line.attributeValue());
            }
        }
        return values;
    }

    /** The mids of the {@code a=group:BUNDLE} group, empty when there is none. */
    public List<String> bundleMids() {
        for (String group : attributes("group")) {
            String[] tokens = group.split(" ");
            if (tokens.length > 0 && tokens[0].equals("BUNDLE")) {
                return List.of(tokens).subList(1, tokens.length);
            }
        }
        return List.of();
    }

    /** The text of this description: every line followed by CRLF. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(4096);
        for (SdpLine line : sessionLines) {
            sb.append(line.type()).append('=').append(line.value()).append("\r\n");
        }
        for (MediaSection section : mediaSections) {
            sb.append("m=").append(section.mediaLine()).append("\r\n");
            for (SdpLine line : section.lines()) {
                sb.append(line.type()).append('=').append(line.value()).append("\r\n");
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionDescription other
                && sessionLines.equals(other.sessionLines)
                && mediaSections.equals(other.mediaSections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionLines, mediaSections);
    }
}
