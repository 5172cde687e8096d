package io.trustplane.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds every image once per test JVM: the Debian base (scripts/build-base-image: cached outside the clone, keyed by
 * its recipe), then PostgreSQL, Redis and HAProxy from Debian packages on it, and the four services from their
 * packaged jars with their unchanged Dockerfile.jvm, the base passed as the only build argument.
 */
final class Images {

    static final String PREFIX = "localhost/trustplane";
    static final String TAG = "it";
    static final List<String> SERVICES = List.of("lease", "provenance", "gate", "telemetry");
    /** Deployables without a database, one replica in either setup: the MCP endpoint. */
    static final List<String> FRONTS = List.of("mcp");
    static final List<String> INFRASTRUCTURE = List.of("postgres", "redis", "haproxy");

    /** The base image's tag and each built image's size in bytes (name without prefix). */
    record Built(String base, Map<String, Long> sizes, Duration took) {
    }

    private static Built built;

    private Images() {
    }

    /** Every deployable built from this repository. */
    static List<String> all() {
        List<String> all = new java.util.ArrayList<>(SERVICES);
        all.addAll(FRONTS);
        return all;
    }

    static String name(String image) {
        return PREFIX + "/" + image + ":" + TAG;
    }

    static synchronized Built ensureBuilt() throws IOException, InterruptedException {
        if (built != null) {
            return built;
        }
        Engine.ensureAvailable();
        long start = System.nanoTime();
        for (String s : SERVICES) {
            Path jar = Engine.ROOT.resolve(s + "-service/target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError(jar + " is missing: package the services first (./mvnw -B package -DskipTests)");
            }
        }
        String base = Engine.run(Duration.ofMinutes(20), "bash", Engine.ROOT.resolve("scripts/build-base-image").toString())
                .orFail("scripts/build-base-image").lastLine();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String infra : INFRASTRUCTURE) {
            build(base, name(infra), Engine.ROOT.resolve("deploy/containers/" + infra), null);
        }
        for (String s : all()) {
            build(base, name(s + "-service"), Engine.ROOT.resolve(s + "-service"), "src/main/docker/Dockerfile.jvm");
        }
        sizes.put("base", size(base));
        for (String infra : INFRASTRUCTURE) {
            sizes.put(infra, size(name(infra)));
        }
        for (String s : all()) {
            sizes.put(s + "-service", size(name(s + "-service")));
        }
        built = new Built(base, sizes, Duration.ofNanos(System.nanoTime() - start));
        return built;
    }

    private static void build(String base, String tag, Path context, String dockerfile) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("podman", "build", "--layers", "--build-arg", "BASE_IMAGE=" + base,
                "-t", tag));
        if (dockerfile != null) {
            cmd.addAll(List.of("-f", context.resolve(dockerfile).toString()));
        }
        cmd.add(context.toString());
        Engine.run(Duration.ofMinutes(15), Map.of(), cmd).orFail("podman build " + tag);
    }

    private static long size(String image) throws IOException, InterruptedException {
        return Long.parseLong(Engine.run(Duration.ofMinutes(1), "podman", "image", "inspect", "--format", "{{.Size}}", image)
                .orFail("podman image inspect " + image).lastLine());
    }
}
