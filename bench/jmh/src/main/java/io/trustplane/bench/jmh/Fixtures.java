package io.trustplane.bench.jmh;

import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.domain.PromptSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Realistic inputs shared by the benchmarks: one task moving IMPLEMENT -> VERIFY with its evidence and prompt. */
final class Fixtures {

    static final String TASK_ID = "task-2026-0412-billing-retry";
    static final String AGENT_ID = "agent-impl-0042";
    static final String TIME = "2026-04-12T09:31:07.412345Z";
    static final String LEASE_ID = "0196290a-4c1e-7b3d-9a51-2f0c8e7d6b4a";

    private Fixtures() {
    }

    static Map<String, Object> evidence(String kind, String uri, String sha256) {
        return Map.of("kind", kind, "uri", uri, "sha256", sha256);
    }

    /** The data member of a TRANSITION ledger entry as TaskService.transition builds it. */
    static Map<String, Object> transitionData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", Phase.IMPLEMENT.name());
        data.put("to", Phase.VERIFY.name());
        data.put("kind", "FORWARD");
        data.put("fencingToken", 41L);
        data.put("evidence", List.of(
                evidence("diff", "git://repo/billing@4f1c2a9e:src/retry/Backoff.java",
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                evidence("build", "https://ci.example/builds/88213/log",
                        "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")));
        data.put("newFencingToken", 42L);
        data.put("leaseId", LEASE_ID);
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("specHash", "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b");
        attestation.put("baseline", false);
        attestation.put("drift", true);
        attestation.put("severity", "high");
        data.put("attestation", attestation);
        return data;
    }

    /** What an agent was told for VERIFY: a handful of requirements, gates and artifacts and a context summary. */
    static PromptSpec verifyPrompt(String modelVersion) {
        return new PromptSpec(Phase.VERIFY, TASK_ID,
                List.of("retries use exponential backoff capped at 30 s",
                        "a retried charge is never applied twice (idempotency key per attempt)",
                        "failures after the last retry are reported to the billing queue",
                        "backoff jitter is drawn from a seeded source in tests",
                        "configuration lives in application.properties"),
                List.of("unit tests pass", "mutation score >= 70%", "no new static-analysis findings"),
                List.of("src/retry/Backoff.java", "src/retry/RetryPolicy.java", "test/retry/BackoffTest.java",
                        "docs/billing-retries.md"),
                "The billing service retries failed card charges. Earlier phases settled on exponential backoff "
                        + "with full jitter, at most five attempts, and an idempotency key per attempt so that the "
                        + "payment provider deduplicates. VERIFY must show the tests and mutation score for the "
                        + "retry policy and that no charge is applied twice under concurrent retries.",
                "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c",
                "claude-code", modelVersion);
    }
}
