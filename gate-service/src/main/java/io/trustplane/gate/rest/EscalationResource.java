package io.trustplane.gate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.domain.EscalationRecord;
import io.trustplane.gate.domain.Vote;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.service.EscalationService;
import io.trustplane.gate.domain.EscalationStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Escalations: validators (callers whose id is in {@code trustplane.gate.escalation.validators}, whatever their
 * role) vote; operators and admins decide directly, which is the only way once the voting window has passed.
 */
@Tag(name = "escalations",
        description = "Escalated decisions: validator votes up to a quorum, then the operator's final word.")
@Path("/v1/escalations/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EscalationResource {

    private final EscalationService escalations;
    private final Caller caller;

    public EscalationResource(EscalationService escalations, Caller caller) {
        this.escalations = escalations;
        this.caller = caller;
    }

    /** A validator's vote. */
    public record VoteRequest(@NotNull Boolean approve, @Size(max = 1024) String reason) {
    }

    /** An operator's decision: ALLOW or DENY. */
    public record DecisionRequest(
            @NotNull @Pattern(regexp = "ALLOW|DENY", message = "must be ALLOW or DENY") String decision, @Size(max = 1024) String note) {
    }

    /** An escalation as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EscalationView(String id, String evaluationId, String agentId, String role, String tier,
            String resourceId, String action, String reason, EscalationStatus status, int n, int f, int approvalsNeeded,
            long approvals, long rejections, Instant deadline, String decision, String decidedBy, String decisionNote,
            Instant createdAt, Instant decidedAt, List<Vote> votes) {

        static EscalationView of(EscalationRecord e) {
            return new EscalationView(e.id().toString(), e.evaluationId().toString(), e.agentId(), e.role(), e.tier(),
                    e.resourceId(), e.action(), e.reason(), e.status(), e.n(), e.f(), 2 * e.f() + 1, e.approvals(),
                    e.rejections(), e.deadline(), e.decision(), e.decidedBy(), e.decisionNote(), e.createdAt(),
                    e.decidedAt(), e.votes());
        }
    }

    @Operation(summary = "Get an escalation",
            description = "One escalation with its quorum progress and votes. The agent it concerns, validators and "
                    + "operators may read it.")
    @APIResponse(responseCode = "200", description = "The escalation")
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<EscalationView> get(@PathParam("id") String id) {
        return escalations.get(uuid(id)).map(e -> {
            if (!escalations.isValidator(caller.id())) {
                caller.requireActingFor(e.agentId());
            }
            return EscalationView.of(e);
        });
    }

    @Operation(summary = "Vote on an escalation (validator)",
            description = "A validator approves or rejects the escalated action. When the quorum of approvals (or of "
                    + "rejections) is reached the escalation is decided; a validator votes once.")
    @APIResponse(responseCode = "200", description = "The escalation after the vote")
    @APIResponse(responseCode = "403",
            description = "`forbidden`: the caller is not a validator for this escalation, or is the agent it "
                    + "concerns")
    @APIResponse(responseCode = "409",
            description = "`escalation_closed`: the escalation is decided or its voting window passed; "
                    + "`duplicate_vote`: this validator already voted; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/votes")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<EscalationView> vote(@PathParam("id") String id, @Valid @NotNull VoteRequest request) {
        return escalations.vote(uuid(id), caller.id(), request.approve(), request.reason()).map(EscalationView::of);
    }

    @Operation(summary = "Decide an escalation (operator)",
            description = "An operator approves or rejects the escalation, whatever the votes, with a reason.")
    @APIResponse(responseCode = "200", description = "The decided escalation")
    @APIResponse(responseCode = "409",
            description = "`escalation_closed`: the escalation is already decided; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/decision")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<EscalationView> decide(@PathParam("id") String id, @Valid @NotNull DecisionRequest request) {
        return escalations.decide(uuid(id), Decision.valueOf(request.decision()) == Decision.ALLOW, caller.id(), request.note())
                .map(EscalationView::of);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("id", "must be a UUID");
        }
    }
}
