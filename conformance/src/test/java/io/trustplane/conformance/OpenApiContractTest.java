package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document of every service is a reference a user can work from: each operation has a summary, a
 * description, a feature tag, a typed success body and the problem schema on each error answer; and every status
 * and problem {@code code} that the other conformance tests (the fuzz suite, the access matrix) received from an
 * operation is among its documented responses. Runs last, after the tests whose answers it checks.
 */
@ExtendWith(Conformance.Extension.class)
@Order(10)
class OpenApiContractTest {

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    /** A problem code as responses document it: a backticked slug followed by its meaning or by the next code. */
    private static final Pattern CODE = Pattern.compile("`([a-z][A-Za-z0-9_]*)`(?=:|, `)");
    /** Refused by the HTTP codec before any route is chosen (no Trustplane code runs, the body is empty). */
    private static final Set<Integer> CODEC_LEVEL = Set.of(100, 414, 431);

    @Test
    void everyOperationIsDocumentedForAUser(Conformance suite) {
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Conformance.Service service : suite.services()) {
            JsonNode doc = service.api().document();
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (String m : METHODS) {
                    JsonNode op = path.getValue().get(m);
                    if (op != null && path.getKey().startsWith("/v1/")) {
                        operations++;
                        missing.addAll(gaps(service.name() + " " + m.toUpperCase() + " " + path.getKey(), op));
                    }
                }
            }
        }
        assertThat(operations).as("documented operations").isGreaterThan(40);
        assertThat(missing).as("operations whose OpenAPI entry is incomplete (annotate the resource method: "
                + "@Tag on the class, @Operation(summary, description), @APIResponse for the success status with a "
                + "schema, and one per route-specific error status whose description names each problem code as "
                + "\"`code`: when\")").isEmpty();
    }

    @Test
    void everyStatusAndCodeTheTestsObservedIsDocumented(Conformance suite) {
        Set<String> undocumented = new TreeSet<>();
        int checked = 0;
        for (Observations.Seen seen : suite.observations().all()) {
            if (CODEC_LEVEL.contains(seen.status())) {
                continue;
            }
            Conformance.Service service = suite.services().stream().filter(s -> s.port() == seen.port()).findFirst()
                    .orElseThrow();
            Route route = route(service.api().document(), seen.method(), seen.path());
            if (route == null) {
                continue;
            }
            checked++;
            String name = service.name() + " " + seen.method() + " " + route.template();
            JsonNode response = route.operation().path("responses").get(Integer.toString(seen.status()));
            if (response == null) {
                undocumented.add(name + ": status " + seen.status() + (seen.code() == null ? "" : " (code `"
                        + seen.code() + "`)") + " is not among its responses");
            } else if (seen.code() != null && !codes(response).contains(seen.code())) {
                undocumented.add(name + ": " + seen.status() + " response does not name code `" + seen.code()
                        + "` in its description");
            }
        }
        assertThat(undocumented).as("statuses and problem codes observed on %d answers but not documented on the "
                + "operation (add an @APIResponse for the status, or \"`code`: when\" to its description)", checked).isEmpty();
    }

    /** The documented problem codes of a response, in the order its description names them. */
    static Set<String> codes(JsonNode response) {
        Set<String> codes = new LinkedHashSet<>();
        Matcher m = CODE.matcher(response.path("description").asText());
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static List<String> gaps(String name, JsonNode op) {
        List<String> gaps = new ArrayList<>();
        if (op.path("summary").asText().isBlank()) {
            gaps.add(name + ": no summary");
        }
        if (op.path("description").asText().isBlank()) {
            gaps.add(name + ": no description");
        }
        if (op.path("tags").isEmpty()) {
            gaps.add(name + ": no tag");
        }
        boolean success = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> response = it.next();
            String status = response.getKey();
            JsonNode content = response.getValue().path("content");
            if (status.startsWith("2")) {
                success = true;
                if (!status.equals("204") && !hasSchema(content)) {
                    gaps.add(name + ": " + status + " response has no body schema");
                }
            } else if (status.startsWith("4") || status.startsWith("5")) {
                if (!content.path("application/problem+json").path("schema").path("$ref").asText().equals(PROBLEM_REF)) {
                    gaps.add(name + ": " + status + " response is not the Problem schema");
                }
                if (codes(response.getValue()).isEmpty()) {
                    gaps.add(name + ": " + status + " response names no problem code (\"`code`: when\" in its "
                            + "description)");
                }
            }
        }
        if (!success) {
            gaps.add(name + ": no 2xx response");
        }
        return gaps;
    }

    private static boolean hasSchema(JsonNode content) {
        for (JsonNode media : content) {
            JsonNode schema = media.path("schema");
            if (!schema.isMissingNode() && !schema.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The operation a concrete request path was answered by, or null (an unknown route, {@code /q/...}). */
    record Route(String template, JsonNode operation) {
    }

    static Route route(JsonNode doc, String method, String path) {
        Route best = null;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            JsonNode op = entry.getValue().get(method.toLowerCase());
            if (op == null || !matches(entry.getKey(), path)) {
                continue;
            }
            // a literal segment beats a parameter: /v1/leases/events over /v1/leases/{leaseId}
            if (best == null || literalLength(entry.getKey()) > literalLength(best.template())) {
                best = new Route(entry.getKey(), op);
            }
        }
        return best;
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/");
        String[] p = path.split("/", -1);
        if (p.length < t.length || (p.length > t.length && !t[t.length - 1].equals("{path}"))) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean parameter = t[i].startsWith("{");
            if (parameter ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    private static int literalLength(String template) {
        return template.replaceAll("\\{[^}]*}", "").length();
    }
}
