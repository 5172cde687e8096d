package io.trustplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What the Helm chart deploys and what Compose runs stay the same: the environment of every rendered Deployment
 * (its ConfigMap's keys and its own env entries) against the environment of the same Compose service, key by key,
 * and the values that do not depend on where things run (ports, issuer, JVM flags, database names). The scaled Compose file's second replicas carry exactly the environment of the first.
 */
class ChartComposeParityTest {

    /**
     * Keys only one side has, each for a stated reason. Chart only: the Redis password (a Secret in Kubernetes;
     * Compose's Redis listens on the project network only). Compose only: the OTLP endpoint (the chart renders it
     * only when tracing.otlpEndpoint is set, Compose always names one and switches tracing with
     * QUARKUS_OTEL_SDK_DISABLED).
     */
    static final Set<String> CHART_ONLY = Set.of("QUARKUS_REDIS_PASSWORD");
    static final Set<String> COMPOSE_ONLY = Set.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

    /** Values that must be equal on both sides (the rest name hosts, which differ by design). */
    static final List<String> SAME_VALUE = List.of("QUARKUS_HTTP_PORT", "QUARKUS_SHUTDOWN_TIMEOUT", "MP_JWT_VERIFY_ISSUER",
            "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT",
            "QUARKUS_OTEL_SDK_DISABLED", "JAVA_OPTS_APPEND");

    static Rendered chart;
    static Map<String, Object> compose;
    static Map<String, Object> scale;

    @BeforeAll
    static void load() throws IOException {
        chart = Rendered.parse(ChartTest.template(t -> t));
        compose = yaml("compose/compose.yaml");
        scale = yaml("compose/compose.scale.yaml");
    }

    static Map<String, Object> yaml(String file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (InputStream in = Files.newInputStream(ChartTest.deployDir().resolve(file))) {
            return new Yaml(options).load(in);
        }
    }

    static Map<String, String> chartEnv(String service) {
        Map<String, String> env = new TreeMap<>();
        JsonNode config = chart.get("ConfigMap", ChartTest.name(service)).path("data");
        config.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        JsonNode container = chart.get("Deployment", ChartTest.name(service)).at("/spec/template/spec/containers/0");
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "<secret>");
        }
        assertThat(StreamSupport.stream(container.path("envFrom").spliterator(), false)
                .map(f -> f.at("/configMapRef/name").asText()).toList())
                .as("%s takes its plain configuration from its own ConfigMap only", service)
                .containsExactly(ChartTest.name(service));
        return env;
    }

    static Map<String, String> composeEnv(Map<String, Object> file, String service) {
        Map<String, Object> env = ComposeAndImagesTest.map(
                ComposeAndImagesTest.map(ComposeAndImagesTest.map(file.get("services")).get(service)).get("environment"));
        return env.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> withDefaults(String.valueOf(e.getValue())),
                (a, b) -> b, TreeMap::new));
    }

    /** A value as Compose passes it when no variable is set: {@code ${NAME:-default}} becomes {@code default}. */
    static String withDefaults(String value) {
        return value.replaceAll("\\$\\{[A-Za-z0-9_]+:-([^}]*)}", "$1");
    }

    static String normalized(String value) {
        return value.trim().replaceAll("\\s+", " ");
    }

    @Test
    void everyDeploymentAndComposeServiceHaveTheSameEnvironmentKeys() {
        for (String s : ChartTest.SERVICES) {
            Set<String> chartKeys = new TreeSet<>(chartEnv(s).keySet());
            Set<String> composeKeys = new TreeSet<>(composeEnv(compose, s + "-service").keySet());
            chartKeys.removeAll(CHART_ONLY);
            composeKeys.removeAll(COMPOSE_ONLY);
            assertThat(composeKeys).as("Compose %s-service against the chart's Deployment", s).isEqualTo(chartKeys);
        }
    }

    @Test
    void valuesThatDoNotDependOnWhereThingsRunAreEqual() {
        for (String s : ChartTest.SERVICES) {
            Map<String, String> k8s = chartEnv(s);
            Map<String, String> compose = composeEnv(ChartComposeParityTest.compose, s + "-service");
            for (String key : SAME_VALUE) {
                assertThat(normalized(compose.get(key))).as("%s of %s", key, s).isEqualTo(normalized(k8s.get(key)));
            }
            // same database, same Redis database (hosts differ; key files are named as each side mounts them: a
            // Secret's keys in Kubernetes, the files `./trustplane up` writes for Compose)
            for (String key : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_REDIS_HOSTS")) {
                if (k8s.containsKey(key)) {
                    assertThat(lastSegment(compose.get(key))).as("%s of %s", key, s).isEqualTo(lastSegment(k8s.get(key)));
                }
            }
        }
    }

    @Test
    void secondReplicasCarryTheFirstReplicasEnvironmentAndBothCallPeersThroughTheBalancer() {
        for (String s : ChartTest.SERVICES) {
            Map<String, String> first = composeEnv(compose, s + "-service");
            first.putAll(composeEnv(scale, s + "-service"));
            Map<String, String> second = composeEnv(scale, s + "-service-2");
            assertThat(second).as("%s-service-2", s).isEqualTo(first);
            for (String peer : ChartTest.SERVICES) {
                assertThat(first.get("TRUSTPLANE_SERVICES_" + peer.toUpperCase()))
                        .isEqualTo("http://balancer:" + ChartTest.PORTS.get(peer));
            }
        }
    }

    private static String lastSegment(String value) {
        String path = value.contains("?") ? value.substring(0, value.indexOf('?')) : value;
        return Path.of(path.substring(path.lastIndexOf('/') + 1)).toString();
    }
}
