package io.trustplane.bench.ceiling;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** {@code GET /constant}: the cheapest JSON answer Quarkus REST can give, to measure the HTTP ceiling. */
@Path("/constant")
public class ConstantResource {

    private static final Map<String, Object> BODY = Map.of("decision", "ALLOW", "layer", "BASIS",
            "reason", "constant", "ruleId", "none");

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> constant() {
        return BODY;
    }
}
