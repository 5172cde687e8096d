package io.trustplane.gate.service;

import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.Containment;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.events.UuidV7;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.client.LeaseClient;
import io.trustplane.gate.repository.AgentRepository;
import io.trustplane.gate.repository.EscalationRepository;
import io.trustplane.gate.repository.FlagRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Containment: one operator action that stops an agent. From the commit on, every gate decision for it is DENY
 * (evaluate, ceiling checks, tool calls, its approvals) and it is pinned to control in every flag; its leases are
 * force-released by lease-service (their fencing tokens go stale) and its open approvals revoked. The
 * {@code agent.contained} event, written in the same transaction, is the anchored record of everything done and
 * raises telemetry's CONTAINMENT alert. Containing a contained agent does nothing again, except complete a step
 * that failed before (lease-service unreachable). Lifting restores decisions and flags and says what stays done.
 */
@ApplicationScoped
public class ContainmentService {

    private static final Logger LOG = Logger.getLogger(ContainmentService.class);
    static final String LEASES_STEP = "leases";

    private final Pool pool;
    private final AgentRepository agents;
    private final EscalationRepository escalations;
    private final FlagRepository flags;
    private final LeaseClient leases;
    private final GateCaches caches;
    private final Outbox outbox;

    public ContainmentService(Pool pool, AgentRepository agents, EscalationRepository escalations,
            FlagRepository flags, LeaseClient leases, GateCaches caches, Outbox outbox) {
        this.pool = pool;
        this.agents = agents;
        this.escalations = escalations;
        this.flags = flags;
        this.leases = leases;
        this.caches = caches;
        this.outbox = outbox;
    }

    /** Something a lift could not undo, and why. */
    public record NotUndone(String what, String why) {
    }

    /** A lifted containment: the agent after it, what was undone and what was not. */
    public record Lift(AgentSnapshot agent, List<String> undone, List<NotUndone> notUndone) {
    }

    public Uni<AgentSnapshot> contain(String agentId, String reason, String actor) {
        return agents.find(agentId).flatMap(agent -> {
            if (agent == null) {
                return Uni.createFrom().failure(ProblemException.notFound("agent", agentId));
            }
            if (agent.contained() && agent.containment().complete()) {
                return Uni.createFrom().item(agent);
            }
            String why = agent.contained() ? agent.containment().reason() : reason;
            return leases.forceReleaseHolder(agentId, "containment of " + agentId + ": " + why)
                    .map(StepResult::done)
                    .onFailure().recoverWithItem(f -> {
                        LOG.warnf("containment of %s: lease-service did not release its leases: %s", agentId,
                                f.toString());
                        return StepResult.failed(f.getMessage() == null ? f.toString() : f.getMessage());
                    })
                    .flatMap(step -> contain(agentId, reason, actor, why, step))
                    .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                    .map(c -> announce(c, agentId));
        });
    }

    /**
     * Contains the agent under its row lock: unless it is contained already with every step done, revokes its open
     * approvals (open escalations, and approved ones not used yet), reads the flags it is pinned to control in (every
     * flag not rolled back) and stores the containment with its {@code agent.contained} event. Null when the agent is
     * not registered.
     */
    private Uni<Contained> contain(String agentId, String reason, String actor, String why, StepResult step) {
        return pool.withTransaction(conn -> agents.lock(conn, agentId).flatMap(before -> {
            if (before == null) {
                return Uni.createFrom().<Contained>nullItem();
            }
            if (before.contained() && before.containment().complete()) {
                return Uni.createFrom().item(new Contained(before, false));
            }
            return escalations.revokeApprovals(conn, agentId, actor, "revoked by the containment of " + agentId
                            + ": " + why)
                    .flatMap(revoked -> flags.notRolledBack(conn).flatMap(active -> {
                        Containment after = containment(before.containment(), reason, actor, step, revoked, active);
                        return agents.setContainment(conn, agentId, after)
                                .call(a -> outbox.write(conn, contained(a)))
                                .map(a -> new Contained(a, true));
                    }));
        }));
    }

    /** A containment's outcome: the agent after it, and whether this call changed anything. */
    private record Contained(AgentSnapshot agent, boolean changed) {
    }

    /** A lifted containment: the agent after it and the containment it had. */
    private record Lifted(AgentSnapshot agent, Containment lifted) {
    }

