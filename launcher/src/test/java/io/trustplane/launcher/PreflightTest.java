package io.trustplane.launcher;

import io.trustplane.testing.Infrastructure;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration fails before anything starts, with one line that says what to fix. */
class PreflightTest {

    @Test
    void aTakenPortIsNamedWithItsService() throws Exception {
        Path root = fakeProjectWithJars();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Map<ServiceSpec, Integer> ports = ports();
            ports.put(ServiceSpec.byName("gate"), taken.getLocalPort());
            assertThatThrownBy(() -> Suite.preflight(config(root, ports, Map.of())))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("port " + taken.getLocalPort() + " for gate-service is already in use; stop what "
                            + "holds it or set TRUSTPLANE_PORT_BASE");
        }
    }

    @Test
    void anUnreachableDatabaseIsNamed() throws Exception {
        Path root = fakeProjectWithJars();
        int closed = Infrastructure.freePort();
        assertThatThrownBy(() -> Suite.preflight(config(root, ports(),
                Map.of("TRUSTPLANE_PG_URL", "postgresql://postgres@127.0.0.1:" + closed))))
                .isInstanceOf(LaunchException.class)
                .hasMessageStartingWith("PostgreSQL at 127.0.0.1:" + closed + " (from TRUSTPLANE_PG_URL) is unreachable");
    }

    @Test
    void aMissingBuildIsNamed() throws Exception {
        Path empty = Files.createTempDirectory("trustplane-empty");
        assertThatThrownBy(() -> Suite.preflight(config(empty, ports(), Map.of())))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("lease-service is not built");
    }

    private static Suite.Config config(Path root, Map<ServiceSpec, Integer> ports, Map<String, String> env) {
        return new Suite.Config(root, root.resolve(".trustplane"), ports, false, env, Duration.ofSeconds(5));
    }

    private static Map<ServiceSpec, Integer> ports() {
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        return ports;
    }

    private static Path fakeProjectWithJars() throws Exception {
        Path root = Files.createTempDirectory("trustplane-root");
        for (ServiceSpec spec : ServiceSpec.ALL) {
            Path jar = spec.jar(root);
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "not really a jar");
        }
        return root;
    }
}
