package dev.switchboard.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One media section: its {@code m=} line and every line after it up to the next {@code m=} line, in order.
 * Immutable; unknown attributes are kept as they are.
 */
public final class MediaSection {
    private final MediaLine mediaLine;
    private final List<SdpLine> lines;

    public MediaSection(MediaLine mediaLine, List<SdpLine> lines) {
        this.mediaLine = Objects.requireNonNull(mediaLine, "mediaLine");
        this.lines = List.copyOf(lines);
    }

    public MediaLine mediaLine() {
        return mediaLine;
    }

    /** The lines after the {@code m=} line. */
    public List<SdpLine> lines() {
        return lines;
    }

    public String media() {
        return mediaLine.media();
    }

    public int port() {
        return mediaLine.port();
    }

    /** The value of the first {@code a=name:value} attribute, empty when absent or a property attribute. */
    public Optional<String> attribute(String name) {
        for (SdpLine line : lines) {
            if (line.isAttribute(name) && line.hasAttributeValue()) {
                return Optional.of(line.attributeValue());
            }
        }
        return Optional.empty();
    }

    /** The values of every {@code a=name:value} attribute with this name, in order. */
    public List<String> attributes(String name) {
        List<String> values = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.isAttribute(name) && line.hasAttributeValue()) {
                values.add(line.attributeValue());
            }
        }
        return values;
    }

    /** True when an attribute with this name is present (property or value attribute). */
    public boolean hasAttribute(String name) {
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code a=mid} value, if any. */
    public Optional<String> mid() {
        return attribute("mid");
    }

    /** The direction attribute; {@code sendrecv} when none is present (RFC 8866 section 6.7). */
    public Direction direction() {
        for (SdpLine line : lines) {
            if (line.isAttribute() && !line.hasAttributeValue()) {
                Optional<Direction> direction = Direction.fromAttribute(line.value());
                if (direction.isPresent()) {
                    return direction.get();
                }
            }
        }
        return Direction.SENDRECV;
    }

    public MediaSection withMediaLine(MediaLine newMediaLine) {
        return new MediaSection(newMediaLine, lines);
    }

    public MediaSection withLines(List<SdpLine> newLines) {
        return new MediaSection(mediaLine, newLines);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaSection other && mediaLine.equals(other.mediaLine) && lines.equals(other.lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mediaLine, lines);
    }

    @Override
    public String toString() {
        return "m=" + mediaLine;
    }
}
