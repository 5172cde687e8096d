package io.trustplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks deploy/compose/compose.yaml (it parses, with merge keys resolved, and wires PostgreSQL and Redis built
 * from Debian packages, the four databases and the four services with health checks) and the per-service Dockerfiles (present,
 * non-root, the port each service's application.properties declares, the base image a build argument whose
 * default is the users' image). No container engine runs here: the containers module builds and runs the images.
 */
class ComposeAndImagesTest {

    static final Path ROOT = ChartTest.deployDir().getParent();
    static final Map<String, Integer> PORTS = ChartTest.PORTS;

    static Map<String, Object> compose;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (InputStream in = Files.newInputStream(ChartTest.deployDir().resolve("compose/compose.yaml"))) {
            compose = new Yaml(options).load(in);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static Map<String, Object> service(String name) {
        return map(map(compose.get("services")).get(name));
    }

    @Test
    void infrastructureIsBuiltFromDebianPackagesAndHealthChecked() {
        for (String name : List.of("postgres", "redis")) {
            Map<String, Object> build = map(service(name).get("build"));
            Path dockerfile = ChartTest.deployDir().resolve("compose").resolve(build.get("context").toString())
                    .resolve("Dockerfile").normalize();
            assertThat(dockerfile).as(name).isRegularFile();
            assertThat(map(build.get("args")).get("BASE_IMAGE").toString()).contains("debian:bookworm-slim");
        }
        assertThat(map(service("postgres").get("healthcheck")).get("test").toString()).contains("pg_isready");
        assertThat(map(service("redis").get("healthcheck")).get("test").toString()).contains("ping");
    }

    @Test
    void postgresCreatesTheFourDatabases() {
        String databases = map(service("postgres").get("environment")).get("POSTGRES_DATABASES").toString();
        for (String s : PORTS.keySet()) {
            assertThat(databases.split(" ")).contains("trustplane_" + s);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPublishedPortIsBoundToLoopback() {
        for (Object svc : map(compose.get("services")).values()) {
            for (String port : (List<String>) map(svc).getOrDefault("ports", List.of())) {
                assertThat(port).startsWith("127.0.0.1:");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceIsBuiltFromItsJvmDockerfileAndHealthChecked() {
        for (var e : PORTS.entrySet()) {
            String name = e.getKey() + "-service";
            Map<String, Object> svc = service(name);
            Map<String, Object> build = map(svc.get("build"));
            Path dockerfile = ChartTest.deployDir().resolve("compose").resolve(build.get("context").toString())
                    .resolve(build.get("dockerfile").toString()).normalize();
            assertThat(dockerfile).as(name).isRegularFile().endsWith(Path.of("src/main/docker/Dockerfile.jvm"));
            assertThat(map(svc.get("healthcheck")).get("test").toString()).contains("/q/health/ready", ":" + e.getValue());
            assertThat((List<String>) svc.get("ports")).anySatisfy(p -> assertThat(p).startsWith("127.0.0.1:").endsWith(":" + e.getValue()));
            // merged from the x-trustplane-* anchors
            assertThat(svc.get("read_only")).isEqualTo(true);
            assertThat((List<String>) svc.get("tmpfs")).contains("/tmp");
            assertThat(((List<String>) svc.get("volumes")).get(0)).endsWith(":/etc/trustplane/keys:ro").contains(".trustplane");
            Map<String, Object> env = map(svc.get("environment"));
            assertThat(env.get("QUARKUS_DATASOURCE_REACTIVE_URL")).isEqualTo("postgresql://postgres:5432/trustplane_" + e.getKey());
            assertThat(env.get("QUARKUS_REDIS_HOSTS")).isEqualTo("redis://redis:6379/0");
            assertThat(env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION").toString()).startsWith("/etc/trustplane/keys/");
            assertThat(map(svc.get("depends_on")).keySet()).contains("postgres", "redis");
            // podman-compose ignores depends_on conditions: the entrypoint waits for PostgreSQL and Redis
            assertThat(svc.get("entrypoint").toString()).contains("/dev/tcp/postgres/5432", "/dev/tcp/redis/6379",
                    "exec /opt/jboss/container/java/run/run-java.sh");
        }
        assertThat(map(service("provenance-service").get("environment")).get("TRUSTPLANE_LOG_KEY_FILE"))
                .isEqualTo("/etc/trustplane/keys/log-signing-key.pem");
    }

    @Test
    void dockerfilesAreNonRootAndExposeTheServicePort() throws IOException {
        for (var e : PORTS.entrySet()) {
            Path module = ROOT.resolve(e.getKey() + "-service");
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(module.resolve("src/main/resources/application.properties"))) {
                props.load(in);
            }
            int port = Integer.parseInt(props.getProperty("quarkus.http.port"));
            assertThat(port).as("chart and application.properties agree on %s", e.getKey()).isEqualTo(e.getValue());
            for (String flavour : List.of("Dockerfile.jvm", "Dockerfile.jvm-aot", "Dockerfile.native")) {
                String text = Files.readString(module.resolve("src/main/docker").resolve(flavour));
                assertThat(text).as("%s/%s", e.getKey(), flavour)
                        .contains("EXPOSE " + port)
                        .containsPattern("(?m)^USER (185|1001)$")
                        .containsPattern("(?m)^ARG BASE_IMAGE=(registry\\.access\\.redhat\\.com/ubi9/|eclipse-temurin:25-jre-ubi9-minimal)")
                        .contains("VOLUME [\"/tmp\"]");
            }
        }
    }

    /**
     * The users' image and the local-base image come from the same Dockerfile: its single stage is
     * {@code FROM ${BASE_IMAGE}}, the build argument is declared once (default: the users' base) and used nowhere
     * else, so --build-arg BASE_IMAGE changes the base and nothing else. Compose passes the same default.
     */
    @Test
    void theBaseImageIsTheOnlyThingTheBuildArgumentChanges() throws IOException {
        for (var e : PORTS.entrySet()) {
            Path docker = ROOT.resolve(e.getKey() + "-service/src/main/docker");
            for (String flavour : List.of("Dockerfile.jvm", "Dockerfile.jvm-aot", "Dockerfile.native")) {
                List<String> lines = Files.readAllLines(docker.resolve(flavour)).stream()
                        .filter(l -> !l.startsWith("#")).toList();
                assertThat(lines.stream().filter(l -> l.startsWith("FROM ")).toList()).as(flavour)
                        .containsExactly("FROM ${BASE_IMAGE}");
                assertThat(lines.stream().filter(l -> l.startsWith("ARG ")).toList()).as(flavour)
                        .singleElement().asString().startsWith("ARG BASE_IMAGE=");
                assertThat(lines.stream().filter(l -> l.contains("BASE_IMAGE")).count()).as(flavour).isEqualTo(2);
            }
            String jvmDefault = Files.readAllLines(docker.resolve("Dockerfile.jvm")).stream()
                    .filter(l -> l.startsWith("ARG BASE_IMAGE=")).findFirst().orElseThrow().substring("ARG BASE_IMAGE=".length());
            Map<String, Object> args = map(map(service(e.getKey() + "-service").get("build")).get("args"));
            assertThat(args.get("BASE_IMAGE")).isEqualTo("${TRUSTPLANE_JVM_BASE_IMAGE:-" + jvmDefault + "}");
        }
    }
}
