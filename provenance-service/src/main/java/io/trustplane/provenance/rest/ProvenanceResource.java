package io.trustplane.provenance.rest;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.provenance.service.AnchorClaims;
import io.trustplane.provenance.service.CreationType;
import io.trustplane.provenance.service.LogRecord;
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
import org.jboss.resteasy.reactive.RestResponse;

/** Provenance records: create (returns once integrated and signed), read, list, lineage and inclusion proofs. */
@Path("/v1/provenance")
public class ProvenanceResource {

    private final ProvenanceService service;
    private final Caller caller;

    public ProvenanceResource(ProvenanceService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** Paged records. */
    public record PageView(List<RecordView> items, String nextCursor) {
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

    @Idempotent
    @POST
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
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

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    public Uni<PageView> list(@QueryParam("agentId") @Pattern(regexp = "[A-Za-z0-9._:-]{1,128}") String agentId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("creationType") String creationType,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        String agent = agentId;
        if (!caller.isPrivileged()) {
            agent = agentId == null ? caller.id() : agentId;
            caller.requireActingFor(agent);
        }
        return service.list(agent, type(creationType), instant("from", from), instant("to", to), cursor, limit)
                .map(page -> new PageView(page.items().stream().map(RecordView::of).toList(), page.nextCursor()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    public Uni<RecordView> get(@PathParam("id") String id) {
        return service.get(uuid(id)).map(this::readable).map(RecordView::of);
    }

    @GET
    @Path("/{id}/lineage")
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
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

    @GET
    @Path("/{id}/proof")
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
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
