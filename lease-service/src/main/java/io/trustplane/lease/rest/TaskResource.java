package io.trustplane.lease.rest;

import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.validation.Ids;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.lease.rest.TaskRequests.CreateTask;
import io.trustplane.lease.rest.TaskRequests.PromptBody;
import io.trustplane.lease.rest.TaskRequests.Transition;
import io.trustplane.lease.domain.Actor;
import io.trustplane.lease.domain.LedgerChain;
import io.trustplane.lease.domain.LedgerVerification;
import io.trustplane.lease.domain.LedgerEntry;
import io.trustplane.lease.service.LedgerService;
import io.trustplane.lease.domain.PromptSpec;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.domain.Task;
import io.trustplane.lease.domain.TaskListing;
import io.trustplane.lease.service.TaskService;
import io.trustplane.lease.domain.Evidence;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Tasks, their phase transitions and their hash-chained ledger. */
@Tag(name = "tasks",
        description = "Tasks, their phase workflow with evidence gates, and their hash-chained ledger.")
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

    @Operation(summary = "Create a task",
            description = "Creates a task in its first phase. The task id is chosen by the caller (or generated); "
                    + "creating an existing id is refused. Send an Idempotency-Key to make a retry safe.")
    @APIResponse(responseCode = "201", description = "The task",
            content = @Content(schema = @Schema(implementation = Task.class)))
    @APIResponse(responseCode = "409",
            description = "`task_exists`: a task with this id exists; " + ApiText.IDEMPOTENCY_CONFLICTS)
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
    @Operation(summary = "List tasks",
            description = "Tasks in creation order, keyset-paged (pass the previous page's nextCursor as cursor), "
                    + "filtered by agent (creator or current holder), phase, status (LEASED or UNLEASED) and "
                    + "updatedSince (RFC 3339). An agent sees only its own tasks.")
    @APIResponse(responseCode = "200", description = "A page of tasks")
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

    @Operation(summary = "Get a task",
            description = "One task with its phase, status and lease. An agent sees only its own tasks.")
    @APIResponse(responseCode = "200", description = "The task")
    @GET
    @Path("/{taskId}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Task> get(@PathParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId) {
        return tasks.get(taskId);
    }

    /** Moves the task; the response carries the new lease and its fencing token. */
    @Operation(summary = "Move a task to another phase",
            description = "Moves the task from its phase to the next one (or back for a rework), under the caller's "
                    + "lease on the current phase and its fencing token, with the evidence the target phase requires "
                    + "(kinds per phase are in docs/concepts.md). The answer carries the lease on the new phase and "
                    + "its fencing token; the move is appended to the task's ledger.")
    @APIResponse(responseCode = "200", description = "The transition, the task after it and the new lease",
            content = @Content(schema = @Schema(implementation = ResponseBodies.TransitionView.class)))
    @APIResponse(responseCode = "403",
            description = "`forbidden`: the caller's role does not allow this route, or an agent names another agent; "
                    + "`not_lease_holder`: the lease is held by another agent")
    @APIResponse(responseCode = "409",
            description = "`lease_required`: the caller holds no live lease on the current phase; "
                    + "`stale_fencing_token`: a newer lease was issued; `phase_lease_contention`: another agent holds "
                    + "the target phase; `same_phase`: the task is already in that phase; `phase_skip`: the target is "
                    + "not a next phase; `strategize_skipped`: the STRATEGIZE phase may not be skipped here; "
                    + "`lease_expired`: the lease lapsed; `holder_contained`: an operator contained the agent; "
                    + ApiText.IDEMPOTENCY_CONFLICTS)
    @APIResponse(responseCode = "422",
            description = "`evidence_gate_failed`: the evidence does not satisfy the target phase's gate (the problem "
                    + "lists what is `missing`)")
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{taskId}/transitions")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<ResponseBodies.TransitionView> transition(
            @PathParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @Valid @NotNull Transition body) {
        PromptBody a = body.attestation();
        PromptSpec spec = a == null ? null : new PromptSpec(body.to(), taskId, a.requirements(), a.qualityGates(),
                a.artifacts(), a.contextSummary(), a.personaHash(), a.agentType(), a.modelVersion());
        List<Evidence> evidence = body.evidence() == null ? null
                : body.evidence().stream().map(TaskRequests.Evidence::toDomain).toList();
        return tasks.transition(actor(), taskId, body.to(), evidence, spec, body.fencingToken())
                .map(ResponseBodies.TransitionView::of);
    }

    @Operation(summary = "Export a task's ledger",
            description = "Every ledger entry of the task, oldest first, each hash-chained to the one before: as "
                    + "JSON, or as JSON lines with format=jsonl or Accept: application/x-ndjson, for verification "
                    + "offline.")
    @APIResponse(responseCode = "200", description = "The ledger entries",
            content = @Content(schema = @Schema(implementation = ResponseBodies.LedgerView.class)))
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
                : Response.ok(new ResponseBodies.LedgerView(taskId, entries), MediaType.APPLICATION_JSON).build());
    }

    @Operation(summary = "Verify a task's ledger",
            description = "Recomputes the hash chain of the task's ledger and says whether it is intact, and where it "
                    + "breaks if not.")
    @APIResponse(responseCode = "200", description = "The verification result")
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
}
