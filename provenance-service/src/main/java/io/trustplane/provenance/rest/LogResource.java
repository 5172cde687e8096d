package io.trustplane.provenance.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Roles;
import io.trustplane.provenance.service.ProvenanceService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.Base64;
import java.util.List;

/** The log itself: the latest signed checkpoint, the verifier key and consistency proofs. */
@Tag(name = "log",
        description = "The signed Merkle log behind the records: checkpoints, keys, proofs, and the C2SP tlog-tiles "
                + "any standard client reads.")
@Path("/v1/log")
public class LogResource {

    private final ProvenanceService service;

    public LogResource(ProvenanceService service) {
        this.service = service;
    }

    /** An RFC 9162 consistency proof (hashes base64). */
    public record ConsistencyView(long from, long to, String fromRoot, String toRoot, List<String> hashes) {
    }

    @Operation(summary = "The latest checkpoint",
            description = "The latest signed checkpoint (tree size, root hash, signature) as a signed note; with "
                    + "final=true, the latest one cosigned by the witness quorum; with size, the one published at "
                    + "exactly that tree size (a record's treeSize names the checkpoint that first included it).")
    @APIResponse(responseCode = "200", description = "The checkpoint as a signed note",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404",
            description = "`not_found`: no checkpoint is cosigned by the witness quorum yet (final=true), or none was "
                    + "published at that size")
    @GET
    @Path("/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<String> checkpoint(@QueryParam("final") boolean finalOnly, @QueryParam("size") @Min(1) Long size) {
        if (size != null) {
            if (finalOnly) {
                throw ProblemException.badRequest("size", "cannot be combined with final=true");
            }
            return service.checkpointAt(size);
        }
        return service.publishedCheckpoint(finalOnly);
    }

    @Operation(summary = "The log's public key",
            description = "The key that signs checkpoints, as a note verifier key: pin it to verify proofs offline.")
    @APIResponse(responseCode = "200", description = "The verifier key",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @GET
    @Path("/key")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public String key() {
        return service.verifierKey();
    }

    @Operation(summary = "Consistency proof between two tree sizes",
            description = "The RFC 9162 consistency proof from tree size `from` to `to` (base64 hashes): proves the "
                    + "later tree extends the earlier one.")
    @APIResponse(responseCode = "200", description = "The consistency proof")
    @GET
    @Path("/consistency")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
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
