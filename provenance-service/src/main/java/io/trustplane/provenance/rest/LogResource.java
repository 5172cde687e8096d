package io.trustplane.provenance.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Roles;
import io.trustplane.provenance.service.ProvenanceService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.List;

/** The log itself: the latest signed checkpoint, the verifier key and consistency proofs. */
@Path("/v1/log")
public class LogResource {

    private final ProvenanceService service;

    public LogResource(ProvenanceService service) {
        this.service = service;
    }

    /** An RFC 9162 consistency proof (hashes base64). */
    public record ConsistencyView(long from, long to, String fromRoot, String toRoot, List<String> hashes) {
    }

    @GET
    @Path("/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    public Uni<String> checkpoint(@QueryParam("final") boolean finalOnly) {
        return service.publishedCheckpoint(finalOnly);
    }

    @GET
    @Path("/key")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    public String key() {
        return service.verifierKey();
    }

    @GET
    @Path("/consistency")
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    public Uni<ConsistencyView> consistency(@QueryParam("from") Long from, @QueryParam("to") Long to) {
        if (from == null) {
            throw ProblemException.badRequest("from", "is required");
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return service.consistency(from, to).map(c -> new ConsistencyView(c.from(), c.to(),
                b64.encodeToString(c.fromRoot()), b64.encodeToString(c.toRoot()),
                c.hashes().stream().map(b64::encodeToString).toList()));
    }
}
