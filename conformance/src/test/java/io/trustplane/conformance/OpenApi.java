package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The operations a service documents at {@code /q/openapi}: what the fuzz suite and the access matrix walk. */
final class OpenApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    /** A query or path parameter. */
    record Param(String name, String in, JsonNode schema) {
    }

    /** One documented operation of one service. */
    record Operation(String service, String method, String path, List<Param> params, List<String> bodyTypes,
            JsonNode bodySchema, boolean bodyRequired, List<String> roles, boolean eventStream) {

        String key() {
            return method + " " + path;
        }

        List<Param> pathParams() {
            return params.stream().filter(p -> p.in().equals("path")).toList();
        }

        List<Param> queryParams() {
            return params.stream().filter(p -> p.in().equals("query")).toList();
        }

        boolean hasBody() {
            return !bodyTypes.isEmpty();
        }

        boolean reads() {
            return method.equals("GET");
        }
    }

    private final JsonNode doc;

    private OpenApi(JsonNode doc) {
        this.doc = doc;
    }

    static OpenApi parse(String json) {
        try {
            return new OpenApi(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole document, as served. */
    JsonNode document() {
        return doc;
    }

    List<Operation> operations(String service) {
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String m : METHODS) {
                JsonNode op = path.getValue().get(m);
                if (op == null) {
                    continue;
                }
                List<Param> params = new ArrayList<>();
                for (JsonNode p : op.path("parameters")) {
                    params.add(new Param(p.path("name").asText(), p.path("in").asText(), resolve(p.path("schema"))));
                }
                List<String> bodyTypes = new ArrayList<>();
                JsonNode bodySchema = null;
                JsonNode content = op.path("requestBody").path("content");
                for (Iterator<String> types = content.fieldNames(); types.hasNext(); ) {
                    String type = types.next();
                    bodyTypes.add(type);
                    if (bodySchema == null || type.equals("application/json")) {
                        bodySchema = resolve(content.path(type).path("schema"));
                    }
                }
                List<String> roles = new ArrayList<>();
                for (JsonNode requirement : op.path("security")) {
                    requirement.fields().forEachRemaining(e -> e.getValue().forEach(r -> roles.add(r.asText())));
                }
                boolean sse = false;
                for (JsonNode response : op.path("responses")) {
                    sse |= response.path("content").has("text/event-stream");
                }
                ops.add(new Operation(service, m.toUpperCase(), path.getKey(), params, bodyTypes, bodySchema,
                        op.path("requestBody").path("required").asBoolean(false), roles, sse));
            }
        }
        return ops;
    }

    /** The schema with a top-level {@code $ref} followed (nested ones are followed when they are walked). */
    JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 10 && s != null && s.has("$ref"); i++) {
            String ref = s.get("$ref").asText();
            s = doc.at(ref.substring(1));
        }
        if (s != null && s.has("allOf") && s.get("allOf").size() == 1) {
            return resolve(s.get("allOf").get(0));
        }
        return s;
    }
}