    public Uni<Lift> lift(String agentId, String reason, String actor) {
        // lease-service first lets the holder take leases again; if it cannot be reached the lift still happens here
        // and says what is left
        return leases.liftHolder(agentId).map(lifted -> StepResult.done(List.of()))
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("lift of %s: lease-service did not lift the holder's containment: %s", agentId,
                            f.toString());
                    return StepResult.failed(f.getMessage() == null ? f.toString() : f.getMessage());
                })
                .flatMap(step -> lift(agentId, reason, actor, step));
    }

    private Uni<Lift> lift(String agentId, String reason, String actor, StepResult leaseStep) {
        return pool.withTransaction(conn -> agents.lock(conn, agentId).flatMap(before -> {
                    if (before == null) {
                        return Uni.createFrom().<Lifted>nullItem();
                    }
                    Containment had = before.containment();
                    if (had == null) {
                        throw ProblemException.conflict("agent_not_contained", "agent '" + agentId
                                + "' is not contained; there is nothing to lift").with("contained", false);
                    }
                    return agents.setContainment(conn, agentId, null).map(a -> new Lifted(a, had))
                            .call(l -> {
                                Lift lift = lift(l, leaseStep);
                                return outbox.write(conn, Outbox.event(agentId, new DomainEvent.AgentContainmentLifted(
                                        reason, actor, lift.undone(), lift.notUndone().stream()
                                        .map(n -> n.what() + ": " + n.why()).toList())));
                            });
                }))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                .map(l -> {
                    caches.agentChanged(agentId);
                    outbox.committed();
                    LOG.infof("containment of %s lifted by %s: %s", agentId, actor, reason);
                    return lift(l, leaseStep);
                });
    }

    /** What the lease step did: the leases released, or why it failed. */
    private record StepResult(List<String> released, String failure) {

        static StepResult done(List<String> released) {
            return new StepResult(released, null);
        }

        static StepResult failed(String why) {
            return new StepResult(List.of(), why);
        }
    }

    /** The containment to store: the first attempt's who/when/why, with everything every attempt did. */
    private static Containment containment(Containment prior, String reason, String actor, StepResult step,
            List<String> revoked, List<String> flags) {
        List<Containment.FailedStep> failed = step.failure() == null ? List.of()
                : List.of(new Containment.FailedStep(LEASES_STEP, "lease-service did not force-release the agent's "
                        + "leases (" + step.failure() + "); contain the agent again to retry"));
        String eventId = UuidV7.next().toString();
        if (prior == null) {
            return new Containment(reason, actor, Instant.now().truncatedTo(ChronoUnit.MILLIS), step.released(),
                    revoked, flags, failed, eventId);
        }
        return new Containment(prior.reason(), prior.containedBy(), prior.containedAt(),
                Containment.union(prior.leasesReleased(), step.released()),
                Containment.union(prior.approvalsRevoked(), revoked), Containment.union(prior.flagsPinned(), flags),
                failed, eventId);
    }

    /** The anchored record of the containment, carrying the id the containment names. */
    private static Outbox.Pending contained(AgentSnapshot a) {
        Containment c = a.containment();
        return new Outbox.Pending(c.eventId(), Instant.now().truncatedTo(ChronoUnit.MICROS), a.agentId(),
                new DomainEvent.AgentContained(c.reason(), c.containedBy(), c.leasesReleased(), c.approvalsRevoked(),
                        c.flagsPinned(), c.failedSteps().stream().map(f -> f.step() + ": " + f.why()).toList()));
    }

    private AgentSnapshot announce(Contained c, String agentId) {
        if (c.changed()) {
            caches.agentChanged(agentId);
            outbox.committed();
            Containment k = c.agent().containment();
            LOG.infof("agent %s contained by %s (%s): %d lease(s) released, %d approval(s) revoked, %d flag(s) pinned, "
                    + "failed steps %s", agentId, k.containedBy(), k.reason(), k.leasesReleased().size(),
                    k.approvalsRevoked().size(), k.flagsPinned().size(), k.failedSteps());
        }
        return c.agent();
    }

    private static Lift lift(Lifted l, StepResult leaseStep) {
        Containment had = l.lifted();
        List<String> undone = new ArrayList<>();
        undone.add("gate decisions follow the agent's tier and the policies again (evaluate, ceiling checks, "
                + "tool calls, approvals it is given from now on)");
        if (leaseStep.failure() == null) {
            undone.add("lease-service lets the agent acquire leases again");
        }
        if (!had.flagsPinned().isEmpty()) {
            undone.add("unpinned from the control arm of " + had.flagsPinned());
        }
        List<NotUndone> notUndone = new ArrayList<>();
        if (!had.leasesReleased().isEmpty()) {
            notUndone.add(new NotUndone("leases force-released " + had.leasesReleased(), "a released lease is not "
                    + "given back and its fencing token stays stale; the agent acquires new leases"));
        }
        if (!had.approvalsRevoked().isEmpty()) {
            notUndone.add(new NotUndone("approvals revoked " + had.approvalsRevoked(), "a revoked approval stays "
                    + "rejected; the agent asks again and a new escalation decides"));
        }
        if (leaseStep.failure() != null) {
            notUndone.add(new NotUndone("new leases", "lease-service did not lift the holder's containment ("
                    + leaseStep.failure() + "); it still refuses the agent's acquires until an operator sends POST "
                    + "/v1/leases/lift-holder {\"holder\": \"" + l.agent().agentId() + "\"} to lease-service"));
        }
        for (Containment.FailedStep f : had.failedSteps()) {
            notUndone.add(new NotUndone("step '" + f.step() + "' never completed", f.why()));
        }
        notUndone.add(new NotUndone("the CONTAINMENT alert and the anchored record " + had.eventId(), "the alert is "
                + "resolved by an operator in telemetry-service; the anchored record stays in the log"));
        return new Lift(l.agent(), undone, notUndone);
    }
}
