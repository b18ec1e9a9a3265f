package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.signaling.ice.IceServers;
import dev.switchboard.signaling.ice.IceServersConfig;
import dev.switchboard.signaling.protocol.ServerMessage.IceServer;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coturn configuration shipped for self-hosting ({@code docker/turnserver.conf} completed by
 * {@code docker/coturn-entrypoint.sh}) run by Debian's coturn on 127.0.0.1: it accepts the TURN REST credentials
 * Switchboard hands out for the same secret, refuses wrong ones, relays to the bridge's address only, and serves
 * TLS with the certificate it is given.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TurnServerConfigTest {
    private static final String REALM = "turn.switchboard.test";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    @Test
    void entrypointWritesTheConfigurationFromTheEnvironment() throws Exception {
        String secret = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        Map<String, String> env = scriptEnvironment(secret);
        env.put("SWITCHBOARD_BIND_ADDRESSES", "203.0.113.10, 203.0.113.11");
        env.put("PUBLIC_IP", "203.0.113.10");
        env.put("TURN_PRIVATE_IP", "10.0.0.5");
        env.put("TURN_MIN_PORT", "50000");
        env.put("TURN_MAX_PORT", "50100");
        Commands.Result printed = script(env, "--print-config");
        assertEquals(0, printed.exitCode(), printed::describe);
        String config = printed.output();
        for (String line : List.of("listening-port=3478", "tls-listening-port=5349", "fingerprint", "use-auth-secret",
                "realm=" + REALM, "relay-ip=10.0.0.5", "external-ip=203.0.113.10/10.0.0.5", "min-port=50000",
                "max-port=50100", "allowed-peer-ip=203.0.113.10", "allowed-peer-ip=203.0.113.11",
                "denied-peer-ip=0.0.0.0-255.255.255.255", "no-tls", "static-auth-secret=<hidden>")) {
            assertTrue(config.lines().anyMatch(line::equals), () -> "missing '" + line + "'\n" + printed.describe());
        }
        assertFalse(config.contains(secret), "the printed configuration hides the secret");
        Path written = tmp.resolve("turnserver.conf");
        assertTrue(Files.readString(written).lines().anyMatch(("static-auth-secret=" + secret)::equals));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(written), "only the coturn user reads the secret");

        writeCertificate();
        Commands.Result withTls = script(env, "--print-config");
        assertTrue(withTls.output().lines().anyMatch(("cert=" + tmp.resolve("certs/fullchain.pem"))::equals),
                withTls::describe);
        assertTrue(withTls.output().lines().anyMatch(("pkey=" + tmp.resolve("certs/privkey.pem"))::equals),
                withTls::describe);
        assertFalse(withTls.output().lines().anyMatch("no-tls"::equals), withTls::describe);

        for (String missing : List.of("TURN_SECRET", "PUBLIC_IP", "SWITCHBOARD_BIND_ADDRESSES")) {
            Map<String, String> incomplete = new HashMap<>(env);
            incomplete.remove(missing);
            Commands.Result refused = script(incomplete, "--print-config");
            assertEquals(64, refused.exitCode(), refused::describe);
            assertTrue(refused.output().contains("set " + missing), refused::describe);
        }
        Map<String, String> weak = new HashMap<>(env);
        weak.put("TURN_SECRET", "short");
        assertEquals(64, script(weak, "--print-config").exitCode());
    }

    @Test
    void coturnAcceptsSwitchboardCredentialsAndRelaysToTheBridgeOnly() throws Exception {
        String secret = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        writeCertificate();
        int port = Coturn.freePort();
        int tlsPort = Coturn.freePort();
        int minRelay = Coturn.relayRangeStart();
        Map<String, String> env = scriptEnvironment(secret);
        env.put("TURN_MIN_PORT", String.valueOf(minRelay));
        env.put("TURN_MAX_PORT", String.valueOf(minRelay + 39));
        env.put("TURNSERVER", Coturn.BINARY.toString());
        // Production listens on every interface on 3478/5349 and relays to public addresses; here everything
        // stays on 127.0.0.1 (the "bridge" is 127.0.0.1, so loopback peers must be allowed).
        List<String> command = List.of("sh", repositoryRoot().resolve("docker/coturn-entrypoint.sh").toString(),
                "--listening-ip=127.0.0.1", "--listening-port=" + port, "--tls-listening-port=" + tlsPort,
                "--allow-loopback-peers", "--pidfile=" + tmp.resolve("turnserver.pid"),
                "--db=" + tmp.resolve("turndb"), "--verbose");
        try (Coturn coturn = Coturn.startCommand(command, env, port, minRelay, minRelay + 39, secret,
                Files.createTempDirectory("switchboard-coturn-conf-"))) {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            IceServersConfig config = new IceServersConfig(List.of(), List.of("turn:127.0.0.1:" + port), secret,
                    Duration.ofHours(1));
            IceServer credentials = new IceServers(config, Clock.systemUTC()).forEndpoint("q3XbT0aLmZ").get(0);
            String diagnostics = "\n" + coturn.diagnostics();

            try (TurnClient turn = new TurnClient(server)) {
                // wrong password for a well-formed username: refused
                TurnClient.Response refused = turn.allocate(credentials.username(), "bm90IHRoZSBwYXNzd29yZA==");
                assertEquals(401, refused.errorCode(), () -> refused + diagnostics);
            }
            try (TurnClient turn = new TurnClient(server)) {
                TurnClient.Response allocated = turn.allocate(credentials.username(), credentials.credential());
                assertEquals(0x0103, allocated.type(), () -> "Allocate with Switchboard's credentials: " + allocated
                        + diagnostics);
                assertEquals(REALM, turn.realm, diagnostics);
                int relayPort = allocated.xorAddressPort(0x0016);
                assertTrue(relayPort >= minRelay && relayPort <= minRelay + 39, () -> "relay port " + relayPort);

                TurnClient.Response toBridge = turn.createPermission(credentials.username(), credentials.credential(),
                        "127.0.0.1");
                assertEquals(0x0108, toBridge.type(), () -> "permission to the bridge's address: " + toBridge
                        + diagnostics);
                TurnClient.Response elsewhere = turn.createPermission(credentials.username(),
                        credentials.credential(), "127.0.0.2");
                assertEquals(403, elsewhere.errorCode(), () -> "permission to another address: " + elsewhere
                        + diagnostics);
            }
            try (TurnClient turn = new TurnClient(server)) {
                // an expired username is refused even with the right HMAC
                String expired = (System.currentTimeMillis() / 1000 - 60) + ":q3XbT0aLmZ";
                TurnClient.Response old = turn.allocate(expired, IceServers.credential(secret, expired));
                assertEquals(401, old.errorCode(), () -> old + diagnostics);
            }
            assertTlsHandshake(tlsPort, diagnostics);
        }
    }

    private static void assertTlsHandshake(int port, String diagnostics) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertTrue(peer.getSubjectX500Principal().getName().contains("CN=" + REALM),
                    () -> "TURN over TLS presents the given certificate, not " + peer.getSubjectX500Principal()
                            + diagnostics);
        }
    }

    private Map<String, String> scriptEnvironment(String secret) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TURN_SECRET", secret);
        env.put("PUBLIC_IP", "127.0.0.1");
        env.put("PUBLIC_HOSTNAME", REALM);
        env.put("SWITCHBOARD_BIND_ADDRESSES", "127.0.0.1");
        env.put("TURN_CONF_TEMPLATE", repositoryRoot().resolve("docker/turnserver.conf").toString());
        env.put("TURN_CONF_OUT", tmp.resolve("turnserver.conf").toString());
        env.put("TURN_CERT_DIR_IN_CONTAINER", tmp.resolve("certs").toString());
        return env;
    }

    private Commands.Result script(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.add("sh");
        command.add(repositoryRoot().resolve("docker/coturn-entrypoint.sh").toString());
        command.addAll(List.of(args));
        return Commands.run(command, tmp, Map.of(), Duration.ofSeconds(30));
    }

    /** A self-signed certificate for the realm's name, made with the openssl command. */
    private void writeCertificate() throws Exception {
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        Commands.Result made = Commands.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=" + REALM,
                "-keyout", certs.resolve("privkey.pem").toString(), "-out", certs.resolve("fullchain.pem").toString()),
                tmp, Map.of(), Duration.ofSeconds(30));
        assertEquals(0, made.exitCode(), made::describe);
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker/turnserver.conf"))) {
                return dir;
            }
        }
        throw new AssertionError("no docker/turnserver.conf above " + Path.of("").toAbsolutePath());
    }

    /**
     * Just enough of a TURN client (RFC 5389/5766) over UDP: Allocate and CreatePermission with long-term
     * credentials (the first request learns REALM and NONCE from the 401).
     */
    private static final class TurnClient implements AutoCloseable {
        private static final int COOKIE = 0x2112A442;
        private final DatagramSocket socket;
        private final InetSocketAddress server;
        String realm;
        private String nonce;

        TurnClient(InetSocketAddress server) throws Exception {
            this.server = server;
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(2000);
        }

        record Response(int type, Map<Integer, byte[]> attributes) {
            int errorCode() {
                byte[] v = attributes.get(0x0009);
                return v == null ? 0 : (v[2] & 7) * 100 + (v[3] & 0xff);
            }

            int xorAddressPort(int attribute) {
                byte[] v = attributes.get(attribute);
                return ((v[2] & 0xff) << 8 | (v[3] & 0xff)) ^ (COOKIE >>> 16);
            }

            @Override
            public String toString() {
                byte[] error = attributes.get(0x0009);
                return String.format("response 0x%04x%s", type, error == null ? ""
                        : " error " + errorCode() + " " + new String(error, 4, error.length - 4, StandardCharsets.UTF_8));
            }
        }

        Response allocate(String username, String password) throws Exception {
            byte[] transport = {17, 0, 0, 0}; // REQUESTED-TRANSPORT: UDP
            return authenticated(0x0003, Map.of(0x0019, transport), username, password);
        }

        Response createPermission(String username, String password, String peer) throws Exception {
            byte[] address = InetAddress.getByName(peer).getAddress();
            ByteBuffer v = ByteBuffer.allocate(8).put((byte) 0).put((byte) 1).putShort((short) (0 ^ (COOKIE >>> 16)));
            int ip = ByteBuffer.wrap(address).getInt() ^ COOKIE;
            v.putInt(ip);
            return authenticated(0x0008, Map.of(0x0012, v.array()), username, password);
        }

        private Response authenticated(int method, Map<Integer, byte[]> attributes, String username, String password)
                throws Exception {
            if (nonce == null) {
                Response challenge = exchange(method, attributes, null, null);
                if (challenge.errorCode() != 401) {
                    return challenge;
                }
                realm = new String(challenge.attributes().get(0x0014), StandardCharsets.UTF_8);
                nonce = new String(challenge.attributes().get(0x0015), StandardCharsets.UTF_8);
            }
            return exchange(method, attributes, username, password);
        }

        private Response exchange(int method, Map<Integer, byte[]> attributes, String username, String password)
                throws Exception {
            byte[] transaction = new byte[12];
            RANDOM.nextBytes(transaction);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            attributes.forEach((type, value) -> attribute(body, type, value));
            if (username != null) {
                attribute(body, 0x0006, username.getBytes(StandardCharsets.UTF_8));
                attribute(body, 0x0014, realm.getBytes(StandardCharsets.UTF_8));
                attribute(body, 0x0015, nonce.getBytes(StandardCharsets.UTF_8));
                // MESSAGE-INTEGRITY: HMAC-SHA1 keyed with MD5(username:realm:password) over the message so far,
                // with the header length already counting the integrity attribute.
                byte[] soFar = message(method, transaction, body.toByteArray(), 24);
                byte[] key = MessageDigest.getInstance("MD5")
                        .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(key, "HmacSHA1"));
                attribute(body, 0x0008, mac.doFinal(soFar));
            }
            byte[] request = message(method, transaction, body.toByteArray(), 0);
            socket.send(new DatagramPacket(request, request.length, server));
            byte[] buf = new byte[2048];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    socket.send(new DatagramPacket(request, request.length, server)); // retransmit
                    continue;
                }
                ByteBuffer in = ByteBuffer.wrap(buf, 0, packet.getLength());
                int type = in.getShort() & 0xffff;
                int length = in.getShort() & 0xffff;
                in.getInt();
                byte[] id = new byte[12];
                in.get(id);
                if (!java.util.Arrays.equals(id, transaction)) {
                    continue;
                }
                Map<Integer, byte[]> parsed = new HashMap<>();
                while (in.position() < 20 + length) {
                    int attrType = in.getShort() & 0xffff;
                    int attrLength = in.getShort() & 0xffff;
                    byte[] value = new byte[attrLength];
                    in.get(value);
                    in.position(in.position() + (4 - attrLength % 4) % 4);
                    parsed.putIfAbsent(attrType, value);
                }
                return new Response(type, parsed);
            }
            throw new AssertionError(String.format("no answer to request 0x%04x from %s", method, server));
        }

        private static byte[] message(int type, byte[] transaction, byte[] body, int extraLength) {
            return ByteBuffer.allocate(20 + body.length).putShort((short) type)
                    .putShort((short) (body.length + extraLength)).putInt(COOKIE).put(transaction).put(body).array();
        }

        private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
            out.write(type >>> 8);
            out.write(type);
            out.write(value.length >>> 8);
            out.write(value.length);
            out.writeBytes(value);
            for (int i = value.length; i % 4 != 0; i++) {
                out.write(0);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
