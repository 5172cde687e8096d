package io.trustplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders deploy/helm/trustplane with the embedded Helm (helm-java) for the default values and for
 * values-production.yaml, and checks the objects an operator relies on: each service gets its Deployment,
 * Service, HPA, PDB, ConfigMap, ServiceAccount, NetworkPolicy and ServiceMonitor; probes hit the Quarkus
 * health endpoints; no secret value is ever rendered; labels are consistent; the schema refuses bad values.
 */
class ChartTest {

    static final Path CHART = deployDir().resolve("helm/trustplane");
    static final Path PRODUCTION = CHART.resolve("values-production.yaml");
    static final List<String> SERVICES = List.of("lease", "provenance", "gate", "telemetry");
    static final Map<String, Integer> PORTS = Map.of("lease", 8081, "provenance", 8082, "gate", 8083, "telemetry", 8084);
    static final String RELEASE = "trustplane";
    // the embedded Helm assumes Kubernetes 1.20 unless told; the chart needs 1.25+ (policy/v1, autoscaling/v2)
    static final String KUBE_VERSION = "1.31.0";

    static Rendered defaults;
    static Rendered production;

    static Path deployDir() {
        return Path.of(System.getProperty("trustplane.deploy.dir", ".")).toAbsolutePath();
    }

    @BeforeAll
    static void render() throws IOException {
        String plain = template(t -> t);
        String prod = template(t -> t.withValuesFile(PRODUCTION));
        // kept for reviewers and for `kubectl apply --dry-run=server -f` against a real cluster
        Path out = deployDir().resolve("target/rendered");
        Files.createDirectories(out);
        Files.writeString(out.resolve("default.yaml"), plain);
        Files.writeString(out.resolve("production.yaml"), prod);
        defaults = Rendered.parse(plain);
        production = Rendered.parse(prod);
    }

    static String template(UnaryOperator<TemplateCommand> values) {
        return values.apply(new Helm(CHART).template().withName(RELEASE).withNamespace("trustplane").withKubeVersion(KUBE_VERSION)).call();
    }

    static String name(String service) {
        return RELEASE + "-" + service + "-service";
    }

    static List<Rendered> both() {
        return List.of(defaults, production);
    }

