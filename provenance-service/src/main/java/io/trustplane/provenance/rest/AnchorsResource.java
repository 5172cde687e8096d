package io.trustplane.provenance.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.security.Roles;
import io.trustplane.common.validation.Ids;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.service.AnchorService;
import io.trustplane.provenance.service.LeafEncoder;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /v1/anchors/ledger/{taskId}}: the anchors of a task's ledger entries as the signed leaves say them
 * (submitter, seq, hash read from the leaf bytes the checkpoints cover, not from a side table), for lease-service's
 * ledger verify.
 */
@Tag(name = "anchors",
        description = "Ledger anchors: which lease-service ledger entries were written into the log.")
@Path("/v1/anchors/ledger/{taskId}")
@Produces(MediaType.APPLICATION_JSON)
public class AnchorsResource {

    /** One anchored ledger entry. */
    public record LedgerAnchor(long seq, String hash, String submitter, UUID recordId, long leafIndex,
            long treeSize) {
    }

    private final AnchorService anchors;

    public AnchorsResource(AnchorService anchors) {
        this.anchors = anchors;
    }

    @Operation(summary = "A task ledger's anchors",
            description = "Each anchored ledger entry of the task (sequence, hash, submitter) with the log record and "
                    + "leaf index that anchor it.")
    @APIResponse(responseCode = "200", description = "The anchors")
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<LedgerAnchor>> ledger(@PathParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId) {
        return anchors.ledger(taskId).map(records -> records.stream().map(AnchorsResource::of).toList());
    }

    private static LedgerAnchor of(LogRecord r) {
        JsonNode leaf = LeafEncoder.tree(new String(r.leaf(), StandardCharsets.UTF_8));
        JsonNode data = leaf.at("/metadata/event/data");
        return new LedgerAnchor(data.path("seq").asLong(-1), data.path("hash").asText(null),
                leaf.at("/metadata/submitter").asText(null), r.id(), r.leafIndex(), r.checkpointSize());
    }
}
