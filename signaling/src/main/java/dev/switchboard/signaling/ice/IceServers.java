package dev.switchboard.signaling.ice;

import dev.switchboard.signaling.protocol.ServerMessage.IceServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds the {@code iceServers} list of a participant: the STUN URLs as they are, and the TURN URLs with fresh
 * ephemeral credentials (coturn {@code use-auth-secret}, the "TURN REST API" scheme):
 *
 * <pre>
 *   username   = (now + ttl, in Unix seconds) + ":" + endpointId
 *   credential = base64(HMAC-SHA1(key = secret, message = username))
 * </pre>
 *
 * coturn recomputes the credential from the username and its copy of the secret, and refuses the username
 * once its time has passed. Thread-safe.
 */
public final class IceServers {
    private static final String HMAC = "HmacSHA1";

    private final IceServersConfig config;
    private final Clock clock;

    /**
     * @param clock gives the current time (tests inject a fixed one)
     */
    public IceServers(IceServersConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The servers for one participant; empty when none is configured. */
    public List<IceServer> forEndpoint(String endpointId) {
        Objects.requireNonNull(endpointId, "endpointId");
        List<IceServer> servers = new ArrayList<>(2);
        if (!config.stunUrls().isEmpty()) {
            servers.add(new IceServer(config.stunUrls(), null, null));
        }
        if (config.hasTurn()) {
            long expiry = clock.instant().getEpochSecond() + config.turnTtl().toSeconds();
            String username = expiry + ":" + endpointId;
            servers.add(new IceServer(config.turnUrls(), username, credential(config.turnSecret(), username)));
        }
        return List.copyOf(servers);
    }

    /** base64(HMAC-SHA1(secret, username)), both as UTF-8: the password coturn expects for {@code username}. */
    public static String credential(String secret, String username) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e); // every JDK has it
        }
    }
}
