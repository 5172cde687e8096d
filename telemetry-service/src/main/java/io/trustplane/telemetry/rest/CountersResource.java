package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.domain.ingest.CounterTotal;
import io.trustplane.telemetry.service.CounterService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * {@code GET /v1/counters[/{name}]?window=&agentId=}: window sums of the counters (global series, or one agent's:
 * per-agent detail lives here, never in metric labels). Agents read only their own series.
 */
@Tag(name = "counters",
        description = "Counters: sums of reported telemetry over a window, globally or per agent.")
@Path("/v1/counters")
@Produces(MediaType.APPLICATION_JSON)
public class CountersResource {

    /** One counter's sum over the window. */
    public record CounterValue(String name, String agentId, int windowSeconds, long value) {
    }

    private final CounterService counters;
    private final Caller caller;

    public CountersResource(CounterService counters, Caller caller) {
        this.counters = counters;
        this.caller = caller;
    }

    @Operation(summary = "All counters over a window",
            description = "Every counter's total over the last window seconds, for an agent (an agent only for "
                    + "itself) or across agents.")
    @APIResponse(responseCode = "200", description = "The totals",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY,
                    implementation = CounterTotal.class)))
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<CounterTotal>> all(@QueryParam("window") @DefaultValue("300") @Min(1) @Max(172_800) int window,
            @QueryParam("agentId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentId) {
        return counters.totals(scope(agentId), window);
    }

    @Operation(summary = "One counter over a window",
            description = "One counter's sum over the last window seconds, for an agent or across agents.")
    @APIResponse(responseCode = "200", description = "The counter")
    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<CounterValue> one(@PathParam("name") @Pattern(regexp = "[a-z][a-z0-9_.]{0,63}") String name,
            @QueryParam("window") @DefaultValue("300") @Min(1) @Max(172_800) int window,
            @QueryParam("agentId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentId) {
        String scope = scope(agentId);
        return counters.total(name, scope, window)
                .map(v -> new CounterValue(name, scope.isEmpty() ? null : scope, window, v));
    }

    private String scope(String agentId) {
        if (agentId != null) {
            caller.requireActingFor(agentId);
            return agentId;
        }
        return caller.isPrivileged() ? "" : caller.id();
    }
}
