package io.trustplane.testing;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortTest {

    @Test
    void portsAreDistinctBindableAndBelowTheKernelsEphemeralRange() throws Exception {
        // read by another tool than the code under test
        Process sysctl = new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_local_port_range").start();
        int ephemeralStart = Integer.parseInt(new String(sysctl.getInputStream().readAllBytes()).trim().split("\\s+")[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            int port = Infrastructure.freePort();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            assertThat(port).isLessThan(ephemeralStart);
            try (ServerSocket s = new ServerSocket(port)) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
