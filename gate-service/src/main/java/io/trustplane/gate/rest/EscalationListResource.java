package io.trustplane.gate.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.rest.EscalationResource.EscalationView;
import io.trustplane.gate.service.EscalationService;
import io.trustplane.gate.domain.EscalationStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The escalation queue in creation order (oldest first), keyset-paged, each with its quorum progress and votes.
 * {@code status} is OPEN (validators may vote), AWAITING_OPERATOR (the voting window passed), DECIDED (APPROVED or
 * REJECTED) or one of those two. Operators, admins, services and validators see every escalation; an agent its own.
 */
@Tag(name = "escalations",
        description = "Escalated decisions: validator votes up to a quorum, then the operator's final word.")
@Path("/v1/escalations")
@Produces(MediaType.APPLICATION_JSON)
public class EscalationListResource {

    private final EscalationService escalations;
    private final Caller caller;

    public EscalationListResource(EscalationService escalations, Caller caller) {
        this.escalations = escalations;
        this.caller = caller;
    }

    @Operation(summary = "List escalations",
            description = "The escalation queue in creation order, keyset-paged, each with its quorum progress and "
                    + "votes, filtered by status (OPEN, AWAITING_OPERATOR, DECIDED, APPROVED, REJECTED). An agent "
                    + "sees only its own escalations.")
    @APIResponse(responseCode = "200", description = "A page of escalations")
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Keyset.Page<EscalationView>> list(
            @QueryParam("status") @Pattern(regexp = "OPEN|AWAITING_OPERATOR|DECIDED|APPROVED|REJECTED",
                    message = "must be one of OPEN, AWAITING_OPERATOR, DECIDED, APPROVED, REJECTED") String status,
            @QueryParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @QueryParam("cursor") @Size(max = 256) String cursor,
            @QueryParam("limit") String limit) {
        String agent = agentId;
        if (!caller.isPrivileged() && !escalations.isValidator(caller.id())) {
            agent = agentId == null ? caller.id() : agentId;
            caller.requireActingFor(agent);
        }
        return escalations.list(statuses(status), agent, cursor, limit).map(page -> page.map(EscalationView::of));
    }

    private static List<EscalationStatus> statuses(String status) {
        if (status == null) {
            return null;
        }
        return "DECIDED".equals(status) ? List.of(EscalationStatus.APPROVED, EscalationStatus.REJECTED)
                : List.of(EscalationStatus.valueOf(status));
    }
}
