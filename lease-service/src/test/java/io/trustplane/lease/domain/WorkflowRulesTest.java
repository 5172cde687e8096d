package io.trustplane.lease.domain;

import io.trustplane.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkflowRulesTest {

    @Test
    void transitionsAreClassifiedByDistance() {
        assertThat(TransitionKind.of(Phase.PLAN, Phase.THINK)).isEqualTo(TransitionKind.FORWARD);
        assertThat(TransitionKind.of(Phase.PLAN, Phase.IMPLEMENT)).isEqualTo(TransitionKind.SKIP);
        assertThat(TransitionKind.of(Phase.PLAN, Phase.STRATEGIZE)).isEqualTo(TransitionKind.BACKTRACK);
        assertThat(TransitionKind.of(Phase.PLAN, Phase.PLAN)).isEqualTo(TransitionKind.SAME);
    }

    @Test
    void driftSeverityFollowsThePhase() {
        assertThat(Phase.VERIFY.driftSeverity()).isEqualTo(DriftSeverity.HIGH);
        assertThat(Phase.REVIEW.driftSeverity()).isEqualTo(DriftSeverity.HIGH);
        assertThat(Phase.MONITOR.driftSeverity()).isEqualTo(DriftSeverity.HIGH);
        assertThat(Phase.STRATEGIZE.driftSeverity()).isEqualTo(DriftSeverity.LOW);
        assertThat(Phase.PLAN.driftSeverity()).isEqualTo(DriftSeverity.LOW);
        assertThat(Phase.THINK.driftSeverity()).isEqualTo(DriftSeverity.MEDIUM);
        assertThat(Phase.PR.driftSeverity()).isEqualTo(DriftSeverity.MEDIUM);
    }

    @Test
    void theEvidenceGateListsWhatIsMissing() {
        EvidenceGate gate = new EvidenceGate(Map.of(Phase.IMPLEMENT, List.of("diff", "build")));
        assertThat(gate.missing(Phase.IMPLEMENT, List.of("diff"))).containsExactly("build");
        assertThat(gate.missing(Phase.IMPLEMENT, List.of("build", "diff", "extra"))).isEmpty();
        assertThat(gate.missing(Phase.MONITOR, List.of())).isEmpty();
    }

    @Test
    void theSpecHashIgnoresListOrderButNothingElse() {
        PromptSpec a = new PromptSpec(Phase.SPEC, "t1", List.of("b", "a"), List.of("g"), List.of(), "ctx", "p", "coder", "m1");
        PromptSpec b = new PromptSpec(Phase.SPEC, "t1", List.of("a", "b"), List.of("g"), null, "ctx", "p", "coder", "m1");
        assertThat(a.specHash()).isEqualTo(b.specHash()).hasSize(64);
        assertThat(new PromptSpec(Phase.PLAN, "t1", List.of("a", "b"), List.of("g"), List.of(), "ctx", "p", "coder", "m1")
                .specHash()).isNotEqualTo(a.specHash());
        assertThat(new PromptSpec(Phase.SPEC, "t1", List.of("a", "b"), List.of("g"), List.of(), "ctx", "p", "coder", "m2")
                .specHash()).isNotEqualTo(a.specHash());
    }

    @Test
    void unknownPhasesAreRefusedNamingTheField() {
        assertThat(Phase.parse("phase", "verify")).isEqualTo(Phase.VERIFY);
        assertThatThrownBy(() -> Phase.parse("phase", "DAYDREAM")).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).errors().get(0).field()).isEqualTo("phase"));
    }
}
