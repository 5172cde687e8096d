package io.trustplane.provenance.rest;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.common.validation.Ids;
import io.trustplane.provenance.domain.AnchorClaims;
import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.service.ProvenanceService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Provenance records: create (returns once integrated and signed), read, list, lineage and inclusion proofs. */
@Tag(name = "provenance",
        description = "Provenance records: what an agent did, appended to a hash-chained, signed Merkle log, with "
                + "lineage and inclusion proofs.")
@Path("/v1/provenance")
public class ProvenanceResource {

    private final ProvenanceService service;
    private final Caller caller;

    public ProvenanceResource(ProvenanceService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    /**
     * Paged records and one signed checkpoint whose tree includes every record of the page: verify any of them
     * with its inclusion proof at that checkpoint's size ({@code /v1/provenance/{id}/proof?treeSize=}). Each record
     * names the checkpoint that first included it by {@code treeSize} ({@code /v1/log/checkpoint?size=}).
     */
    public record PageView(List<RecordView> items, String nextCursor,
            @JsonSerialize(using = NoteSerializer.class) String checkpoint) {
    }

    /**
     * The record and its ancestors, the record itself first and the root last; an ancestor the caller may not read
     * is a placeholder ({@code id}, {@code redacted: true}).
     */
    public record LineageView(UUID id, int length, List<RecordView> chain) {
    }

    /** An RFC 9162 inclusion proof (hashes base64, leaf to root). */
    public record InclusionView(UUID id, long leafIndex, long treeSize, String leafHash, String rootHash,
            List<String> hashes, @JsonSerialize(using = NoteSerializer.class) String checkpoint) {
    }

    @Operation(summary = "Record provenance",
            description = "Appends a record (type, subject, optional parent and metadata) for the calling agent to "
                    + "the log. It is integrated into the Merkle tree at the next checkpoint; its inclusion proof is "
                    + "then available. Send an Idempotency-Key to make a retry safe.")
    @APIResponse(responseCode = "201", description = "The record",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RecordView.class)))
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @APIResponse(responseCode = "422",
            description = "`unknown_parent`: the parent record does not exist; `reserved_for_services`: this record "
                    + "type or metadata is written by services only; `foreign_source`: the metadata names another "
                    + "agent's source")
    @Idempotent(Idempotent.Store.LINKED)
    @POST
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<RestResponse<RecordView>> create(@Valid @NotNull CreateRecordRequest request) {
        caller.requireActingFor(request.agentId());
        CreationType type = type(request.creationType());
        Map<String, Object> metadata = AnchorClaims.check(caller.id(), caller.has(Roles.SERVICE), type,
                request.metadata());
        // an agent may name as parent only a record it may read (its own); privileged callers any record
        String parentOwner = caller.isPrivileged() ? null : caller.id();
        return service.create(request.agentId(), type, request.parentId(), parentOwner, request.contentHash(),
                metadata).map(r -> RestResponse.status(Response.Status.CREATED, RecordView.of(r)));
    }

    @Operation(summary = "List provenance records",
            description = "Records in log order, keyset-paged, filtered by agentId and a time range. An agent sees "
                    + "only its own records.")
    @APIResponse(responseCode = "200", description = "A page of records")
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<PageView> list(@QueryParam("agentId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("creationType") String creationType,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        String agent = agentId;
        if (!caller.isPrivileged()) {
            agent = agentId == null ? caller.id() : agentId;
            caller.requireActingFor(agent);
        }
        return service.list(agent, type(creationType), instant("from", from), instant("to", to), cursor, limit)
                .map(page -> new PageView(page.items().stream().map(RecordView::listed).toList(), page.nextCursor(),
                        page.checkpoint()));
    }

    @Operation(summary = "Get a record",
            description = "One record with its leaf index once integrated.")
    @APIResponse(responseCode = "200", description = "The record")
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<RecordView> get(@PathParam("id") String id) {
        return service.get(uuid(id)).map(this::readable).map(RecordView::of);
    }

    @Operation(summary = "A record's lineage",
            description = "The chain from the record up through its parents to the root record.")
    @APIResponse(responseCode = "200", description = "The record and its ancestors")
    @GET
    @Path("/{id}/lineage")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<LineageView> lineage(@PathParam("id") String id) {
        UUID uuid = uuid(id);
        return service.lineage(uuid).map(chain -> {
            readable(chain.get(0));
            // ancestors the caller may not read (another agent's, linked by a privileged caller or before parents
            // were checked) are placeholders: the chain keeps its length and order, not their content
            return new LineageView(uuid, chain.size(), chain.stream()
                    .map(r -> caller.mayActFor(r.agentId()) ? RecordView.of(r) : RecordView.redacted(r.id()))
                    .toList());
        });
    }

    @Operation(summary = "Inclusion proof of a record",
            description = "The RFC 9162 inclusion proof of the record in the tree of treeSize (the latest checkpoint "
                    + "by default): leaf hash, root hash and the audit path, base64. Verify it against a signed "
                    + "checkpoint (docs/verification.md).")
    @APIResponse(responseCode = "200", description = "The inclusion proof")
    @APIResponse(responseCode = "503",
            description = "`not_yet_integrated`: the record is not in a checkpoint yet, retry after `Retry-After`; "
                    + "`dependency_unavailable`: PostgreSQL or Redis is unreachable")
    @GET
    @Path("/{id}/proof")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<InclusionView> proof(@PathParam("id") String id, @QueryParam("treeSize") Long treeSize) {
        Base64.Encoder b64 = Base64.getEncoder();
        return service.inclusion(uuid(id), treeSize).map(p -> new InclusionView(readable(p.record()).id(),
                p.record().leafIndex(), p.treeSize(), b64.encodeToString(p.record().leafHash()),
                b64.encodeToString(p.root()), p.hashes().stream().map(b64::encodeToString).toList(),
                p.checkpoint()));
    }

    /** Agents read only their own records; everyone else reads all. */
    private LogRecord readable(LogRecord record) {
        caller.requireActingFor(record.agentId());
        return record;
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("id", "must be a UUID");
        }
    }

    static CreationType type(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return CreationType.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("creationType", "must be one of " + List.of(CreationType.values()));
        }
    }

    static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "must be an RFC 3339 UTC instant like 2026-01-31T12:00:00Z");
        }
    }
}
