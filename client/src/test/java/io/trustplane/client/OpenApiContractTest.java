package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trustplane.launcher.ServiceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the client calls exists in its service's OpenAPI document (same path template and method), every
 * body member the client may send is a property of the operation's request schema, and every field of a typed
 * answer the client reads is a property of the response schema (where the schema declares its properties).
 */
@ExtendWith(ClientSuite.Extension.class)
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRouteAndSchemaTheClientUsesIsInTheServicesOpenApi(ClientSuite suite) throws Exception {
        Map<Service, JsonNode> docs = new HashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (Service s : Service.values()) {
            String url = suite.url(ServiceSpec.byName(s.name().toLowerCase(Locale.ROOT))) + "/q/openapi?format=json";
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as(url).isEqualTo(200);
            docs.put(s, JSON.readTree(res.body()));
        }
        List<String> problems = new ArrayList<>();
        int typedAnswersChecked = 0;
        for (Route route : Routes.ALL) {
            JsonNode doc = docs.get(route.service());
            JsonNode op = doc.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
            String name = route.service() + " " + route.method() + " " + route.path();
            if (op.isMissingNode()) {
                problems.add(name + ": not in the OpenAPI document");
                continue;
            }
            if (!route.requestFields().isEmpty()) {
                Set<String> props = properties(doc, op.path("requestBody").path("content").path("application/json")
                        .path("schema"));
                for (String field : route.requestFields()) {
                    if (!props.contains(field)) {
                        problems.add(name + ": request member '" + field + "' is not in the request schema " + props);
                    }
                }
            }
            if (route.response().isRecord()) {
                // the documented success: 201 for a creation, 202 for an accepted batch, else 200
                JsonNode responses = op.path("responses");
                JsonNode ok = responses.has("201") ? responses.path("201")
                        : responses.has("202") ? responses.path("202") : responses.path("200");
                Iterator<JsonNode> contents = ok.path("content").elements();
                if (!contents.hasNext()) {
                    problems.add(name + ": no 200/201/202 response documented");
                    continue;
                }
                JsonNode schema = contents.next().path("schema");
                if (schema.path("type").asText().equals("array")) {
                    schema = schema.path("items");
                }
                Set<String> props = properties(doc, schema);
                if (!props.isEmpty()) {
                    typedAnswersChecked++;
                    for (RecordComponent c : route.response().getRecordComponents()) {
                        if (!props.contains(c.getName())) {
                            problems.add(name + ": answer field '" + c.getName() + "' of "
                                    + route.response().getSimpleName() + " is not in the response schema " + props);
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(typedAnswersChecked).as("typed answers held to a declared schema").isGreaterThanOrEqualTo(10);
    }

    /** The property names of a schema, following {@code $ref} and {@code allOf}. */
    private static Set<String> properties(JsonNode doc, JsonNode schema) {
        Set<String> out = new HashSet<>();
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            schema = doc.at(ref.substring(1));
        }
        schema.path("properties").fieldNames().forEachRemaining(out::add);
        schema.path("allOf").forEach(s -> out.addAll(properties(doc, s)));
        return out;
    }
}
