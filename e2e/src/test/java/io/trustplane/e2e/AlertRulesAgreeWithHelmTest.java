package io.trustplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two alerting paths agree: every built-in rule telemetry-service runs has a rule in the Helm chart's
 * PrometheusRule (paired by its {@code trustplane_rule} label) with the same metric, numerator, denominator,
 * window, threshold and severity, and the other way round. The names differ only where the two systems count
 * differently, listed in {@link #PROMETHEUS}.
 */
@ExtendWith(E2e.Extension.class)
class AlertRulesAgreeWithHelmTest {

    /**
     * telemetry-service counter -> the Prometheus series lease-service's Micrometer counter exports. Transition
     * attempts are {@code phase_validations} there (every transition validated); a STRATEGIZE skip is a phase skip
     * whose {@code from} is NONE; severities are a tag.
     */
    static final Map<String, String> PROMETHEUS = Map.of(
            "phase_transition_attempts", "phase_validations_total",
            "strategize_skipped", "phase_skips_attempted_total{from=\"NONE\"}",
            "prompt_drift_detected.high", "prompt_drift_detected_total{severity=\"high\"}");

    private static final Pattern THRESHOLD = Pattern.compile(
            "sum\\(increase\\(([a-z_]+\\{[^}]*}|[a-z_]+)\\[(\\d+[smh])]\\)\\) > ([0-9.]+)");
    private static final Pattern RATIO = Pattern.compile(
            "sum\\(rate\\(([a-z_]+)\\[(\\d+[smh])]\\)\\)\\s*/ clamp_min\\(sum\\(rate\\(([a-z_]+)\\[(\\d+[smh])]\\)\\), 1e-9\\) > ([0-9.]+)");

    private final E2e suite;

    AlertRulesAgreeWithHelmTest(E2e suite) {
        this.suite = suite;
    }

    /** One rule reduced to what both paths must agree on. */
    record Shape(String kind, String numerator, String denominator, int windowSeconds, double threshold, String severity) {
    }

    static String series(String counter) {
        return PROMETHEUS.getOrDefault(counter, counter + "_total");
    }

    static int seconds(String window) {
        int n = Integer.parseInt(window.substring(0, window.length() - 1));
        return switch (window.charAt(window.length() - 1)) {
            case 's' -> n;
            case 'm' -> n * 60;
            default -> n * 3600;
        };
    }

    static Shape parse(String expr, String severity) {
        String e = expr.replaceAll("\\s+", " ").trim();
        Matcher ratio = RATIO.matcher(e);
        if (ratio.matches()) {
            assertThat(ratio.group(2)).as("one window for numerator and denominator: %s", e).isEqualTo(ratio.group(4));
            return new Shape("RATIO", ratio.group(1), ratio.group(3), seconds(ratio.group(2)),
                    Double.parseDouble(ratio.group(5)), severity);
        }
        Matcher threshold = THRESHOLD.matcher(e);
        assertThat(threshold.matches()).as("a threshold or ratio expression: %s", e).isTrue();
        return new Shape("THRESHOLD", threshold.group(1), null, seconds(threshold.group(2)),
                Double.parseDouble(threshold.group(3)), severity);
    }

    private static Map<String, Shape> helmRules() throws Exception {
        String manifest = new Helm(E2e.ROOT.resolve("deploy/helm/trustplane")).template().withName("trustplane")
                .withNamespace("trustplane").withKubeVersion("1.31.0").call();
        Map<String, Shape> rules = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(manifest)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || !"PrometheusRule".equals(doc.path("kind").asText())) {
                    continue;
                }
                for (JsonNode group : doc.at("/spec/groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        String id = rule.at("/labels/trustplane_rule").asText();
                        assertThat(id).as("rule %s names the built-in rule it mirrors", rule.path("alert").asText())
                                .isNotBlank();
                        rules.put(id, parse(rule.path("expr").asText(), rule.at("/labels/severity").asText()));
                    }
                }
            }
        }
        return rules;
    }

    private Map<String, Shape> builtinRules() throws Exception {
        // Jackson, not REST Assured's JsonPath: that reads 0.01 as a float (0.0099999998)
        JsonNode all = new com.fasterxml.jackson.databind.ObjectMapper().readTree(suite.as("telemetry", suite.operator())
                .get("/v1/alert-rules").then().statusCode(200).extract().asString());
        Map<String, Shape> rules = new LinkedHashMap<>();
        for (JsonNode r : all) {
            if (!r.path("builtin").asBoolean()) {
                continue;
            }
            JsonNode denominator = r.path("denominator");
            rules.put(r.path("id").asText(), new Shape(r.path("kind").asText(), series(r.path("counter").asText()),
                    denominator.isTextual() ? series(denominator.asText()) : null, r.path("windowSeconds").asInt(),
                    r.path("threshold").asDouble(), r.path("severity").asText().toLowerCase(Locale.ROOT)));
        }
        return rules;
    }

    @Test
    void everyBuiltInRuleMatchesItsPrometheusRule() throws Exception {
        Map<String, Shape> builtin = builtinRules();
        assertThat(builtin).containsKeys("prompt-drift-high", "evidence-gate-failure-rate", "lease-contention",
                "phase-skips-attempted", "validation-failure-rate", "strategize-skipped");
        assertThat(helmRules()).isEqualTo(builtin);
    }
}
