package io.trustplane.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.Layer;
import io.trustplane.gate.domain.Verdict;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.DriftSeverity;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.service.ProvenanceService;
import io.trustplane.testing.log.Rfc9162;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each benchmark method called once, in-process and on small trees, so a broken fixture fails the build
 * rather than a benchmark run; no timing is asserted.
 */
class BenchmarksSmokeTest {

    private static final String HEX64 = "[0-9a-f]{64}";

    @Test
    void ledgerAppendChainsEachEntryToThePreviousHash() {
        LedgerBench b = new LedgerBench();
        b.setup();
        String first = b.appendHash();
        String second = b.appendHash();
        assertThat(first).matches(HEX64);
        assertThat(second).matches(HEX64).isNotEqualTo(first);
    }

    @Test
    void attestationOfAnotherModelVersionIsAHighDriftInVerify() {
        AttestationBench b = new AttestationBench();
        b.setup();
        AttestationResult r = b.specHashAndDrift();
        assertThat(r.specHash()).matches(HEX64).isNotEqualTo(r.baselineHash());
        assertThat(r.drift()).isTrue();
        assertThat(r.severity()).isEqualTo(DriftSeverity.HIGH);
    }

    @Test
    void gateDecidesByBasisWhenNoRuleMatchesAndByTheMatchingRuleOtherwise() {
        GateBench b = new GateBench();
        b.setup();
        Verdict basis = b.basisAfterFullScan();
        assertThat(basis.decision()).isEqualTo(Decision.ALLOW);
        assertThat(basis.layer()).isEqualTo(Layer.BASIS);
        Verdict policy = b.policyMatch();
        assertThat(policy.decision()).isEqualTo(Decision.ESCALATE);
        assertThat(policy.layer()).isEqualTo(Layer.POLICY);
        assertThat(policy.reason()).contains("rule 7");
    }

    @Test
    void integratingABatchGrowsTheTreeByTheBatch() {
        MerkleIntegrateBench b = new MerkleIntegrateBench();
        b.batch = 64;
        b.treeSize = 1001;
        b.setup();
        Merkle.Appended a = b.integrateBatch();
        assertThat(a.size()).isEqualTo(1065);
        assertThat(a.root()).hasSize(32);
        assertThat(a.nodes()).hasSizeGreaterThanOrEqualTo(64);
    }

    @Test
    void inclusionProofsVerifyAgainstTheRootAndNotAgainstAnother() {
        MerkleProofBench b = new MerkleProofBench();
        b.treeSize = 1001;
        b.setup();
        ProvenanceService.Inclusion proof = b.prove();
        assertThat(proof.treeSize()).isEqualTo(1001);
        assertThat(proof.hashes()).isNotEmpty();
        assertThat(b.verify()).isTrue();
        long m = 7;
        assertThat(Rfc9162.verifyInclusion(m, 1001, Merkle.leafHash(SyntheticTree.leaf(m)),
                proof.hashes(), proof.root())).isFalse();
    }

    @Test
    void signedCheckpointVerifiesAndATamperedOneDoesNot() throws Exception {
        CheckpointBench b = new CheckpointBench();
        b.setup();
        String note = b.sign();
        assertThat(note).startsWith(CheckpointBench.ORIGIN + "\n1000256\n")
                .contains("\n\n\u2014 " + CheckpointBench.ORIGIN + " ");
        assertThat(b.verify()).isTrue();
        assertThat(b.verifyNote(note.replace("\n1000256\n", "\n1000257\n"))).isFalse();
    }

    @Test
    void reportPutsSeedFiguresNextToOurs() throws Exception {
        String json = "[{\"jmhVersion\":\"1.37\",\"benchmark\":\"io.trustplane.bench.jmh.LedgerBench.appendHash\","
                + "\"mode\":\"sample\",\"forks\":1,\"threads\":1,\"primaryMetric\":{\"score\":2.0,\"scoreUnit\":\"us/op\","
                + "\"scorePercentiles\":{\"50.0\":1.5,\"99.0\":3.0}}}]";
        String md = JmhReport.render(new ObjectMapper().readTree(json), "0.10, 0.20, 0.30", "0.40, 0.50, 0.60");
        assertThat(md).contains("| `LedgerBench.appendHash` |", "| 1.50 | 3.00 | 500,000 |", "60.0 / 150",
                "×40.0, ×50.0", "before: 0.10, 0.20, 0.30");
    }

    @Test
    void keptResultDropsTheRawSamplesAndKeepsThePercentiles() throws Exception {
        String json = "[{\"benchmark\":\"x.Y.z\",\"primaryMetric\":{\"score\":2.0,\"scorePercentiles\":{\"50.0\":1.5},"
                + "\"rawDataHistogram\":[[[1.5,10]]]},\"secondaryMetrics\":{\"gc\":{\"rawData\":[[1.0]]}}}]";
        String kept = JmhReport.withoutRawData(new ObjectMapper().readTree(json)).toString();
        assertThat(kept).contains("\"scorePercentiles\":{\"50.0\":1.5}").doesNotContain("rawData");
    }
}
