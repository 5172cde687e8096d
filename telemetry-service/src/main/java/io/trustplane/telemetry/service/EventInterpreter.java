package io.trustplane.telemetry.service;

import io.trustplane.common.events.EventEnvelope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the events other services put on {@code tp:events} to counters and signals. The fields read are listed
 * per type in docs (telemetry-service/README.md, "Events read"); unknown types are only counted.
 */
public final class EventInterpreter {

    /** Phases of the work process in order (seed 001). */
    public static final List<String> PHASES = List.of("STRATEGIZE", "SPEC", "PLAN", "THINK", "IMPLEMENT", "VERIFY",
            "REVIEW", "PR", "MONITOR");

    private EventInterpreter() {
    }

    public static EventEffects interpret(EventEnvelope event) {
        Map<String, Object> data = event.data();
        String agentId = firstNonBlank(str(data.get("agentId")), event.subject());
        String type = event.type() == null ? "" : event.type();
        List<EventEffects.Increment> inc = new ArrayList<>();
        inc.add(new EventEffects.Increment("events." + type, 1, false));
        Optional<Double> score = Optional.empty();
        Optional<String> tier = Optional.empty();
        Optional<String> leaseAcquired = Optional.empty();
        Optional<String> leaseEnded = Optional.empty();
        Optional<Long> logSize = Optional.empty();
        Optional<EventEffects.GamingSignal> signal = Optional.empty();
        Optional<EventEffects.RolloutChange> rollout = Optional.empty();
        Optional<EventEffects.RolloutSample> sample = Optional.empty();

        switch (type) {
            case "prompt.drift_detected" -> {
                inc.add(global("prompt_drift_detected"));
                Severity.parse(data.get("severity")).ifPresent(s ->
                        inc.add(global("prompt_drift_detected." + s.name().toLowerCase(Locale.ROOT))));
            }
            case "evidence_gate.failed" -> {
                // the failed transition is one attempt, counted from its phase.validation_failed (not twice)
                inc.add(global("evidence_gate_failed"));
                inc.add(global("evidence_gate_checked"));
            }
            case "phase.transitioned" -> {
                inc.add(global("phase_transitions"));
                inc.add(global("phase_transition_attempts"));
                if ("FORWARD".equals(str(data.get("kind")))) {
                    inc.add(global("evidence_gate_checked")); // every forward move passed its evidence gate
                }
            }
            case "phase.validation_failed" -> {
                inc.add(global("phase_validations_failed"));
                inc.add(global("phase_transition_attempts"));
            }
            case "phase.backtracked" -> inc.add(global("phase_backtracks"));
            case "phase.strategize_skipped" -> {
                // lease-service's event for a task created past STRATEGIZE: a phase skip like any other
                inc.add(global("phase_skips_attempted"));
                inc.add(global("strategize_skipped"));
            }
            case "phase.skip_attempted" -> {
                inc.add(global("phase_skips_attempted"));
                if (skipsStrategize(data)) {
                    inc.add(global("strategize_skipped"));
                }
            }
            case "lease.contended" -> inc.add(global("phase_lease_contention"));
            case "lease.acquired" -> {
                inc.add(global("leases_acquired"));
                leaseAcquired = Optional.ofNullable(str(data.get("leaseId")));
            }
            case "lease.released", "lease.expired" -> {
                inc.add(global(type.equals("lease.released") ? "leases_released" : "leases_expired"));
                leaseEnded = Optional.ofNullable(str(data.get("leaseId")));
            }
            case "role_gate.allowed" -> inc.add(agent("role_gate_allowed"));
            case "role_gate.escalated" -> inc.add(agent("role_gate_escalated"));
            case "role_gate.denied" -> {
                inc.add(agent("role_gate_denied"));
                inc.add(agent("boundary_probes"));
            }
            case "escalation.decided" -> inc.add(global("escalations_decided"));
            case "ceiling.warning" -> {
                inc.add(agent("ceiling_warning"));
                inc.add(agent("boundary_probes"));
            }
            case "ceiling.breach" -> inc.add(agent("ceiling_breach"));
            case "gaming.signal" -> signal = GamingType.parse(data.get("signal"))
                    .map(t -> new EventEffects.GamingSignal(t, firstNonBlank(str(data.get("reason")),
                            "reported by " + event.source())));
            case "checkpoint.published" -> logSize = num(firstNonNull(data.get("treeSize"), data.get("size")))
                    .map(Double::longValue);
            // watched from the first stage: rollout.created puts the flag at its 5 % stage
            case "rollout.created", "rollout.advanced" -> rollout = Optional.ofNullable(str(data.get("flag")))
                    .map(f -> new EventEffects.RolloutChange(f,
                            num(firstNonNull(data.get("toPercent"), data.get("percent"), data.get("stage"))).map(Double::intValue).orElse(0),
                            true));
            case "rollout.rolled_back" -> rollout = Optional.ofNullable(str(data.get("flag")))
                    .map(f -> new EventEffects.RolloutChange(f, 0, false));
            case "rollout.metrics" -> {
                String flag = str(data.get("flag"));
                String cohort = str(data.get("cohort"));
                if (flag != null && cohort != null) {
                    sample = Optional.of(new EventEffects.RolloutSample(flag,
                            cohort.equalsIgnoreCase("cohort"),
                            num(data.get("requests")).map(Double::longValue).orElse(0L),
                            num(data.get("errors")).map(Double::longValue).orElse(0L),
                            num(data.get("p95LatencyMs")).orElse(0.0)));
                }
            }
            default -> {
                // counted under events.<type> only
            }
        }
        if (type.startsWith("agent.") || type.startsWith("trust.")) {
            score = num(firstNonNull(data.get("score"), data.get("trustScore"), data.get("newScore")));
            tier = Optional.ofNullable(str(firstNonNull(data.get("tier"), data.get("trustTier"))));
        }
        return new EventEffects(inc, score, tier, leaseAcquired, leaseEnded, logSize, signal, rollout, sample,
                agentId);
    }

    /**
     * STRATEGIZE is skipped when the phases jumped over include it: an explicit {@code data.skipped} list that
     * names it, or a task entering a later phase with no {@code from} phase at all.
     */
    static boolean skipsStrategize(Map<String, Object> data) {
        if (data.get("skipped") instanceof Collection<?> skipped
                && skipped.stream().anyMatch(p -> "STRATEGIZE".equalsIgnoreCase(String.valueOf(p)))) {
            return true;
        }
        String from = str(data.get("from"));
        String to = str(data.get("to"));
        boolean noFrom = from == null || from.equalsIgnoreCase("NONE");
        return noFrom && to != null && !to.equalsIgnoreCase("STRATEGIZE");
    }

    private static EventEffects.Increment global(String name) {
        return new EventEffects.Increment(name, 1, false);
    }

    private static EventEffects.Increment agent(String name) {
        return new EventEffects.Increment(name, 1, true);
    }

    static String str(Object o) {
        if (o == null) {
            return null;
        }
        String s = o.toString().trim();
        return s.isEmpty() ? null : s;
    }

    static Optional<Double> num(Object o) {
        if (o instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        if (o instanceof String s) {
            try {
                return Optional.of(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Object firstNonNull(Object... values) {
        for (Object v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null ? a : (b == null || b.isBlank() ? null : b);
    }
}
