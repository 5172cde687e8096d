package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md's route reference is generated from the OpenAPI documents the four running services serve: this test
 * fails when the committed file differs. Regenerate with {@code -Dtrustplane.docs.write=true} (the test then rewrites
 * everything after the marker line in place).
 */
@ExtendWith(Conformance.Extension.class)
@Order(11)
class ApiReferenceDocTest {

    static final Path DOC = Conformance.ROOT.resolve("docs").resolve("api.md");
    static final String MARKER = "<!-- route reference: generated from the services' OpenAPI by ApiReferenceDocTest, "
            + "do not edit below -->";
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    /**
     * The answers every route (or every route with a body) gives, listed once above the reference: a row names
     * such a status only when the route gives it another code too.
     */
    private static final Map<String, String> STANDARD = Map.of("400", "invalid_request", "401", "unauthenticated",
            "403", "forbidden", "406", "not_acceptable", "413", "payload_too_large", "415", "unsupported_media_type",
            "429", "rate_limited", "503", "dependency_unavailable");

    @Test
    void apiMdListsEveryRouteOfEveryService(Conformance suite) throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int at = doc.indexOf(MARKER);
        assertThat(at).as("docs/api.md has the route reference marker line").isNotNegative();
        StringBuilder expected = new StringBuilder(doc.substring(0, at + MARKER.length())).append("\n");
        for (Conformance.Service service : suite.services()) {
            expected.append(section(service.name(), service.api().document()));
        }
        if (Boolean.getBoolean("trustplane.docs.write") && !doc.contentEquals(expected)) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
            doc = expected.toString();
        }
        assertThat(doc).as("docs/api.md is what the services' OpenAPI says (regenerate: run this test with "
                + "-Dtrustplane.docs.write=true)").isEqualTo(expected.toString());
    }

    static String section(String service, JsonNode api) {
        Map<String, String> tagDescriptions = new LinkedHashMap<>();
        for (JsonNode tag : api.path("tags")) {
            tagDescriptions.put(tag.path("name").asText(), tag.path("description").asText());
        }
        Map<String, List<String>> rowsByTag = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (String m : METHODS) {
                JsonNode op = path.getValue().get(m);
                if (op != null) {
                    String tag = op.path("tags").path(0).asText("untagged");
                    rowsByTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(row(m, path.getKey(), op));
                }
            }
        }
        StringBuilder md = new StringBuilder("\n## ").append(service).append("\n\nMore in [").append(service)
                .append("/README.md](../").append(service).append("/README.md); the full document is served at ")
                .append("`/q/openapi`.\n");
        rowsByTag.forEach((tag, rows) -> {
            md.append("\n### ").append(tag).append("\n\n");
            String description = tagDescriptions.getOrDefault(tag, "");
            if (!description.isBlank()) {
                md.append(description).append("\n\n");
            }
            md.append("| method | path | what it does | roles | success | errors (route-specific) |\n")
                    .append("|---|---|---|---|---|---|\n");
            rows.forEach(md::append);
        });
        return md.toString();
    }

    private static String row(String method, String path, JsonNode op) {
        List<String> roles = new ArrayList<>();
        for (JsonNode requirement : op.path("security")) {
            requirement.fields().forEachRemaining(e -> e.getValue().forEach(r -> roles.add(r.asText())));
        }
        List<String> success = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> response = it.next();
            String status = response.getKey();
            if (status.startsWith("2") || status.startsWith("3")) {
                success.add(status);
            } else {
                Set<String> codes = OpenApiContractTest.codes(response.getValue());
                if (STANDARD.containsKey(status) && codes.equals(Set.of(STANDARD.get(status)))) {
                    continue;
                }
                errors.add(status + (codes.isEmpty() ? "" : " `" + String.join("`, `", codes) + "`"));
            }
        }
        return "| " + method.toUpperCase() + " | `" + path + "` | " + cell(op.path("summary").asText()) + " | "
                + String.join(", ", roles) + " | " + String.join(", ", success) + " | " + String.join("; ", errors)
                + " |\n";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
