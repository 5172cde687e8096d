package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import io.trustplane.common.openapi.ApiText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.Problem;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.domain.ingest.CounterLine;
import io.trustplane.telemetry.service.IngestQueue;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/events}: agents' own counters (their own series only) and, with the {@code service} role, a
 * pipeline's counter lines (also the global series the alert rules read), as a JSON batch or as seed 001's JSONL counter lines
 * ({@code application/x-ndjson}). 202 means the lines are stored in PostgreSQL; 429 + Retry-After when the
 * ingest queue is full (nothing of that request was taken).
 */
@Tag(name = "ingest",
        description = "Telemetry ingest: counter lines from agents and services, and rollout samples.")
// one operation in two content types: what it answers is documented once, for both methods
@APIResponse(responseCode = "202", description = "How many lines were accepted",
        content = @Content(schema = @Schema(implementation = EventsResource.Accepted.class)))
@APIResponse(responseCode = "409",
        description = ApiText.IDEMPOTENCY_CONFLICTS)
@APIResponse(responseCode = "429",
        description = "`ingest_queue_full`: the ingest queue is full; `rate_limited`: the caller's request budget "
                + "is spent; `Retry-After` says when to retry")
@APIResponse(responseCode = "503",
        description = "`shutting_down`: this replica is stopping, retry on another; `dependency_unavailable`: "
                + "PostgreSQL or Redis is unreachable; `Retry-After` says when to retry")
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    public static final String NDJSON = "application/x-ndjson";

    private static final String SUMMARY = "Report telemetry counters";
    private static final String DESCRIPTION = "Accepts a batch of counter lines (name, value, optional timestamp and "
            + "tags) for an agent, as a JSON batch or as JSON lines (application/x-ndjson); they feed the counters, the "
            + "alert rules and the detectors. Agents report only for themselves. Send an Idempotency-Key to make a "
            + "retry safe.";

    /** The answer to an accepted batch. */
    public record Accepted(String agentId, int accepted) {
    }

    private final IngestQueue queue;
    private final Caller caller;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final TelemetryConfig.Ingest config;

    public EventsResource(IngestQueue queue, Caller caller, ObjectMapper mapper, Validator validator,
            TelemetryConfig config) {
        this.queue = queue;
        this.caller = caller;
        this.mapper = mapper;
        this.validator = validator;
        this.config = config.ingest();
    }

    @Operation(summary = SUMMARY, description = DESCRIPTION)
    @Idempotent
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AGENT, Roles.ADMIN, Roles.SERVICE})
    public Uni<Response> postJson(@Valid @NotNull CounterBatchRequest batch) {
        String agentId = agentFor(batch.agentId(), "agentId");
        List<CounterLine> lines = new ArrayList<>();
        for (int i = 0; i < batch.counters().size(); i++) {
            lines.add(toLine(batch.counters().get(i), agentId, "counters[" + i + "]"));
        }
        return enqueue(agentId, lines);
    }

    @Operation(summary = SUMMARY, description = DESCRIPTION)
    @Idempotent
    @POST
    @Consumes(NDJSON)
    @RolesAllowed({Roles.AGENT, Roles.ADMIN, Roles.SERVICE})
    public Uni<Response> postNdjson(
            @QueryParam("agentId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentIdParam, String body) {
        String agentId = agentFor(agentIdParam, "agentId");
        List<CounterLine> lines = new ArrayList<>();
        String[] raw = body == null ? new String[0] : body.split("\r?\n");
        int lineNo = 0;
        for (String text : raw) {
            lineNo++;
            if (text.isBlank()) {
                continue;
            }
            String field = "lines[" + lineNo + "]";
            if (lines.size() >= config.maxBatch()) {
                throw ProblemException.badRequest("body", "at most " + config.maxBatch() + " lines per request");
            }
            CounterLineRequest req;
            try {
                req = mapper.readValue(text, CounterLineRequest.class);
            } catch (JsonProcessingException e) {
                throw ProblemException.badRequest(field, "is not a valid counter line (" + e.getOriginalMessage() + ")");
            }
            List<FieldViolation> errors = new ArrayList<>();
            for (ConstraintViolation<CounterLineRequest> v : validator.validate(req)) {
                errors.add(new FieldViolation(field + "." + v.getPropertyPath(), v.getMessage()));
            }
            if (!errors.isEmpty()) {
                errors.sort(Comparator.comparing(FieldViolation::field));
                throw new ProblemException(400, "invalid_request",
                        errors.get(0).field() + ": " + errors.get(0).message(), errors, Map.of());
            }
            lines.add(toLine(req, agentId, field));
        }
        if (lines.isEmpty()) {
            throw ProblemException.badRequest("body", "must hold at least one counter line");
        }
        return enqueue(agentId, lines);
    }

    private Uni<Response> enqueue(String agentId, List<CounterLine> lines) {
        IngestQueue.Offer offer = queue.offer(lines);
        if (offer.refusal() != null) {
            boolean full = offer.refusal() == IngestQueue.Refusal.FULL;
            int status = full ? 429 : 503;
            String code = full ? "ingest_queue_full" : "shutting_down";
            String detail = full ? "the ingest queue is full; retry after " + config.retryAfterSeconds() + " s"
                    : "the service is shutting down; retry on another replica";
            Problem p = new Problem(Problem.typeFor(code), full ? "Too Many Requests" : "Service Unavailable", status,
                    code, detail, "/v1/events", List.of(), Map.of("retryAfterSeconds", config.retryAfterSeconds()));
            return Uni.createFrom().item(Response.status(status).type(Problem.MEDIA_TYPE).entity(p)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(config.retryAfterSeconds())).build());
        }
        return Uni.createFrom().completionStage(offer.durable())
                .map(n -> Response.accepted(new Accepted(agentId, n)).build());
    }

    /** Agents post only for themselves; privileged callers name the agent (or post global counters). */
    private String agentFor(String requested, String field) {
        if (requested == null || requested.isBlank()) {
            if (caller.isPrivileged()) {
                throw ProblemException.badRequest(field, "must name the agent the counters belong to");
            }
            return caller.id();
        }
        caller.requireActingFor(requested);
        return requested;
    }

    private CounterLine toLine(CounterLineRequest r, String agentId, String field) {
        OffsetDateTime ts = r.timestamp();
        if (ts != null) {
            OffsetDateTime now = OffsetDateTime.now();
            if (ts.isBefore(now.minus(config.maxAge()))) {
                throw ProblemException.badRequest(field + ".timestamp", "is older than " + config.maxAge());
            }
            if (ts.isAfter(now.plus(config.maxSkew()))) {
                throw ProblemException.badRequest(field + ".timestamp", "lies in the future");
            }
        }
        String id = r.id() == null ? null : "counter:" + agentId + ":" + r.id();
        return new CounterLine(id, agentId, r.name(), r.value(), ts, r.tags() == null ? Map.of() : r.tags(),
                caller.has(Roles.SERVICE));
    }
}
