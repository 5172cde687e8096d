package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every answer the conformance tests received (the fuzz suite's and the access matrix's requests included): method,
 * path, status and problem {@code code}, by the port of the service that gave it. {@link OpenApiContractTest} checks
 * that each status and code is among the documented responses of the operation it came from.
 */
final class Observations {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: {@code code} is the problem's code, or null when the body is not a problem. */
    record Seen(int port, String method, String path, int status, String code) {
    }

    private final List<Seen> seen = new ArrayList<>();

    void add(int port, RawHttp.Request request, RawHttp.Response response) {
        String target = request.target();
        int query = target.indexOf('?');
        Seen s = new Seen(port, request.method(), query < 0 ? target : target.substring(0, query), response.status(),
                code(response));
        synchronized (seen) {
            seen.add(s);
        }
    }

    List<Seen> all() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private static String code(RawHttp.Response response) {
        if (!response.contentType().startsWith("application/problem+json") || response.body().length == 0) {
            return null;
        }
        try {
            JsonNode code = JSON.readTree(response.body()).get("code");
            return code == null || !code.isTextual() ? null : code.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
