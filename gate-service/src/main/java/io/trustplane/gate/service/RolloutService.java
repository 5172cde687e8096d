package io.trustplane.gate.service;

import io.trustplane.gate.domain.Buckets;
import io.trustplane.gate.domain.FlagStatus;
import io.trustplane.gate.domain.RolloutTrigger;
import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.config.GateConfig;
import io.trustplane.gate.domain.FlagChange;
import io.trustplane.gate.domain.FlagRecord;
import io.trustplane.gate.domain.FlagTransition;
import io.trustplane.gate.domain.RolloutRules;
import io.trustplane.gate.repository.FlagRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * Staged rollouts (seed 004): a flag climbs its stages (default 5→15→50→100 %), agents are in the cohort by
 * sticky hash bucket so the cohort only grows, and a rollback (by an admin, or by telemetry-service when a
 * stage's trigger fires) empties it. Every stage change is a {@code rollout.*} event and is anchored.
 */
@ApplicationScoped
public class RolloutService {

    private final Pool pool;
    private final FlagRepository repository;
    private final GateConfig.Rollout config;
    private final Outbox outbox;
    private final GateCaches caches;
    private final IdempotentTransactions transactions;

    public RolloutService(Pool pool, FlagRepository repository, GateConfig config, Outbox outbox, GateCaches caches,
            IdempotentTransactions transactions) {
        this.pool = pool;
        this.repository = repository;
        this.caches = caches;
        this.transactions = transactions;
        this.config = config.rollout();
        this.outbox = outbox;
    }

    /**
     * Whether an agent is in a flag's cohort right now; a contained agent is pinned to control ({@code enabled}
     * false whatever its bucket) until its containment is lifted.
     */
    public record Membership(String flag, String agentId, boolean enabled, int percent, FlagStatus status, int bucket,
            boolean pinnedToControl) {
    }

    public Uni<FlagRecord> get(String flag) {
        return repository.find(flag).onItem().ifNull().failWith(() -> ProblemException.notFound("flag", flag));
    }

    public Uni<List<FlagRecord>> list() {
        return repository.list();
    }

    public Uni<List<FlagChange>> history(String flag) {
        return get(flag).flatMap(f -> repository.history(flag));
    }

    public Uni<Membership> membership(String flag, String agentId) {
        return get(flag).flatMap(f -> caches.agents().get(agentId).map(agent -> {
            boolean pinned = agent != null && agent.contained();
            return new Membership(flag, agentId, !pinned && Buckets.enabled(flag, agentId, f.percent()), f.percent(),
                    f.status(), Buckets.bucket(flag, agentId), pinned);
        }));
    }

    /** Default triggers for the given stages: seed 004's percentages, the final stage on SLA breach. */
    public List<RolloutTrigger> defaultTriggers(List<Integer> stages) {
        return RolloutRules.defaultTriggers(stages, config.responseTimeTriggers(), config.errorRateTriggers(),
                config.finalStageTrigger());
    }

    public Uni<FlagRecord> create(String flag, String description, List<Integer> stages, List<RolloutTrigger> triggers,
            String actor) {
        List<Integer> s = stages == null || stages.isEmpty() ? config.stages() : stages;
        ProblemException invalid = RolloutRules.invalidStages(s);
        if (invalid != null) {
            return Uni.createFrom().failure(invalid);
        }
        List<RolloutTrigger> t = triggers == null || triggers.isEmpty() ? defaultTriggers(s) : triggers;
        invalid = RolloutRules.invalidTriggers(s, t);
        if (invalid != null) {
            return Uni.createFrom().failure(invalid);
        }
        return transactions.withTransaction(pool, conn -> repository.insert(conn, flag, description, s, t)
                .flatMap(f -> f == null
                        ? Uni.createFrom().<FlagTransition>failure(ProblemException.conflict("flag_exists",
                                "flag '" + flag + "' already exists"))
                        : repository.recordChange(conn, f, "CREATED", 0, f.percent(), null, actor)
                                .map(c -> new FlagTransition(f, c)))
                .call(tr -> event(conn, RolloutEvent.CREATED, tr))).map(this::announce);
    }

    public Uni<FlagRecord> advance(String flag, String actor) {
        return transition(flag, "ADVANCED", null, actor, RolloutRules::advance, RolloutEvent.ADVANCED);
    }

    public Uni<FlagRecord> rollback(String flag, String reason, String actor) {
        return transition(flag, "ROLLED_BACK", reason, actor, RolloutRules::rollback, RolloutEvent.ROLLED_BACK);
    }

    public Uni<FlagRecord> pause(String flag, boolean pause, String actor) {
        return transition(flag, pause ? "PAUSED" : "RESUMED", null, actor, f -> RolloutRules.pause(f, pause),
                pause ? RolloutEvent.PAUSED : RolloutEvent.RESUMED);
    }

    /** Applies {@code change} (a rule that answers the flag's new stage and status, or throws) to the locked flag. */
    private Uni<FlagRecord> transition(String flag, String action, String reason, String actor,
            Function<FlagRecord, FlagRecord> change, RolloutEvent kind) {
        return transactions.withTransaction(pool, conn -> repository.lock(conn, flag)
                .flatMap(before -> {
                    if (before == null) {
                        return Uni.createFrom().<FlagTransition>failure(ProblemException.notFound("flag", flag));
                    }
                    FlagRecord wanted = change.apply(before);
                    return repository.update(conn, wanted).flatMap(after -> repository.recordChange(conn, after, action,
                            before.percent(), after.percent(), reason, actor).map(c -> new FlagTransition(after, c)));
                })
                .call(tr -> event(conn, kind, tr))).map(this::announce);
    }

    /** The rollout change events; each is written to the outbox in the change's transaction and anchored. */
    private enum RolloutEvent {
        CREATED, ADVANCED, ROLLED_BACK, PAUSED, RESUMED;

        DomainEvent of(FlagRecord f, FlagChange c) {
            String flag = f.flag();
            String status = f.status().name();
            return switch (this) {
                case CREATED -> new DomainEvent.RolloutCreated(flag, c.fromPercent(), c.toPercent(), status,
                        f.stageIndex(), c.actor(), c.reason());
                case ADVANCED -> new DomainEvent.RolloutAdvanced(flag, c.fromPercent(), c.toPercent(), status,
                        f.stageIndex(), c.actor(), c.reason());
                case ROLLED_BACK -> new DomainEvent.RolloutRolledBack(flag, c.fromPercent(), c.toPercent(), status,
                        f.stageIndex(), c.actor(), c.reason());
                case PAUSED -> new DomainEvent.RolloutPaused(flag, c.fromPercent(), c.toPercent(), status,
                        f.stageIndex(), c.actor(), c.reason());
                case RESUMED -> new DomainEvent.RolloutResumed(flag, c.fromPercent(), c.toPercent(), status,
                        f.stageIndex(), c.actor(), c.reason());
            };
        }
    }

    private Uni<Void> event(SqlConnection conn, RolloutEvent kind, FlagTransition t) {
        return outbox.write(conn, Outbox.event(t.flag().flag(), kind.of(t.flag(), t.change())));
    }

    private FlagRecord announce(FlagTransition t) {
        transactions.afterCommit(outbox::committed);
        return t.flag();
    }
}
