package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose -f docker/docker-compose.yml config} validates the compose file offline (no Docker
 * engine needed). Debian's docker-compose is installed when missing. The file needs the server's name, address
 * and TURN secret from the environment and refuses to work without them.
 */
class DockerComposeConfigTest {
    private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
    private static final Map<String, String> REQUIRED = Map.of(
            "PUBLIC_HOSTNAME", "meet.example.test",
            "PUBLIC_IP", "192.0.2.7",
            "SWITCHBOARD_BIND_ADDRESSES", "192.0.2.7",
            "TURN_SECRET", "e2e-secret-0123456789");

    @Test
    void composeFileIsValidAndWiresTurnToBothServices() {
        Commands.ensureDebianPackages(List.of(DOCKER_COMPOSE), "docker-compose");
        Commands.Result configured = config(REQUIRED);
        assertEquals(0, configured.exitCode(), configured::describe);
        String out = configured.output();
        for (String expected : List.of("switchboard:", "coturn:", "network_mode: host",
                "SWITCHBOARD_BIND_ADDRESSES: 192.0.2.7", "TURN_SECRET: e2e-secret-0123456789",
                "SWITCHBOARD_TURN_SECRET: e2e-secret-0123456789", "PUBLIC_IP: 192.0.2.7",
                "SWITCHBOARD_STUN_URLS: stun:meet.example.test:3478",
                "SWITCHBOARD_TURN_URLS: turn:meet.example.test:3478?transport=udp,turn:meet.example.test:3478?transport=tcp,"
                        + "turns:meet.example.test:5349?transport=tcp",
                "SWITCHBOARD_TURN_TTL: '86400'", "SWITCHBOARD_UDP_PORT: '10000'")) {
            assertTrue(out.contains(expected), () -> "missing '" + expected + "'\n" + configured.describe());
        }
        Path root = repositoryRoot();
        for (String file : List.of("docker/turnserver.conf", "docker/coturn-entrypoint.sh", "docker/Dockerfile")) {
            assertTrue(Files.isRegularFile(root.resolve(file)), file + " exists");
        }
    }

    @Test
    void composeRefusesToRunWithoutTheServersNameAddressAndSecret() {
        Commands.ensureDebianPackages(List.of(DOCKER_COMPOSE), "docker-compose");
        for (String missing : REQUIRED.keySet()) {
            Map<String, String> env = new LinkedHashMap<>(REQUIRED);
            env.remove(missing);
            Commands.Result refused = config(env);
            assertNotEquals(0, refused.exitCode(), () -> "without " + missing + "\n" + refused.describe());
            assertTrue(refused.output().contains("set " + missing), () -> "names " + missing + "\n" + refused.describe());
        }
    }

    /** Runs {@code docker-compose config} with exactly these of the required variables set. */
    private static Commands.Result config(Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("env"));
        for (String name : REQUIRED.keySet()) {
            command.add("-u");
            command.add(name);
        }
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of(DOCKER_COMPOSE.toString(), "-f", "docker/docker-compose.yml", "config"));
        return Commands.run(command, repositoryRoot(), Map.of(), Duration.ofMinutes(2));
    }

    /** The directory holding docker/docker-compose.yml: the module directory's parent under Maven. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker/docker-compose.yml"))) {
                return dir;
            }
        }
        throw new AssertionError("no docker/docker-compose.yml above " + Path.of("").toAbsolutePath());
    }
}
