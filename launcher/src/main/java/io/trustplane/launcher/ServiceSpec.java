package io.trustplane.launcher;

import java.util.List;

/**
 * One of the four services (or the MCP endpoint in front of them): its name, database (none for MCP), default port
 * and where its packaged jar lives.
 */
public record ServiceSpec(String name, String database, int defaultPort) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("lease-service", "trustplane_lease", 8081),
            new ServiceSpec("provenance-service", "trustplane_provenance", 8082),
            new ServiceSpec("gate-service", "trustplane_gate", 8083),
            new ServiceSpec("telemetry-service", "trustplane_telemetry", 8084));

    /**
     * The MCP endpoint (Streamable HTTP at {@code /mcp}): no database, it calls the four services with its callers'
     * tokens. Not in {@link #ALL}: a suite runs it when its {@link Suite.Config#ports()} name it.
     */
    public static final ServiceSpec MCP = new ServiceSpec("mcp-service", null, 8085);

    /** The short name used in config keys and commands: {@code lease}, {@code gate}, ... */
    public String shortName() {
        return name.substring(0, name.indexOf('-'));
    }

    public java.nio.file.Path jar(java.nio.file.Path projectRoot) {
        return projectRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public static ServiceSpec byName(String name) {
        return java.util.stream.Stream.concat(ALL.stream(), java.util.stream.Stream.of(MCP)).filter(s -> s.name.equals(name) || s.shortName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name + "'; one of "
                        + ALL.stream().map(ServiceSpec::shortName).toList()));
    }
}
