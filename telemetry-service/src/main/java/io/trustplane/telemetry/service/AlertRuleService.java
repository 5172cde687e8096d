package io.trustplane.telemetry.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.telemetry.domain.alert.AlertRule;
import io.trustplane.telemetry.repository.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * Alert rule administration: built-in rules stay (409 {@code builtin_rule}), ids are unique (409 {@code rule_exists}),
 * and every change makes {@link RuleEngine} reload its rules before its next pass. Each call is one Hibernate
 * Reactive session or transaction (Panache), opened on the request's Vert.x context.
 */
@ApplicationScoped
public class AlertRuleService {

    private final RuleRepository rules;
    private final RuleEngine engine;

    public AlertRuleService(RuleRepository rules, RuleEngine engine) {
        this.rules = rules;
        this.engine = engine;
    }

    public Uni<List<AlertRule>> list() {
        return Panache.withSession(rules::all);
    }

    public Uni<Optional<AlertRule>> find(String id) {
        return Panache.withSession(() -> rules.find(id));
    }

    /** Stores a new rule; 409 when one with its id exists. */
    public Uni<AlertRule> create(AlertRule rule) {
        return Panache.withTransaction(() -> rules.insert(rule))
                // a concurrent insert of the same id won the primary key: the same answer as finding it
                .onFailure(RuleRepository::isDuplicateId).recoverWithItem(Optional.empty())
                .map(o -> {
                    AlertRule created = o.orElseThrow(() -> ProblemException.conflict("rule_exists",
                            "an alert rule '" + rule.id() + "' already exists"));
                    engine.invalidate();
                    return created;
                });
    }

    /** Replaces a rule, if it exists. */
    public Uni<Optional<AlertRule>> update(AlertRule rule) {
        return Panache.withTransaction(() -> rules.update(rule)).invoke(engine::invalidate);
    }

    /** Deletes a custom rule; 404 when unknown, 409 for a built-in one. */
    public Uni<Void> delete(String id) {
        return Panache.withTransaction(() -> rules.find(id).flatMap(found -> {
            AlertRule rule = found.orElseThrow(() -> ProblemException.notFound("alert rule", id));
            if (rule.builtin()) {
                throw ProblemException.conflict("builtin_rule", "built-in rule '" + id
                        + "' cannot be deleted; disable it with PUT enabled=false");
            }
            return rules.deleteCustom(id);
        })).invoke(engine::invalidate).replaceWithVoid();
    }
}
