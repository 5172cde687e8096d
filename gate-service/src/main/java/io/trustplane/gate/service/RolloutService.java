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
import io.trustplane.gate.repository.InTransaction;
import io.trustplane.gate.repository.FlagRepository;
import io.trustplane.gate.repository.FlagRepository.FlagRecord;
import io.trustplane.gate.repository.FlagRepository.Transition;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Staged rollouts (seed 004): a flag climbs its stages (default 5→15→50→100 %), agents are in the cohort by
 * sticky hash bucket so the cohort only grows, and a rollback (by an admin, or by telemetry-service when a
 * stage's trigger fires) empties it. Every stage change is a {@code rollout.*} event and is anchored.
 */
@ApplicationScoped
public class RolloutService {

    private final FlagRepository repository;
    private final GateConfig.Rollout config;
    private final Outbox outbox;
    private final GateCaches caches;
    private final IdempotentTransactions transactions;

    public RolloutService(FlagRepository repository, GateConfig config, Outbox outbox, GateCaches caches,
            IdempotentTransactions transactions) {
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

    public Uni<List<FlagRepository.FlagChange>> history(String flag) {
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
        List<RolloutTrigger> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            boolean last = i == stages.size() - 1;
            Integer rt = last ? null : at(config.responseTimeTriggers(), i);
            Integer er = last ? null : at(config.errorRateTriggers(), i);
            out.add(new RolloutTrigger(stages.get(i), rt, er, last ? config.finalStageTrigger() : null));
        }
        return out;
    }

    public Uni<FlagRecord> create(String flag, String description, List<Integer> stages, List<RolloutTrigger> triggers,
            String actor) {
        List<Integer> s = stages == null || stages.isEmpty() ? config.stages() : stages;
        for (int i = 0; i < s.size(); i++) {
            int p = s.get(i);
            if (p < 1 || p > 100 || (i > 0 && p <= s.get(i - 1))) {
                return Uni.createFrom().failure(ProblemException.unprocessable("invalid_stages", "stages",
                        "stages must be strictly increasing percentages within 1..100"));
            }
        }
        List<RolloutTrigger> t = triggers == null || triggers.isEmpty() ? defaultTriggers(s) : triggers;
        if (t.size() != s.size()) {
            return Uni.createFrom().failure(ProblemException.unprocessable("invalid_triggers", "triggers",
                    "one trigger per stage is required (" + s.size() + " stages)"));
        }
        return repository.create(flag, description, s, t, actor, event(RolloutEvent.CREATED)).map(this::announce);
    }

    public Uni<FlagRecord> advance(String flag, String actor) {
        return repository.transition(flag, "ADVANCED", null, actor, f -> switch (f.status()) {
            case PAUSED -> throw ProblemException.conflict("flag_paused", "flag '" + flag + "' is paused; resume it first");
            case COMPLETED -> throw ProblemException.conflict("flag_completed", "flag '" + flag + "' is fully rolled out");
            // after a rollback, advancing re-opens the stage that was rolled back
            case ROLLED_BACK -> with(f, f.stageIndex(), statusAt(f, f.stageIndex()));
            case ACTIVE -> with(f, f.stageIndex() + 1, statusAt(f, f.stageIndex() + 1));
        }, event(RolloutEvent.ADVANCED)).map(this::announce);
    }

    public Uni<FlagRecord> rollback(String flag, String reason, String actor) {
        return repository.transition(flag, "ROLLED_BACK", reason, actor, f -> {
            if (f.status() == FlagStatus.ROLLED_BACK) {
                throw ProblemException.conflict("flag_rolled_back", "flag '" + flag + "' is already rolled back");
            }
            return with(f, f.stageIndex(), FlagStatus.ROLLED_BACK);
        }, event(RolloutEvent.ROLLED_BACK)).map(this::announce);
    }

    public Uni<FlagRecord> pause(String flag, boolean pause, String actor) {
        return repository.transition(flag, pause ? "PAUSED" : "RESUMED", null, actor, f -> {
            if (pause && f.status() != FlagStatus.ACTIVE) {
                throw ProblemException.conflict("flag_not_active", "only an ACTIVE flag can be paused; it is " + f.status());
            }
            if (!pause && f.status() != FlagStatus.PAUSED) {
                throw ProblemException.conflict("flag_not_paused", "flag '" + flag + "' is not paused");
            }
            return with(f, f.stageIndex(), pause ? FlagStatus.PAUSED : FlagStatus.ACTIVE);
        }, event(pause ? RolloutEvent.PAUSED : RolloutEvent.RESUMED)).map(this::announce);
    }

    private static FlagStatus statusAt(FlagRecord f, int index) {
        if (index >= f.stages().size()) {
            throw ProblemException.conflict("flag_completed", "flag '" + f.flag() + "' has no further stage");
        }
        return index == f.stages().size() - 1 && f.stages().get(index) == 100 ? FlagStatus.COMPLETED : FlagStatus.ACTIVE;
    }

    private static FlagRecord with(FlagRecord f, int index, FlagStatus status) {
        return new FlagRecord(f.flag(), f.description(), f.stages(), index, status, f.triggers(), f.version(),
                f.createdAt(), f.updatedAt());
    }

    private static Integer at(List<Integer> list, int i) {
        return i < list.size() ? list.get(i) : list.isEmpty() ? null : list.get(list.size() - 1);
    }

    /** The rollout change events; each is written to the outbox in the change's transaction and anchored. */
    private enum RolloutEvent {
        CREATED, ADVANCED, ROLLED_BACK, PAUSED, RESUMED;

        DomainEvent of(FlagRecord f, FlagRepository.FlagChange c) {
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

    private InTransaction<Transition> event(
            RolloutEvent kind) {
        return (conn, t) -> outbox.write(conn, Outbox.event(t.flag().flag(), kind.of(t.flag(), t.change())));
    }

    private FlagRecord announce(Transition t) {
        transactions.afterCommit(outbox::committed);
        return t.flag();
    }
}
