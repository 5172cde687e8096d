package io.trustplane.telemetry.domain.ingest;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effects of a batch of fresh events folded into one write per kind, with the result the events would have had
 * applied one at a time in batch order: an agent keeps the last tier and score the batch gave it, a lease the state
 * of its last event, the log its largest size. Rollout changes stay a list in batch order (each one's outcome depends
 * on the row before it); alerts are not folded here. Keys are sorted so two consumers lock rows in one order.
 */
public record BatchEffects(
        List<CounterRow> counters,
        List<ScoreSample> scores,
        List<AgentState> agents,
        List<String> leasesAcquired,
        List<String> leasesEnded,
        Optional<Long> logSize,
        List<EventEffects.RolloutChange> rollouts,
        List<Sample> samples) {

    /** One fresh event: its id, time (null: now) and effects. */
    public record Event(String id, OffsetDateTime at, EventEffects fx) {
    }

    /** A trust-score sample of an agent. */
    public record ScoreSample(String agentId, OffsetDateTime at, double score, String eventId) {
    }

    /** An agent's last tier and score in the batch; null: the batch did not say (the stored value stays). */
    public record AgentState(String agentId, String tier, Double score) {
    }

    /** A rollout sample with the event it came in. */
    public record Sample(EventEffects.RolloutSample sample, OffsetDateTime at, String eventId) {
    }

    /** Folds the events, given in batch order. */
    public static BatchEffects of(List<Event> events) {
        List<CounterRow> counters = new ArrayList<>();
        List<ScoreSample> scores = new ArrayList<>();
        Map<String, AgentState> agents = new TreeMap<>();
        Map<String, Boolean> leases = new TreeMap<>(); // lease id -> active after its last event
        Long logSize = null;
        List<EventEffects.RolloutChange> rollouts = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Event e : events) {
            EventEffects fx = e.fx();
            String agent = fx.agentId();
            for (EventEffects.Increment i : fx.increments()) {
                counters.add(new CounterRow(i.name(), "", e.at(), i.value()));
                if (i.perAgent() && agent != null) {
                    counters.add(new CounterRow(i.name(), agent, e.at(), i.value()));
                }
            }
            if (agent != null && fx.score().isPresent()) {
                scores.add(new ScoreSample(agent, e.at(), fx.score().get(), e.id()));
            }
            if (agent != null && (fx.score().isPresent() || fx.tier().isPresent())) {
                AgentState before = agents.get(agent);
                agents.put(agent, new AgentState(agent,
                        fx.tier().orElse(before == null ? null : before.tier()),
                        fx.score().orElse(before == null ? null : before.score())));
            }
            // acquired before ended, as one event carrying both was applied
            fx.leaseAcquired().ifPresent(id -> leases.put(id, true));
            fx.leaseEnded().ifPresent(id -> leases.put(id, false));
            if (fx.logSize().isPresent()) {
                logSize = logSize == null ? fx.logSize().get() : Math.max(logSize, fx.logSize().get());
            }
            fx.rollout().ifPresent(rollouts::add);
            fx.rolloutSample().ifPresent(s -> samples.add(new Sample(s, e.at(), e.id())));
        }
        List<String> acquired = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        leases.forEach((id, active) -> (active ? acquired : ended).add(id));
        return new BatchEffects(counters, scores, List.copyOf(agents.values()), acquired, ended,
                Optional.ofNullable(logSize), rollouts, samples);
    }
}
