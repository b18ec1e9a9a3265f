package dev.switchboard.signaling.sdp;

import java.util.Objects;

/**
 * One {@code <type>=<value>} line of a session description (RFC 8866 section 5), kept verbatim.
 *
 * <p>For attribute lines ({@code a=}) {@link #attributeName()} and {@link #attributeValue()} split the value at
 * the first colon: {@code a=rtpmap:111 opus/48000/2} has name {@code rtpmap} and value {@code 111 opus/48000/2};
 * a property attribute such as {@code a=rtcp-mux} has a null value.
 */
public record SdpLine(char type, String value) {
    public SdpLine {
        Objects.requireNonNull(value, "value");
    }

    /** An attribute line {@code a=name:value}, or {@code a=name} when value is null. */
    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', value == null ? name : name + ":" + value);
    }

    public boolean isAttribute() {
        return type == 'a';
    }

    /** The attribute name (up to the first colon); only meaningful for {@code a=} lines. */
    public String attributeName() {
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** The attribute value (after the first colon), or null for a property attribute. */
    public String attributeValue() {
        int colon = value.indexOf(':');
        return colon < 0 ? null : value.substring(colon + 1);
    }

    /** True for an {@code a=} line with this attribute name (no allocation: answers look up many per section). */
    public boolean isAttribute(String name) {
        if (type != 'a' || !value.startsWith(name)) {
            return false;
        }
        int end = name.length();
        return end == value.length() ? name.indexOf(':') < 0 : value.charAt(end) == ':' && name.indexOf(':') < 0;
    }

    /** True for an attribute line with a value ({@code a=name:value}), false for a property attribute. */
    public boolean hasAttributeValue() {
        return value.indexOf(':') >= 0;
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
