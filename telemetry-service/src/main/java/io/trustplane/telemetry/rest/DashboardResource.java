package io.trustplane.telemetry.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.dashboard.DashboardConfig;
import io.trustplane.telemetry.domain.ingest.Series;
import io.trustplane.telemetry.service.RolloutGuard;
import io.trustplane.telemetry.service.StatsService;
import io.trustplane.telemetry.domain.rollout.RolloutTriggers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
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
 * What the operator dashboard needs beyond the public API: counter series for its charts and the rollout guard's
 * current cohort-versus-control figures.
 */
@Tag(name = "dashboard",
        description = "What the operator dashboard reads: time series, rollouts, and a narrow proxy to the other "
                + "services.")
@Path("/v1/dashboard")
public class DashboardResource {

    /** One side of a rollout over the guard's window. */
    public record SideView(long requests, long errors, double errorRate, double p95LatencyMs) {
        static SideView of(RolloutTriggers.Side s) {
            return new SideView(s.requests(), s.errors(), s.errorRate(), s.p95LatencyMs());
        }
    }

    /** One active rollout: its percent, both sides, and the reason the guard would roll it back now (or null). */
    public record RolloutView(String flag, int percent, SideView cohort, SideView control, String trigger) {
    }

    /** The guard's limits and every active rollout with samples in the window. */
    public record RolloutsView(long windowSeconds, long minRequests, double maxErrorRateDelta, double maxLatencyRatio,
            boolean autoRollback, List<RolloutView> items) {
    }

    private static final java.util.regex.Pattern COUNTER_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_.]{0,63}");

    private final StatsService stats;
    private final RolloutGuard rollouts;
    private final TelemetryConfig.Rollout guard;
    private final DashboardConfig config;

    public DashboardResource(StatsService stats, RolloutGuard rollouts, TelemetryConfig telemetry,
            DashboardConfig config) {
        this.stats = stats;
        this.rollouts = rollouts;
        this.guard = telemetry.rollout();
        this.config = config;
    }

    @Operation(summary = "Time series for the dashboard",
            description = "Per-bucket counts of a metric over a range, for the dashboard's charts.")
    @APIResponse(responseCode = "200", description = "The series")
    @GET
    @Path("/series")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Series> series(
            @QueryParam("name") @NotEmpty @Size(max = 8) List<String> name,
            @QueryParam("window") @DefaultValue("3600") @Min(60) @Max(172_800) int window,
            @QueryParam("step") @DefaultValue("60") @Min(10) @Max(86_400) int step) {
        for (String n : name) {
            if (n == null || !COUNTER_NAME.matcher(n).matches()) {
                throw ProblemException.badRequest("name", "each must match " + COUNTER_NAME.pattern());
            }
        }
        if ((long) window / step > config.seriesMaxPoints()) {
            throw ProblemException.badRequest("step", "window / step must be at most " + config.seriesMaxPoints()
                    + " points");
        }
        return stats.series(name.stream().distinct().toList(), window, step);
    }

    @Operation(summary = "Rollouts as the guard sees them",
            description = "The rollout guard's limits and every active rollout with cohort and control figures in the "
                    + "window.")
    @APIResponse(responseCode = "200", description = "The rollouts")
    @GET
    @Path("/rollouts")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<RolloutsView> rollouts() {
        RolloutTriggers.Limits limits = guard.limits();
        return rollouts.comparisons().map(list -> new RolloutsView(guard.window().toSeconds(),
                guard.minRequests(), guard.maxErrorRateDelta(), guard.maxLatencyRatio(), guard.autoRollback(),
                list.stream().map(c -> new RolloutView(c.flag(), c.percent(), SideView.of(c.cohort()),
                        SideView.of(c.control()),
                        RolloutTriggers.evaluate(c.percent(), c.cohort(), c.control(), limits).orElse(null))).toList()));
    }
}
