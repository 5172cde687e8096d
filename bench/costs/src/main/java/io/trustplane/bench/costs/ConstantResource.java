package io.trustplane.bench.costs;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The ceiling's constant JSON answer, served three ways: unauthenticated, behind an RS256 bearer token, and with
 * one log line per request, so each cross-cutting piece is the only difference between two measurements.
 */
@Path("/constant")
@Produces(MediaType.APPLICATION_JSON)
public class ConstantResource {

    private static final Logger LOG = Logger.getLogger(ConstantResource.class);
    private static final Map<String, Object> BODY = Map.of("decision", "ALLOW", "layer", "BASIS",
            "reason", "constant", "ruleId", "none");

    @GET
    @PermitAll
    public Map<String, Object> constant() {
        return BODY;
    }

    @GET
    @Path("/jwt")
    @RolesAllowed("agent")
    public Map<String, Object> withToken() {
        return BODY;
    }

    /** One INFO line with context per request, the way a service logs a decision. */
    @GET
    @Path("/logged")
    @PermitAll
    public Map<String, Object> logged() {
        LOG.infof("decision agentId=%s role=%s decision=%s layer=%s", "agent-00042", "DATA_ANALYST", "ALLOW", "BASIS");
        return BODY;
    }
}