    @Test
    void lintPassesStrict() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void lintPassesStrictWithProductionValues(@TempDir Path tmp) throws IOException {
        // helm-java's lint takes no values file: lint a copy of the chart whose values.yaml is
        // values.yaml overlaid with values-production.yaml, merged the way Helm merges -f files
        Path copy = tmp.resolve("trustplane");
        try (var files = Files.walk(CHART)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        YAMLMapper yaml = new YAMLMapper();
        JsonNode merged = overlay(yaml.readTree(CHART.resolve("values.yaml").toFile()), yaml.readTree(PRODUCTION.toFile()));
        yaml.writeValue(copy.resolve("values.yaml").toFile(), merged);
        LintResult result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict -f values-production.yaml: %s", result.getMessages()).isFalse();
    }

    @Test
    void everyServiceHasItsObjects() {
        for (Rendered r : both()) {
            for (String s : SERVICES) {
                for (String kind : List.of("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                        "ConfigMap", "ServiceAccount", "NetworkPolicy", "ServiceMonitor")) {
                    assertThat(r.find(kind, name(s))).as("%s for %s", kind, s).isPresent();
                }
                JsonNode svc = r.get("Service", name(s));
                assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(PORTS.get(s));
                JsonNode hpa = r.get("HorizontalPodAutoscaler", name(s));
                assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(name(s));
                assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
                assertThat(hpa.at("/spec/maxReplicas").asInt()).isGreaterThanOrEqualTo(hpa.at("/spec/minReplicas").asInt());
                // the HPA owns the replica count: a fixed one would fight it on every upgrade
                assertThat(r.get("Deployment", name(s)).at("/spec/replicas").isMissingNode()).isTrue();
            }
        }
    }

    @Test
    void customMetricHookReachesTheHpa() {
        JsonNode metrics = production.get("HorizontalPodAutoscaler", name("gate")).at("/spec/metrics");
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(1).path("type").asText()).isEqualTo("Pods");
        assertThat(metrics.get(1).at("/pods/metric/name").asText()).isEqualTo("http_server_requests_per_second");
    }

    @Test
    void probesPointAtQuarkusHealth() {
        for (Rendered r : both()) {
            for (String s : SERVICES) {
                JsonNode c = container(r, s);
                assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
                assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
                assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
                assertThat(c.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
                assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(PORTS.get(s));
                JsonNode sm = r.get("ServiceMonitor", name(s));
                assertThat(sm.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
            }
        }
    }

    @Test
    void gracefulTerminationCoversTheDrain() {
        for (Rendered r : both()) {
            for (String s : SERVICES) {
                JsonNode pod = r.get("Deployment", name(s)).at("/spec/template/spec");
                JsonNode cm = r.get("ConfigMap", name(s)).path("data");
                int drain = Integer.parseInt(cm.path("QUARKUS_SHUTDOWN_TIMEOUT").asText().replace("s", ""));
                JsonNode preStop = pod.at("/containers/0/lifecycle/preStop");
                int sleep = preStop.has("sleep") ? preStop.at("/sleep/seconds").asInt()
                        : Integer.parseInt(preStop.at("/exec/command/1").asText());
                assertThat(drain).isEqualTo(15);
                assertThat(sleep).isPositive();
                assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(sleep + drain);
            }
        }
    }

    @Test
    void podsRunNonRootWithReadOnlyRootAndWritableTmp() {
        for (Rendered r : both()) {
            for (String s : SERVICES) {
                JsonNode pod = r.get("Deployment", name(s)).at("/spec/template/spec");
                assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
                assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
                assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
                JsonNode c = pod.at("/containers/0");
                assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
                assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
                assertThat(stream(c.path("volumeMounts")).filter(m -> m.path("mountPath").asText().equals("/tmp")))
                        .hasSize(1);
                JsonNode tmp = stream(pod.path("volumes")).filter(v -> v.path("name").asText().equals("tmp")).findFirst().orElseThrow();
                assertThat(tmp.has("emptyDir")).isTrue();
                assertThat(c.at("/resources/requests/memory").asText()).isNotBlank();
                assertThat(c.at("/resources/limits/memory").asText()).isNotBlank();
            }
        }
    }

    @Test
    void theMcpEndpointRunsHardenedInFrontOfTheFourServices() {
        for (Rendered r : both()) {
            JsonNode pod = r.get("Deployment", name("mcp")).at("/spec/template/spec");
            assertThat(r.get("Service", name("mcp")).at("/spec/ports/0/port").asInt()).isEqualTo(8085);
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            JsonNode c = pod.at("/containers/0");
            assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(c.path("image").asText()).contains("/mcp-service:");
            java.util.Map<String, String> env = new java.util.HashMap<>();
            c.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
            for (String s : SERVICES) {
                assertThat(env.get("TRUSTPLANE_SERVICES_" + s.toUpperCase(java.util.Locale.ROOT)))
                        .isEqualTo("http://" + name(s) + ":" + PORTS.get(s));
            }
            assertThat(env).doesNotContainKeys("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
            assertThat(env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION")).startsWith("/etc/trustplane/jwt/");
        }
    }

    @Test
    void noSecretValueIsRenderedInClear() {
        for (Rendered r : both()) {
            assertThat(r.ofKind("Secret")).as("the chart renders no Secret").isEmpty();
            for (String s : SERVICES) {
                JsonNode c = container(r, s);
                for (JsonNode env : c.path("env")) {
                    String n = env.path("name").asText();
                    if (n.matches(".*(PASSWORD|TOKEN|USERNAME|SECRET|KEY).*")) {
                        assertThat(env.has("value")).as("%s/%s must come from a secretKeyRef", s, n).isFalse();
                        assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isNotBlank();
                    }
                }
                JsonNode cm = r.get("ConfigMap", name(s)).path("data");
                cm.fieldNames().forEachRemaining(k -> assertThat(k).doesNotContain("PASSWORD", "TOKEN", "SECRET"));
                cm.elements().forEachRemaining(v -> assertThat(v.asText()).doesNotContain("BEGIN", "password="));
                // the JWT key reaches the pod only as a mounted Secret volume
                JsonNode jwt = volume(r, s, "jwt");
                assertThat(jwt.at("/secret/secretName").asText()).isNotBlank();
            }
            assertThat(volume(r, "provenance", "log-key").at("/secret/secretName").asText()).isEqualTo("trustplane-log-key");
            assertThat(r.get("ConfigMap", name("provenance")).at("/data/TRUSTPLANE_LOG_KEY_FILE").asText())
                    .startsWith("/etc/trustplane/log-key/");
            assertThat(r.get("ConfigMap", name("gate")).at("/data/TRUSTPLANE_LOG_KEY_FILE").isMissingNode()).isTrue();
        }
    }

    @Test
    void configWiresDatabasesAndServices() {
        JsonNode cm = defaults.get("ConfigMap", name("lease")).path("data");
        assertThat(cm.path("QUARKUS_DATASOURCE_REACTIVE_URL").asText()).isEqualTo("postgresql://postgresql:5432/trustplane_lease");
        assertThat(cm.path("QUARKUS_DATASOURCE_JDBC_URL").asText()).isEqualTo("jdbc:postgresql://postgresql:5432/trustplane_lease");
        assertThat(cm.path("QUARKUS_REDIS_HOSTS").asText()).isEqualTo("redis://redis:6379/0");
        assertThat(cm.path("TRUSTPLANE_SERVICES_GATE").asText()).isEqualTo("http://trustplane-gate-service:8083");
        assertThat(cm.path("MP_JWT_VERIFY_PUBLICKEY_LOCATION").asText()).isEqualTo("/etc/trustplane/jwt/jwt-public.pem");

        JsonNode prod = production.get("ConfigMap", name("telemetry")).path("data");
        assertThat(prod.path("QUARKUS_DATASOURCE_JDBC_URL").asText())
                .isEqualTo("jdbc:postgresql://trustplane-pg.prod.internal:5432/trustplane_telemetry"
                        + "?sslmode=verify-full&sslrootcert=/etc/trustplane/postgresql-ca/ca.crt");
        assertThat(prod.path("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE").asText()).isEqualTo("verify-full");
        assertThat(prod.path("QUARKUS_REDIS_HOSTS").asText()).startsWith("rediss://trustplane-redis.prod.internal:6380");
        assertThat(volume(production, "telemetry", "postgresql-ca").at("/secret/secretName").asText())
                .isEqualTo("trustplane-postgresql-ca");
    }

    @Test
    void tracingIsOffWithoutACollectorAndSampledWithOne() {
        JsonNode off = defaults.get("ConfigMap", name("gate")).path("data");
        assertThat(off.path("QUARKUS_OTEL_SDK_DISABLED").asText()).isEqualTo("true");
        assertThat(off.has("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")).isFalse();

        Rendered on = Rendered.parse(template(t -> t.set("tracing.otlpEndpoint", "http://collector.obs:4318")
                .set("tracing.sampleRatio", "0.25")));
        JsonNode cm = on.get("ConfigMap", name("gate")).path("data");
        assertThat(cm.has("QUARKUS_OTEL_SDK_DISABLED")).isFalse();
        assertThat(cm.path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").asText()).isEqualTo("http://collector.obs:4318");
        assertThat(cm.path("QUARKUS_OTEL_TRACES_SAMPLER_ARG").asText()).isEqualTo("0.25");
    }

    @Test
    void imagesComeFromOnePlace() {
        assertThat(container(defaults, "lease").path("image").asText()).isEqualTo("ghcr.io/trustplane/lease-service:0.1.0");
        assertThat(container(production, "gate").path("image").asText())
                .isEqualTo("registry.example.com/platform/trustplane/gate-service:0.1.0");
        Rendered nativeImages = Rendered.parse(template(t -> t.set("image.variant", "native").set("image.tag", "1.2.3")));
        assertThat(container(nativeImages, "telemetry").path("image").asText())
                .isEqualTo("ghcr.io/trustplane/telemetry-service:1.2.3-native");
        Rendered aot = Rendered.parse(template(t -> t.set("image.variant", "jvm-aot")));
        assertThat(container(aot, "provenance").path("image").asText())
                .isEqualTo("ghcr.io/trustplane/provenance-service:0.1.0-aot");
    }

    @Test
    void labelsAreConsistent() {
        for (Rendered r : both()) {
            for (JsonNode o : r.objects()) {
                JsonNode labels = o.at("/metadata/labels");
                String what = o.path("kind").asText() + "/" + o.at("/metadata/name").asText();
                assertThat(labels.path("app.kubernetes.io/part-of").asText()).as(what).isEqualTo("trustplane");
                assertThat(labels.path("app.kubernetes.io/instance").asText()).as(what).isEqualTo(RELEASE);
                assertThat(labels.path("app.kubernetes.io/managed-by").asText()).as(what).isEqualTo("Helm");
                assertThat(labels.path("app.kubernetes.io/version").asText()).as(what).isEqualTo("0.1.0");
                assertThat(labels.path("app.kubernetes.io/name").asText()).as(what).isNotBlank();
                assertThat(labels.path("helm.sh/chart").asText()).as(what).isEqualTo("trustplane-0.1.0");
            }
            for (String s : SERVICES) {
                JsonNode d = r.get("Deployment", name(s));
                JsonNode selector = d.at("/spec/selector/matchLabels");
                JsonNode podLabels = d.at("/spec/template/metadata/labels");
                assertThat(selector.path("app.kubernetes.io/name").asText()).isEqualTo(s + "-service");
                selector.fields().forEachRemaining(e -> assertThat(podLabels.path(e.getKey()).asText())
                        .as("pod label %s", e.getKey()).isEqualTo(e.getValue().asText()));
                assertThat(r.get("Service", name(s)).at("/spec/selector")).isEqualTo(selector);
                assertThat(r.get("PodDisruptionBudget", name(s)).at("/spec/selector/matchLabels")).isEqualTo(selector);
                assertThat(r.get("ServiceMonitor", name(s)).at("/spec/selector/matchLabels")).isEqualTo(selector);
                assertThat(r.get("NetworkPolicy", name(s)).at("/spec/podSelector/matchLabels")).isEqualTo(selector);
            }
        }
    }

    @Test
    void prometheusRuleCarriesTheFiveSeedAlertsAndTheStrategizeAlert() {
        for (Rendered r : both()) {
            List<JsonNode> rules = r.ofKind("PrometheusRule");
            assertThat(rules).hasSize(1);
            List<String> exprs = new ArrayList<>();
            rules.get(0).at("/spec/groups/0/rules").forEach(rule -> exprs.add(rule.path("expr").asText()));
            assertThat(exprs).hasSize(6);
            assertThat(exprs).anySatisfy(e -> assertThat(e).contains("prompt_drift_detected_total{severity=\"high\"}[5m]").contains("> 0"));
            assertThat(exprs).anySatisfy(e -> assertThat(e).contains("evidence_gate_failed_total[1h]").contains("> 0.01"));
            assertThat(exprs).anySatisfy(e -> assertThat(e).contains("phase_lease_contention_total[1m]").contains("> 10"));
            assertThat(exprs).anySatisfy(e -> assertThat(e).contains("phase_validations_failed_total[10m]").contains("> 0.02"));
            assertThat(exprs).anySatisfy(e -> assertThat(e).contains("phase_skips_attempted_total[5m]").contains("> 0"));
            assertThat(exprs).anySatisfy(e -> assertThat(e).contains("phase_skips_attempted_total{from=\"NONE\"}[5m]"));
        }
        assertThat(production.ofKind("PrometheusRule").get(0).at("/metadata/labels/release").asText())
                .isEqualTo("kube-prometheus-stack");
    }

    @Test
    void networkPolicyAdmitsOnlyTheHttpPort() {
        for (Rendered r : both()) {
            for (String s : SERVICES) {
                JsonNode np = r.get("NetworkPolicy", name(s));
                assertThat(stream(np.at("/spec/policyTypes")).map(JsonNode::asText)).contains("Ingress", "Egress");
                np.at("/spec/ingress").forEach(rule ->
                        assertThat(stream(rule.path("ports")).map(p -> p.path("port").asText())).containsOnly("http"));
            }
        }
    }

    @Test
    void onlyTelemetryMayLeaveTheClusterForWebhooks() {
        JsonNode telemetry = defaults.get("NetworkPolicy", name("telemetry")).at("/spec/egress");
        assertThat(stream(telemetry).flatMap(r -> stream(r.path("ports"))).map(p -> p.path("port").asInt())).contains(443);
        JsonNode gate = defaults.get("NetworkPolicy", name("gate")).at("/spec/egress");
        assertThat(stream(gate).flatMap(r -> stream(r.path("ports"))).map(p -> p.path("port").asInt())).doesNotContain(443);
    }

    @Test
    void monitoringAndNetworkPolicyCanBeSwitchedOff() {
        Rendered r = Rendered.parse(template(t -> t.set("metrics.serviceMonitor.enabled", false)
                .set("metrics.prometheusRule.enabled", false).set("networkPolicy.enabled", false)
                .set("services.gate.autoscaling.enabled", false).set("services.gate.replicas", 3)));
        assertThat(r.ofKind("ServiceMonitor")).isEmpty();
        assertThat(r.ofKind("PrometheusRule")).isEmpty();
        assertThat(r.ofKind("NetworkPolicy")).isEmpty();
        assertThat(r.find("HorizontalPodAutoscaler", name("gate"))).isEmpty();
        assertThat(r.get("Deployment", name("gate")).at("/spec/replicas").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "services.lease.replicas=-1",
        "services.gate.port=70000",
        "services.telemetry.autoscaling.targetCPUUtilizationPercentage=150",
        "image.variant=wasm",
        "postgresql.tls.mode=sometimes",
        "lifecycle.shutdownTimeoutSeconds=0",
    })
    void schemaRejectsBadValues(String assignment) {
        String[] kv = assignment.split("=", 2);
        Object value = kv[1].matches("-?\\d+") ? (Object) Integer.valueOf(kv[1]) : kv[1];
        assertThatThrownBy(() -> template(t -> t.set(kv[0], value)))
                .as("schema must refuse %s", assignment)
                .hasMessageContaining("schema");
    }

    @Test
    void schemaRejectsUnknownKeys() {
        assertThatThrownBy(() -> template(t -> t.set("services.lease.replicaz", 3))).hasMessageContaining("schema");
        assertThatThrownBy(() -> template(t -> t.set("postgresql.password", "hunter2"))).hasMessageContaining("schema");
    }

    @Test
    void productionValuesFileExists() {
        assertThat(Files.isRegularFile(PRODUCTION)).isTrue();
        assertThat(Files.isRegularFile(CHART.resolve("values.schema.json"))).isTrue();
    }

    /** Helm's values coalescing: maps merge key by key, anything else (lists included) is replaced. */
    static JsonNode overlay(JsonNode base, JsonNode over) {
        if (!(base instanceof ObjectNode b) || !over.isObject()) {
            return over;
        }
        ObjectNode result = b.deepCopy();
        over.fields().forEachRemaining(e -> result.set(e.getKey(),
                result.has(e.getKey()) ? overlay(result.get(e.getKey()), e.getValue()) : e.getValue()));
        return result;
    }

    static JsonNode container(Rendered r, String s) {
        return r.get("Deployment", name(s)).at("/spec/template/spec/containers/0");
    }

    static JsonNode volume(Rendered r, String s, String volume) {
        return stream(r.get("Deployment", name(s)).at("/spec/template/spec/volumes"))
                .filter(v -> v.path("name").asText().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + volume + " on " + s));
    }

    static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
