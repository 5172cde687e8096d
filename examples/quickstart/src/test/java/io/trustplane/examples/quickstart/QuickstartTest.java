package io.trustplane.examples.quickstart;

import io.trustplane.client.Model.ProvenanceRecord;
import io.trustplane.client.Phase;
import io.trustplane.client.TrustplaneClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The quickstart's Java journey runs against the packaged suite, and what it did is there through the REST API. */
@ExtendWith(QuickstartSuite.Extension.class)
class QuickstartTest {

    @Test
    void theJourneyRunsAndLeavesItsEffectsInTheServices(QuickstartSuite suite) {
        String agent = QuickstartSuite.unique("quickstart-java");
        String task = QuickstartSuite.unique("quickstart-java-task");

        Quickstart.Outcome outcome = Quickstart.run(suite.settings(agent, task));

        assertThat(outcome.phase()).isEqualTo("PLAN");
        assertThat(outcome.record().summary()).contains("signed by the log key");
        assertThat(outcome.ledger().valid()).isTrue();
        assertThat(outcome.ledger().entries()).isGreaterThanOrEqualTo(3);
        assertThat(outcome.countersAccepted()).isEqualTo(1);
        assertThat(outcome.claimedTier().decision()).isEqualTo("DENY");
        assertThat(outcome.claimedTier().ruleId()).isEqualTo("kernel:claimed-tier");
        assertThat(outcome.alert().path("agentId").asText()).isEqualTo(agent);

        try (TrustplaneClient operator = TrustplaneClient.builder()
                .lease(suite.url("lease")).provenance(suite.url("provenance")).gate(suite.url("gate"))
                .telemetry(suite.url("telemetry")).token(suite.tokens().operator()).build()) {
            assertThat(operator.gate().agent(agent).tier()).isEqualTo("VERIFIED");
            assertThat(operator.tasks().get(task).phase()).isEqualTo(Phase.PLAN);
            assertThat(operator.tasks().verifyLedger(task).entries()).isEqualTo(outcome.ledger().entries());
            ProvenanceRecord stored = operator.provenance().get(outcome.record().record().id());
            assertThat(stored.agentId()).isEqualTo(agent);
            assertThat(stored.metadata().path("task").asText()).isEqualTo(task);
            String alertId = outcome.alert().path("id").asText();
            assertThat(operator.telemetry().alert(alertId).path("kind").asText()).isEqualTo("BOUNDARY_TESTING");
        }
    }
}
