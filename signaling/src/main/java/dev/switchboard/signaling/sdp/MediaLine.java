package dev.switchboard.signaling.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The {@code m=} line of a media section (RFC 8866 section 5.14):
 * {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...}.
 *
 * @param media     {@code audio}, {@code video}, {@code application}, ...
 * @param port      the transport port; 0 rejects (or, in an offer, stops) the section
 * @param portCount the number of ports, or 0 when not given
 * @param proto     e.g. {@code UDP/TLS/RTP/SAVPF}
 * @param formats   payload types for RTP, or e.g. {@code webrtc-datachannel}; at least one
 */
public record MediaLine(String media, int port, int portCount, String proto, List<String> formats) {
    public MediaLine {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(proto, "proto");
        formats = List.copyOf(formats);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("a media line needs at least one format");
        }
    }

    /** Parses the value of an {@code m=} line; tokens are separated by exactly one space. */
    static MediaLine parse(String value) {
        String[] tokens = value.split(" ", -1);
        if (tokens.length < 4) {
            throw new IllegalArgumentException("expected '<media> <port> <proto> <fmt> ...'");
        }
        for (String token : tokens) {
            if (token.isEmpty()) {
                throw new IllegalArgumentException("empty field (fields are separated by one space)");
            }
        }
        String portField = tokens[1];
        int portCount = 0;
        int slash = portField.indexOf('/');
        if (slash >= 0) {
            portCount = parseUnsigned(portField.substring(slash + 1), "number of ports");
            if (portCount == 0) {
                throw new IllegalArgumentException("number of ports must be positive");
            }
            portField = portField.substring(0, slash);
        }
        int port = parseUnsigned(portField, "port");
        if (port > 65535) {
            throw new IllegalArgumentException("port out of range: " + portField);
        }
        return new MediaLine(tokens[0], port, portCount, tokens[2], List.of(tokens).subList(3, tokens.length));
    }

    private static int parseUnsigned(String s, String what) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid " + what + ": '" + s + "'");
        }
        return Integer.parseInt(s);
    }

    public MediaLine withPort(int newPort) {
        return new MediaLine(media, newPort, portCount, proto, formats);
    }

    public MediaLine withFormats(List<String> newFormats) {
        return new MediaLine(media, port, portCount, proto, newFormats);
    }

    /** The line's value, without the {@code m=} prefix. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(media).append(' ').append(port);
        if (portCount > 0) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(proto);
        for (String format : formats) {
            sb.append(' ').append(format);
        }
        return sb.toString();
    }
}
