package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose -f docker/docker-compose.yml config} validates the compose file offline (no Docker
 * engine needed). Debian's docker-compose is installed when missing.
 */
class DockerComposeConfigTest {
    private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");

    @Test
    void composeFileIsValid() {
        Commands.ensureDebianPackages(List.of(DOCKER_COMPOSE), "docker-compose");
        Path root = repositoryRoot();
        List<String> command = List.of(DOCKER_COMPOSE.toString(), "-f", "docker/docker-compose.yml", "config");

        Commands.Result plain = Commands.run(command, root, Map.of(), Duration.ofMinutes(2));
        assertEquals(0, plain.exitCode(), plain::describe);
        assertTrue(plain.output().contains("switchboard:") && plain.output().contains("coturn:"),
                () -> "both services are defined\n" + plain.describe());

        Commands.Result configured = Commands.run(command, root,
                Map.of("SWITCHBOARD_BIND_ADDRESSES", "192.0.2.7", "TURN_SECRET", "e2e-secret"), Duration.ofMinutes(2));
        assertEquals(0, configured.exitCode(), configured::describe);
        assertTrue(configured.output().contains("SWITCHBOARD_BIND_ADDRESSES: 192.0.2.7")
                        && configured.output().contains("TURN_SECRET: e2e-secret"),
                () -> "the environment reaches both services\n" + configured.describe());
        assertTrue(Files.isRegularFile(root.resolve("docker/turnserver.conf")), "docker/turnserver.conf exists");
        assertTrue(Files.isRegularFile(root.resolve("docker/Dockerfile")), "docker/Dockerfile exists");
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
