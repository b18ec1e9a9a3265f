package dev.switchboard.signaling.sdp;

import dev.switchboard.core.api.IceCandidate;
import java.util.Locale;
import java.util.Optional;

/**
 * Converts between {@link IceCandidate} and the {@code candidate-attribute} text of RFC 8839 section 5.1:
 * {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
 * [raddr <addr>] [rport <port>] [tcptype <t>] *(<extension-name> <extension-value>)}.
 */
public final class IceCandidates {
    private IceCandidates() {}

    /**
     * Parses a candidate as a browser reports it ({@code RTCIceCandidate.candidate}); an {@code a=} and/or
     * {@code candidate:} prefix is accepted. Unknown extensions ({@code generation}, {@code ufrag},
     * {@code network-id}, ...) are skipped.
     *
     * @throws IllegalArgumentException when the text is not a candidate
     */
    public static IceCandidate parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no candidate");
        }
        String s = text.strip();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (s.startsWith("candidate:")) {
            s = s.substring("candidate:".length());
        }
        String[] t = s.split(" +");
        if (t.length < 8 || !t[6].equals("typ")) {
            throw new IllegalArgumentException(
                    "expected 'candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>'");
        }
        String foundation = t[0];
        if (foundation.isEmpty() || foundation.length() > 32) {
            throw new IllegalArgumentException("invalid foundation");
        }
        int component = parseInt(t[1], "component", 1, 256);
        String protocol = t[2].toLowerCase(Locale.ROOT);
        if (!protocol.equals("udp") && !protocol.equals("tcp")) {
            throw new IllegalArgumentException("unsupported transport '" + t[2] + "'");
        }
        long priority = parseLong(t[3], "priority", 0, 0xFFFF_FFFFL);
        String address = t[4];
        if (address.isEmpty() || address.length() > 255) {
            throw new IllegalArgumentException("invalid address");
        }
        int port = parseInt(t[5], "port", 0, 65535);
        String type = t[7].toLowerCase(Locale.ROOT);
        if (!type.equals("host") && !type.equals("srflx") && !type.equals("prflx") && !type.equals("relay")) {
            throw new IllegalArgumentException("unknown candidate type '" + t[7] + "'");
        }
        String relatedAddress = null;
        int relatedPort = 0;
        String tcpType = null;
        for (int i = 8; i + 1 < t.length; i += 2) {
            String key = t[i];
            String value = t[i + 1];
            switch (key) {
                case "raddr" -> relatedAddress = value;
                case "rport" -> relatedPort = parseInt(value, "rport", 0, 65535);
                case "tcptype" -> tcpType = value.toLowerCase(Locale.ROOT);
                default -> {
                    // extension attribute: ignored
                }
            }
        }
        return new IceCandidate(foundation, component, protocol, priority, address, port, type, relatedAddress,
                relatedPort, tcpType);
    }

    /** Parses a candidate, or returns empty for one the bridge cannot use (mDNS {@code .local} address). */
    public static Optional<IceCandidate> parseUsable(String text) {
        IceCandidate candidate = parse(text);
        return isMdns(candidate) ? Optional.empty() : Optional.of(candidate);
    }

    /** True for an mDNS host name (RFC 8828 obfuscated host candidate), which the bridge ignores. */
    public static boolean isMdns(IceCandidate candidate) {
        return candidate.address().toLowerCase(Locale.ROOT).endsWith(".local");
    }

    /** The attribute value, without the {@code a=} prefix: {@code candidate:...}. */
    public static String format(IceCandidate c) {
        StringBuilder sb = new StringBuilder("candidate:")
                .append(c.foundation()).append(' ')
                .append(c.component()).append(' ')
                .append(c.protocol()).append(' ')
                .append(c.priority()).append(' ')
                .append(c.address()).append(' ')
                .append(c.port()).append(" typ ")
                .append(c.type());
        if (c.relatedAddress() != null) {
            sb.append(" raddr ").append(c.relatedAddress()).append(" rport ").append(c.relatedPort());
        }
        if (c.tcpType() != null) {
            sb.append(" tcptype ").append(c.tcpType());
        }
        return sb.toString();
    }

    private static int parseInt(String s, String what, int min, int max) {
        return (int) parseLong(s, what, min, max);
    }

    private static long parseLong(String s, String what, long min, long max) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IllegalArgumentException("invalid " + what + " '" + s + "'");
        }
        long value = Long.parseLong(s);
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " out of range: " + s);
        }
        return value;
    }
}
