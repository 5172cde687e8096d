package io.trustplane.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.LogVerifier;
import io.trustplane.client.Model.Counter;
import io.trustplane.client.Model.CreationType;
import io.trustplane.client.Model.Decision;
import io.trustplane.client.Model.Evaluation;
import io.trustplane.client.Model.Evidence;
import io.trustplane.client.Model.LocalLedgerCheck;
import io.trustplane.client.Model.NewRecord;
import io.trustplane.client.Model.ToolCall;
import io.trustplane.client.Model.ToolCallDecision;
import io.trustplane.client.Model.VerifiedRecord;
import io.trustplane.client.TaskSession;
import io.trustplane.client.TrustplaneClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quickstart's agent journey through the Java SDK, as {@code docs/quickstart.md} shows it: an operator registers
 * the agent; the agent checks a tool call, creates a task, takes its lease, moves it two phases with evidence,
 * records provenance verified locally against the pinned log key, re-hashes its task's ledger, reports a counter,
 * claims a tier it does not have and sees the alert that raises. The regions between {@code tag::} and
 * {@code end::} comments are the doc's snippets (a test holds them equal).
 */
public final class Quickstart {

    /** Where the suite is and who calls it: the same environment variables as the doc's curl section. */
    public record Settings(String lease, String provenance, String gate, String telemetry, String operatorToken,
            String agentToken, String agent, String task, String logKey, Duration alertWait) {

        /** From {@code LEASE}, {@code PROVENANCE}, {@code GATE}, {@code TELEMETRY}, {@code TOKEN}, ... */
        public static Settings fromEnvironment() {
            return new Settings(env("LEASE"), env("PROVENANCE"), env("GATE"), env("TELEMETRY"), env("TOKEN"),
                    env("AGENT_TOKEN"), env("AGENT"), env("TASK"), System.getenv("LOG_KEY"), Duration.ofSeconds(60));
        }

        private static String env(String name) {
            String value = System.getenv(name);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("set " + name + " (docs/quickstart.md says how)");
            }
            return value;
        }
    }

    /** What the journey left behind, for the reader (and the test) to look up through the REST API. */
    public record Outcome(String decisionId, String phase, long fencingToken, VerifiedRecord record,
            LocalLedgerCheck ledger, int countersAccepted, Decision claimedTier, JsonNode alert) {
    }

    private Quickstart() {
    }

    public static void main(String[] args) {
        Outcome outcome = run(Settings.fromEnvironment());
        System.out.println("task " + outcome.phase() + ", record " + outcome.record().record().id() + " verified ("
                + outcome.record().summary() + "), ledger " + (outcome.ledger().valid() ? "whole" : "BROKEN")
                + ", alert " + outcome.alert().path("kind").asText());
    }

    public static Outcome run(Settings s) {
        // tag::register[]
        try (TrustplaneClient operator = TrustplaneClient.builder()
                .lease(s.lease()).provenance(s.provenance()).gate(s.gate()).telemetry(s.telemetry())
                .token(s.operatorToken()).build()) {
            operator.gate().registerAgent(s.agent(), 500);                 // score 500: tier VERIFIED
        }
        // end::register[]

        // tag::client[]
        try (TrustplaneClient tp = TrustplaneClient.builder()
                .lease(s.lease()).provenance(s.provenance()).gate(s.gate()).telemetry(s.telemetry())
                .token(s.agentToken())                                     // the agent acts only as itself
                .deadline(Duration.ofSeconds(30))                          // per call, retries included
                .build()) {
            // end::client[]
            // tag::check[]
            ToolCallDecision check = tp.gate().checkToolCall(
                    ToolCall.of(s.agent(), "read_file", Map.of("path", "/repo/README.md")));
            if (!check.allowed()) {
                throw new IllegalStateException("the guard said " + check.decision() + ": " + check.reason());
            }
            // end::check[]

            // tag::task[]
            tp.tasks().create(s.task(), "Ship the quickstart", null);
            String phase;
            long fencingToken;
            try (TaskSession work = tp.tasks().session(s.task(), 120,
                    (lease, reason, detail) -> System.err.println("lease lost: " + reason + " " + detail))) {
                work.advance(Evidence.of("strategy", "mem:strategy", bytes("fix the docs first")));  // -> SPEC
                work.advance(Evidence.of("spec", "mem:spec", bytes("every line is run by a test")));  // -> PLAN
                phase = work.task().phase().name();
                fencingToken = work.lease().fencingToken();
            }                                                              // releases the PLAN lease
            // end::task[]

            // tag::provenance[]
            String logKey = s.logKey() != null ? s.logKey() : tp.provenance().key();  // pin it from config
            LogVerifier log = LogVerifier.pinned(logKey);
            VerifiedRecord record = tp.provenance().record(new NewRecord(s.agent(), CreationType.FRESH, null,
                    "sha256:" + sha256Hex("the quickstart's artifact"), Map.of("task", s.task())), log);
            LocalLedgerCheck ledger = tp.tasks().verifyLedgerLocally(s.task());    // re-hashed here
            // end::provenance[]

            // tag::telemetry[]
            int accepted = tp.telemetry().report(s.agent(), List.of(Counter.of("tool_calls", 1))).accepted();
            // end::telemetry[]

            // tag::alert[]
            Decision claimed = tp.gate().evaluate(new Evaluation(s.agent(), "OBSERVER", "TRUSTED",
                    new Evaluation.Context("docs", "read")));                // DENY: kernel:claimed-tier
            JsonNode alert = awaitAlert(tp, "BOUNDARY_TESTING", s.alertWait());
            // end::alert[]
            return new Outcome(check.decisionId(), phase, fencingToken, record, ledger, accepted, claimed, alert);
        }
    }

    /** Polls the agent's own alerts (the rules run every second) until one of {@code kind} is active. */
    private static JsonNode awaitAlert(TrustplaneClient tp, String kind, Duration wait) {
        Instant until = Instant.now().plus(wait);
        while (true) {
            Optional<JsonNode> alert = tp.telemetry().alerts("ACTIVE", null, null).items().stream()
                    .filter(a -> kind.equals(a.path("kind").asText())).findFirst();
            if (alert.isPresent()) {
                return alert.get();
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("no " + kind + " alert within " + wait);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the alert", e);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes(text)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
