package io.trustplane.lease.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.lease.rest.TaskRequests.CreateTask;
import io.trustplane.lease.rest.TaskRequests.PromptBody;
import io.trustplane.lease.rest.TaskRequests.Transition;
import io.trustplane.lease.service.Actor;
import io.trustplane.lease.service.LedgerChain;
import io.trustplane.lease.service.LedgerVerification;
import io.trustplane.lease.service.LedgerEntry;
import io.trustplane.lease.service.LedgerService;
import io.trustplane.lease.service.PromptSpec;
import io.trustplane.lease.service.Phase;
import io.trustplane.lease.service.Task;
import io.trustplane.lease.service.TaskListing;
import io.trustplane.lease.service.TaskService;
import io.trustplane.lease.service.TransitionResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tasks, their phase transitions and their hash-chained ledger. */
@Path("/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TaskResource {

    static final String NDJSON = "application/x-ndjson";

    private final TaskService tasks;
    private final LedgerService ledgers;
    private final Caller caller;
    private final ObjectMapper mapper;

    public TaskResource(TaskService tasks, LedgerService ledgers, Caller caller, ObjectMapper mapper) {
        this.tasks = tasks;
        this.ledgers = ledgers;
        this.caller = caller;
        this.mapper = mapper;
    }

    private Actor actor() {
        return Actors.of(caller);
    }

    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Response> create(@Valid @NotNull CreateTask body) {
        return tasks.create(actor(), body.taskId(), body.title(), body.description(), body.startPhase())
                .map(t -> Response.status(201).entity(t).build());
    }

    /** A task in the list: the task and who holds its current phase. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskListView(String taskId, String title, String phase, String status, String holder,
            Long leaseExpiresInMs, String createdBy, long version, Instant createdAt, Instant updatedAt) {

        static TaskListView of(TaskListing l) {
            Task t = l.task();
            return new TaskListView(t.taskId(), t.title(), t.phase().name(), l.status().name(), l.holder(),
                    l.leaseExpiresInMs(), t.createdBy(), t.version(), t.createdAt(), t.updatedAt());
        }
    }

    /**
     * Tasks in creation order, keyset-paged ({@code cursor} from the previous page's {@code nextCursor}); filters:
     * {@code agent} (creator or current lease holder), {@code phase}, {@code status} (LEASED or UNLEASED),
     * {@code updatedSince} (RFC 3339). An agent sees its own tasks only.
     */
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Keyset.Page<TaskListView>> list(
            @QueryParam("agent") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agent,
            @QueryParam("phase") String phase,
            @QueryParam("status") @Pattern(regexp = "LEASED|UNLEASED", message = "must be LEASED or UNLEASED") String status,
            @QueryParam("updatedSince") String updatedSince,
            @QueryParam("cursor") @Size(max = 256) String cursor,
            @QueryParam("limit") String limit) {
        Phase p = phase == null ? null : Phase.parse("phase", phase);
        return tasks.list(actor(), agent, p, status == null ? null : TaskListing.Status.valueOf(status),
                        Keyset.instant("updatedSince", updatedSince), cursor, limit)
                .map(page -> page.map(TaskListView::of));
    }

    @GET
    @Path("/{taskId}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Task> get(@PathParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId) {
        return tasks.get(taskId);
    }

    /** Moves the task; the response carries the new lease and its fencing token. */
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{taskId}/transitions")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Map<String, Object>> transition(
            @PathParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @Valid @NotNull Transition body) {
        PromptBody a = body.attestation();
        PromptSpec spec = a == null ? null : new PromptSpec(body.to(), taskId, a.requirements(), a.qualityGates(),
                a.artifacts(), a.contextSummary(), a.personaHash(), a.agentType(), a.modelVersion());
        return tasks.transition(actor(), taskId, body.to(), body.evidence(), spec, body.fencingToken())
                .map(TaskResource::view);
    }

    @GET
    @Path("/{taskId}/ledger")
    @Produces({MediaType.APPLICATION_JSON, NDJSON})
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Response> ledger(
            @PathParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @QueryParam("format") @Pattern(regexp = "json|jsonl", message = "must be json or jsonl") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean jsonl = "jsonl".equals(format) || (format == null && accept != null && accept.contains(NDJSON));
        return ledgers.entries(taskId).map(entries -> jsonl
                ? Response.ok(lines(entries), NDJSON).build()
                : Response.ok(Map.of("taskId", taskId, "entries", entries), MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("/{taskId}/ledger/verify")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<LedgerVerification> verify(
            @PathParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId) {
        return ledgers.verify(taskId);
    }

    private String lines(List<LedgerEntry> entries) {
        StringBuilder sb = new StringBuilder();
        for (LedgerEntry e : entries) {
            try {
                sb.append(mapper.writeValueAsString(e)).append('\n');
            } catch (JsonProcessingException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> view(TransitionResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taskId", r.task().taskId());
        m.put("from", r.from().name());
        m.put("to", r.task().phase().name());
        m.put("kind", r.kind().name());
        m.put("task", r.task());
        m.put("lease", LeaseView.of(r.lease()));
        m.put("fencingToken", r.lease().fencingToken());
        m.put("ledgerEntry", Map.of("seq", r.ledgerEntry().seq(), "hash", r.ledgerEntry().hash()));
        if (r.attestation() != null) {
            m.put("attestation", r.attestation());
        }
        return m;
    }
}
