package io.trustplane.bench.jmh;

import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.DriftSeverity;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.domain.PromptSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Prompt attestation, in-process part: the spec bound to the task's target phase (as TaskService.attest does),
 * its canonical hash, and the drift decision against the active baseline with the phase's severity (as
 * AttestationRepository.attest decides once it has read the baseline). The submitted prompt names another model
 * version than the baseline, so this is the drift path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AttestationBench {

    private PromptSpec submitted;
    private String baselineHash;

    @Setup
    public void setup() {
        submitted = Fixtures.verifyPrompt("model-2026-03");
        baselineHash = Fixtures.verifyPrompt("model-2026-01").specHash();
    }

    @Benchmark
    public AttestationResult specHashAndDrift() {
        Phase to = Phase.VERIFY;
        PromptSpec bound = new PromptSpec(to, Fixtures.TASK_ID, submitted.requirements(), submitted.qualityGates(),
                submitted.artifacts(), submitted.contextSummary(), submitted.personaHash(), submitted.agentType(),
                submitted.modelVersion());
        String specHash = bound.specHash();
        boolean drift = !baselineHash.equals(specHash);
        DriftSeverity severity = drift ? to.driftSeverity() : null;
        return new AttestationResult(null, Fixtures.TASK_ID, to, specHash, false, 1, baselineHash, drift, severity);
    }
}
