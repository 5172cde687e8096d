package io.trustplane.chaos;

import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.log.C2spNote;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault injection against the whole suite, started once through the launcher: PostgreSQL restarted under load,
 * Redis restarted under load, {@code kill -9} of each service mid-load (provenance with a second replica taking
 * over the sequencer), and lease safety with two lease-service replicas and 1,000 contenders. Every answer is
 * judged ({@link Tally}), every acknowledged write is read back after recovery ({@link Workload#verify}), and
 * the counts go to the test output and {@code target/chaos-summary.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Client threads per workload, and the pause each takes after a step: modest load on two shared cores. */
    private static final int WORKERS = 3;
    private static final Duration PACE = Duration.ofMillis(40);
    private static final Duration RECOVERY = Duration.ofSeconds(120);

    private Suite suite;
    private Cluster cluster;
    /** Second replicas of provenance-service and lease-service, started with the suite. */
    private Suite.Running provenanceB;
    private Suite.Running leaseB;
    private LeaseSafety safety;
    private final Map<String, Long> faults = new LinkedHashMap<>();
    private final List<Workload> workloads = new ArrayList<>();
    private final List<StreamProbe> probes = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<Workload.Verification> verifications = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<ProcessHandle> processes = new ArrayList<>();
    private long started;
    private long violationsBefore;
    private int violationSamplesBefore;

    @BeforeAll
    void startSuite() throws Exception {
        started = System.nanoTime();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged before the chaos suite runs (the reactor builds the "
                    + "services first; alone: ./mvnw -DskipTests package)", spec.name()).isRegularFile();
        }
        Map<ServiceSpec, Integer> servicePorts = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> servicePorts.put(s, Infrastructure.freePort()));
        ports.addAll(servicePorts.values());
        Path state = Files.createTempDirectory("trustplane-chaos");
        Suite.Config config = new Suite.Config(ROOT, state, servicePorts, false, System.getenv(),
                Duration.ofSeconds(240));
        // entries a dead member left pending are claimed after 2 s instead of 30 s, so recovery fits the budget
        suite = Suite.start(config, Map.of(
                "trustplane.provenance.anchor.claim-idle", "2s",
                "trustplane.telemetry.ingest.claim-idle", "PT2S"));
        cluster = new Cluster(suite);
        // the second replicas run through every phase (a PostgreSQL or Redis restart hits them too)
        CompletableFuture<Suite.Running> provenance = CompletableFuture.supplyAsync(() -> startReplica(Cluster.PROVENANCE));
        CompletableFuture<Suite.Running> lease = CompletableFuture.supplyAsync(() -> startReplica(Cluster.LEASE));
        provenanceB = provenance.get(5, TimeUnit.MINUTES);
        leaseB = lease.get(5, TimeUnit.MINUTES);
        suite.services().forEach(r -> processes.add(r.process().toHandle()));
        log("suite with two provenance and two lease replicas ready in %d s; logs in %s", elapsed(),
                state.resolve("logs"));
    }

    @BeforeEach
    void markViolations() {
        violationsBefore = cluster.tally.violationCount();
        violationSamplesBefore = cluster.tally.violations().size();
    }

    @AfterAll
    void stopSuiteAndReport() throws Exception {
        if (suite != null) {
            suite.services().forEach(r -> processes.add(r.process().toHandle()));
            suite.close();
        }
        for (ProcessHandle p : processes) {
            assertThat(p.isAlive()).as("service process %d stopped", p.pid()).isFalse();
        }
        for (int port : ports) {
            assertThat(Suite.inUse(port)).as("port %d released", port).isFalse();
        }
        if (cluster != null) {
            writeSummary();
        }
    }

    // ---------------------------------------------------------------- PostgreSQL

    @Test
    @Order(1)
    void postgresRestartUnderLoadAnswers503ThenRecoversWithEveryAcknowledgedWrite() throws Exception {
        Phase p = new Phase("pg");
        C2spNote.Checkpoint before = p.provenance.checkpoint(cluster.url(Cluster.PROVENANCE));
        try (Load load = new Load(p.all(), WORKERS, PACE)) {
            awaitAcks(p.all(), 3);
            Map<String, Long> unavailableBefore = unavailable();
            cluster.suite.infrastructure().stopPostgres();
            fault("postgres_restart");
            log("PostgreSQL stopped");
            awaitReadiness(false);
            await("every service answers 503 while PostgreSQL is down").atMost(RECOVERY)
                    .until(() -> primaries().stream().allMatch(r ->
                            cluster.tally.unavailable(Cluster.key(r)) > unavailableBefore.get(Cluster.key(r))));
            cluster.suite.infrastructure().startPostgres();
            log("PostgreSQL started again");
            awaitReadiness(true);
            awaitAcks(p.all(), 3);
        }
        C2spNote.Checkpoint after = p.provenance.checkpoint(cluster.url(Cluster.PROVENANCE));
        assertThat(after.size()).as("the log only grows").isGreaterThanOrEqualTo(before.size());
        verify(p.all());
        assertNoViolations();
    }

    // ---------------------------------------------------------------- Redis

    @Test
    @Order(2)
    void redisRestartUnderLoadFailsCeilingsClosedKeepsDurableWritesAndConsumersResume() throws Exception {
        Phase p = new Phase("redis");
        long relayFailuresBefore = metric(cluster.url(Cluster.LEASE), "trustplane_outbox_relay_failures_total");
        try (Load load = new Load(p.all(), WORKERS, PACE)) {
            awaitAcks(p.all(), 3);
            await("a ceiling check is allowed before the fault").atMost(RECOVERY)
                    .until(() -> p.gate.allowedIn("before") > 0);
            cluster.suite.infrastructure().stopRedis();
            p.gate.era("outage");
            fault("redis_restart");
            log("Redis stopped");
            awaitReadiness(false);
            long refused = p.gate.ceilingUnavailable();
            await("ceiling checks are refused while Redis is down").atMost(RECOVERY)
                    .until(() -> p.gate.ceilingUnavailable() >= refused + 3);
            // durable writes need PostgreSQL only: they go on while Redis is away
            awaitAcks(List.of(p.provenance, p.lease, p.telemetry, p.gate), 3);
            p.gate.era("after");
            cluster.suite.infrastructure().startRedis();
            log("Redis started again (empty: it keeps nothing on disk)");
            awaitReadiness(true);
            await("ceilings are checked again after Redis is back").atMost(RECOVERY)
                    .until(() -> p.gate.allowedIn("after") > 0);
            StreamProbe probe = probe("redis");
            probe.publish(20, true);
            awaitSettled(probe);
            awaitAcks(p.all(), 3);
        }
        // the outbox re-drives what was written while Redis was away: every ledger entry is anchored, none twice
        await("every ledger entry, those written during the outage too, is anchored").atMost(RECOVERY)
                .until(() -> unanchoredLedgerEntries().isEmpty());
        assertThat(ledgerEntriesAnchoredTwice()).as("a redelivered anchor event is applied once").isZero();
        assertThat(p.gate.allowedIn("outage")).as("no ceiling check is allowed while Redis is down (fail closed)")
                .isZero();
        assertThat(p.gate.maxAllowedPerAgent("before")).as("ceiling before the fault")
                .isLessThanOrEqualTo(GateWork.UNKNOWN_API_CALLS_LIMIT);
        assertThat(p.gate.maxAllowedPerAgent("after")).as("ceiling after the fault (a fresh window: Redis lost it)")
                .isLessThanOrEqualTo(GateWork.UNKNOWN_API_CALLS_LIMIT);
        long relayFailures = metric(cluster.url(Cluster.LEASE), "trustplane_outbox_relay_failures_total")
                - relayFailuresBefore;
        assertThat(relayFailures).as("lease-service's outbox relay retried while Redis was down").isPositive();
        details.put("redis", ordered("ceilingChecksRefusedDuringOutage", p.gate.ceilingUnavailable(),
                "ceilingChecksAllowedDuringOutage", p.gate.allowedIn("outage"),
                "leaseOutboxRoundsRetriedDuringOutage", relayFailures));
        verify(p.all());
        assertNoViolations();
    }

    // ---------------------------------------------------------------- kill -9

    @Test
    @Order(3)
    void killTelemetryMidLoadLosesNoAcknowledgedLineAndReclaimsPendingEntries() throws Exception {
        TelemetryWork work = new TelemetryWork(cluster, "kill-telemetry", suite.service(Cluster.TELEMETRY));
        workloads.add(work);
        StreamProbe probe = probe("killtelemetry");
        killMidLoad(Cluster.TELEMETRY, work, () -> {
            probe.abandon(10);
            probe.publish(150, false);
        });
        awaitSettled(probe);
        verify(List.of(work));
        assertNoViolations();
    }

    @Test
    @Order(4)
    void killGateMidLoadLosesNoRegisteredAgentOrEscalation() throws Exception {
        GateWork work = new GateWork(cluster, "kill-gate", suite.service(Cluster.GATE));
        workloads.add(work);
        await().atMost(RECOVERY).until(() -> work.prepare(WORKERS));
        killMidLoad(Cluster.GATE, work, () -> { });
        verify(List.of(work));
        assertNoViolations();
    }

    @Test
    @Order(5)
    void killLeaseMidLoadLosesNoGrantOrRelease() throws Exception {
        LeaseWork work = new LeaseWork(cluster, "kill-lease", suite.service(Cluster.LEASE));
        workloads.add(work);
        killMidLoad(Cluster.LEASE, work, () -> { });
        verify(List.of(work));
        assertNoViolations();
    }

    @Test
    @Order(6)
    void killTheProvenanceSequencerMidLoadLosesNoRecordAndNeverForksTheLog() throws Exception {
        Suite.Running a = suite.service(Cluster.PROVENANCE);
        Suite.Running b = provenanceB;
        ProvenanceWork work = new ProvenanceWork(cluster, "kill-provenance", a, b);
        workloads.add(work);
        C2spNote.Checkpoint before = work.checkpoint(a.url());
        StreamProbe probe = probe("killprovenance");
        try (Load load = new Load(List.of(work), 2 * WORKERS, PACE)) {
            awaitAcks(List.of(work), 5);
            probe.abandon(10);
            probe.publish(150, false);
            cluster.tally.expectUnreachable(Cluster.key(a), true);
            long replicaAcks = cluster.tally.get(Cluster.key(b), "ok");
            cluster.suite.kill(a);
            fault("kill9_provenance");
            log("killed provenance-service %d (kill -9) with replica %d running", a.port(), b.port());
            await("the replica takes over the sequencer and keeps acknowledging").atMost(RECOVERY)
                    .until(() -> cluster.tally.get(Cluster.key(b), "ok") >= replicaAcks + 5);
            Suite.Running again = suite.restart(a);
            processes.add(again.process().toHandle());
            log("provenance-service %d restarted", again.port());
            awaitAcks(List.of(work), 5);
        } finally {
            cluster.tally.expectUnreachable(Cluster.key(a), false);
        }
        awaitSettled(probe);
        C2spNote.Checkpoint after = work.checkpoint(a.url());
        assertThat(after.size()).isGreaterThanOrEqualTo(before.size());
        verify(List.of(work));
        assertNoViolations();
    }

    // ---------------------------------------------------------------- lease safety

    @Test
    @Order(7)
    void leaseSafetyTwoReplicasThousandContendersForcedExpiriesAndAKilledReplica() throws Exception {
        Suite.Running a = suite.service(Cluster.LEASE);
        Suite.Running b = leaseB;
        safety = new LeaseSafety(cluster, "s", List.of(a.url(), b.url()), 1000, 5, 3, 48);
        safety.prepare();
        ScheduledExecutorService operator = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean operating = new AtomicBoolean();
        try {
            CompletableFuture<Void> done = safety.start();
            operator.scheduleAtFixedRate(() -> {
                if (operating.compareAndSet(false, true)) {
                    safety.forceReleaseOne().whenComplete((x, e) -> operating.set(false));
                }
            }, 100, 150, TimeUnit.MILLISECONDS);
            await("a third of the attempts are made").atMost(RECOVERY).until(() -> safety.progress() >= 0.3);
            cluster.tally.expectUnreachable(Cluster.key(b), true);
            cluster.suite.kill(b);
            fault("kill9_lease_replica");
            log("killed lease-service replica %d (kill -9) mid-contention", b.port());
            leaseB = suite.restart(b);
            processes.add(leaseB.process().toHandle());
            done.get(5, TimeUnit.MINUTES);
        } finally {
            operator.shutdown();
            operator.awaitTermination(10, TimeUnit.SECONDS);
            cluster.tally.expectUnreachable(Cluster.key(b), false);
        }
        await("the operator's last force-release answered").atMost(RECOVERY).until(() -> !operating.get());
        LeaseSafety.Result result = safety.check();
        log("lease safety: %d contenders, %d requests, %d grants, %d conflicts (409), %d renewals, %d releases, "
                        + "%d forced releases, %d expiries; %d keys / %d leases checked: %d overlaps, %d token problems, "
                        + "%d acknowledged but missing", 1000, safety.requests(), safety.grants(), safety.conflicts(),
                safety.renewals(), result.released(), result.forceReleased(), result.expired(), result.keysChecked(),
                result.leasesChecked(), result.overlaps(), result.tokenProblems(), result.missing());
        result.samples().forEach(s -> log("  %s", s));
        details.put("leaseSafety", ordered("contenders", 1000, "replicas", 2, "keys", 5, "ttlSeconds", 1,
                "requests", safety.requests(), "grants", safety.grants(), "conflicts", safety.conflicts(),
                "renewals", safety.renewals(), "releases", result.released(),
                "forcedReleases", result.forceReleased(), "expiries", result.expired(),
                "keysChecked", result.keysChecked(), "leasesChecked", result.leasesChecked(),
                "overlaps", result.overlaps(), "tokenProblems", result.tokenProblems(),
                "acknowledgedButMissing", result.missing()));
        verifications.add(new Workload.Verification("lease-safety", safety.acknowledged(), result.missing(),
                result.overlaps() + result.tokenProblems(), result.samples()));
        assertThat(result.overlaps()).as("no two valid holders of a key overlapped").isZero();
        assertThat(result.tokenProblems()).as("fencing tokens strictly increase, one per grant").isZero();
        assertThat(result.missing()).as("every acknowledged grant, release and forced release is recorded").isZero();
        assertThat(safety.grants()).isPositive();
        assertThat(result.expired()).as("leases expired during the run").isPositive();
        assertThat(result.forceReleased()).as("the operator force-released leases during the run").isPositive();
        assertNoViolations();
    }

    // ---------------------------------------------------------------- after everything

    @Test
    @Order(99)
    void everythingAcknowledgedInAnyPhaseIsStillThereAtTheEnd() throws Exception {
        long checked = 0;
        long lost = 0;
        long duplicates = 0;
        for (Workload w : workloads) {
            Workload.Verification v = w.verify();
            checked += v.checked();
            lost += v.lost();
            duplicates += v.duplicates();
            v.samples().forEach(s -> log("  final %s: %s", v.workload(), s));
        }
        for (StreamProbe p : probes) {
            Workload.Verification v = p.verify();
            lost += v.lost();
            duplicates += v.duplicates();
        }
        if (safety != null) {
            LeaseSafety.Result again = safety.check();
            checked += safety.acknowledged();
            lost += again.missing();
            duplicates += again.overlaps() + again.tokenProblems();
            again.samples().forEach(s -> log("  final lease safety: %s", s));
        }
        details.put("finalRecheck", ordered("acknowledgedWritesChecked", checked, "lost", lost,
                "duplicates", duplicates));
        log("final re-check of every phase: %d acknowledged writes, %d lost, %d duplicated", checked, lost, duplicates);
        assertThat(lost).isZero();
        assertThat(duplicates).isZero();
    }

    // ---------------------------------------------------------------- helpers

    /** The four workloads of one phase, each against the service's primary instance. */
    private final class Phase {
        final ProvenanceWork provenance;
        final LeaseWork lease;
        final GateWork gate;
        final TelemetryWork telemetry;

        Phase(String tag) {
            provenance = new ProvenanceWork(cluster, tag, suite.service(Cluster.PROVENANCE));
            lease = new LeaseWork(cluster, tag, suite.service(Cluster.LEASE));
            gate = new GateWork(cluster, tag, suite.service(Cluster.GATE));
            telemetry = new TelemetryWork(cluster, tag, suite.service(Cluster.TELEMETRY));
            workloads.addAll(all());
            await("gate agents registered").atMost(RECOVERY).until(() -> gate.prepare(WORKERS));
        }

        List<Workload> all() {
            return List.of(provenance, lease, gate, telemetry);
        }
    }

    private void killMidLoad(ServiceSpec spec, Workload work, Runnable beforeKill) {
        Suite.Running victim = suite.service(spec);
        String key = Cluster.key(victim);
        try (Load load = new Load(List.of(work), WORKERS, PACE)) {
            awaitAcks(List.of(work), 5);
            beforeKill.run();
            cluster.tally.expectUnreachable(key, true);
            long unreachable = cluster.tally.get(key, "unreachable");
            suite.kill(victim);
            fault("kill9_" + spec.shortName());
            log("killed %s (kill -9) mid-load", spec.name());
            await("clients notice the dead service").atMost(RECOVERY)
                    .until(() -> cluster.tally.get(key, "unreachable") > unreachable);
            Suite.Running again = suite.restart(victim);
            processes.add(again.process().toHandle());
            log("%s restarted on port %d", spec.name(), again.port());
            awaitAcks(List.of(work), 5);
        } finally {
            cluster.tally.expectUnreachable(key, false);
        }
    }

    private Suite.Running startReplica(ServiceSpec spec) {
        int port = Infrastructure.freePort();
        ports.add(port);
        Suite.Running replica = suite.startReplica(spec, port);
        processes.add(replica.process().toHandle());
        log("second %s replica ready on port %d", spec.name(), port);
        return replica;
    }

    private StreamProbe probe(String tag) {
        StreamProbe probe = new StreamProbe(cluster, tag);
        probes.add(probe);
        return probe;
    }

    private void awaitSettled(StreamProbe probe) {
        // exceptions are retried: right after a Redis restart the consumer groups may not exist yet
        await("stream probes processed exactly once and nothing left pending").atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(probe::settled);
        Workload.Verification v = uncheck(probe::verify);
        record(v);
        assertThat(v.lost()).as("probes lost: %s", v.samples()).isZero();
        assertThat(v.duplicates()).as("probes applied twice: %s", v.samples()).isZero();
        details.merge("streamProbes", (long) v.checked(), (x, y) -> (Long) x + (Long) y);
        details.merge("streamEntriesAbandonedByADeadMember", probe.abandoned(), (x, y) -> (Long) x + (Long) y);
    }

    /** Waits until every workload has at least {@code more} further acknowledged writes. */
    private void awaitAcks(List<Workload> ws, long more) {
        Map<Workload, Long> start = new LinkedHashMap<>();
        ws.forEach(w -> start.put(w, w.acks()));
        await("acknowledged writes on " + ws.stream().map(Workload::service).toList()).atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ws.stream().allMatch(w -> w.acks() >= start.get(w) + more));
    }

    private void awaitReadiness(boolean up) {
        await("readiness " + (up ? "UP" : "DOWN") + " on every service").atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> suite.services().stream().allMatch(r -> (cluster.readiness(r.url()) == 200) == up));
        log("readiness %s on every service", up ? "UP" : "DOWN");
    }

    private Map<String, Long> unavailable() {
        Map<String, Long> out = new LinkedHashMap<>();
        primaries().forEach(r -> out.put(Cluster.key(r), cluster.tally.unavailable(Cluster.key(r))));
        return out;
    }

    /** The first instance of each service (the workloads' targets). */
    private List<Suite.Running> primaries() {
        return ServiceSpec.ALL.stream().map(suite::service).toList();
    }

    private void verify(List<Workload> ws) throws Exception {
        for (Workload w : ws) {
            Workload.Verification v = w.verify();
            record(v);
            log("%s: %d acknowledged writes read back, %d lost, %d duplicated or forked", v.workload(), v.checked(),
                    v.lost(), v.duplicates());
            v.samples().forEach(s -> log("  %s", s));
            if (w instanceof ProvenanceWork pw) {
                log("  provenance: final tree size %d, %d inclusion proofs and %d checkpoints verified, %d tiles unchanged",
                        pw.finalTreeSize, pw.inclusionProofs, pw.consistencyProofs, pw.tilesChecked);
                details.merge("provenanceTilesUnchanged", pw.tilesChecked, (x, y) -> (Long) x + (Long) y);
                details.merge("provenanceInclusionProofsVerified", pw.inclusionProofs, (x, y) -> (Long) x + (Long) y);
                details.merge("provenanceCheckpointsVerified", pw.consistencyProofs, (x, y) -> (Long) x + (Long) y);
                details.put("provenanceFinalTreeSize", pw.finalTreeSize);
            }
            assertThat(v.lost()).as("%s: acknowledged writes lost: %s", v.workload(), v.samples()).isZero();
            assertThat(v.duplicates()).as("%s: duplicated or forked: %s", v.workload(), v.samples()).isZero();
        }
    }

    private void record(Workload.Verification v) {
        synchronized (verifications) {
            verifications.add(v);
        }
    }

    /** No answer during this test broke the rules (earlier tests' violations are theirs). */
    private void assertNoViolations() {
        List<String> all = cluster.tally.violations();
        List<String> violations = all.subList(Math.min(violationSamplesBefore, all.size()), all.size());
        violations.forEach(v -> log("VIOLATION %s", v));
        assertThat(cluster.tally.violationCount() - violationsBefore).as("answers that break the rules: %s",
                violations).isZero();
    }

    private void fault(String kind) {
        fault(kind, 1);
    }

    private void fault(String kind, long n) {
        faults.merge(kind, n, Long::sum);
    }

    /** Hashes of lease-service's ledger entries that have no anchor in the provenance log (yet). */
    private java.util.Set<String> unanchoredLedgerEntries() throws Exception {
        java.util.Set<String> hashes = new java.util.HashSet<>();
        try (java.sql.Connection c = cluster.db(Cluster.LEASE);
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT hash FROM ledger_entries")) {
            while (rs.next()) {
                hashes.add(rs.getString(1));
            }
        }
        try (java.sql.Connection c = cluster.db(Cluster.PROVENANCE);
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT metadata->'event'->'data'->>'hash' "
                        + "FROM provenance_record WHERE metadata->>'kind' = 'anchor' "
                        + "AND metadata->'event'->>'type' = 'ledger.appended'")) {
            while (rs.next()) {
                hashes.remove(rs.getString(1));
            }
        }
        return hashes;
    }

    /** Ledger entries with more than one anchor in the provenance log. */
    private long ledgerEntriesAnchoredTwice() throws Exception {
        try (java.sql.Connection c = cluster.db(Cluster.PROVENANCE);
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM (SELECT 1 "
                        + "FROM provenance_record WHERE metadata->>'kind' = 'anchor' AND metadata->'event'->>'type' = "
                        + "'ledger.appended' GROUP BY metadata->'event'->'data'->>'hash' HAVING count(*) > 1) d")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A counter from the service's Prometheus endpoint (0 when absent). */
    private long metric(String baseUrl, String name) {
        Http.Reply r = cluster.http.get(baseUrl + "/q/metrics", null);
        if (r.status() != 200) {
            return 0;
        }
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    private void writeSummary() throws Exception {
        long checked = 0;
        long lost = 0;
        long duplicates = 0;
        for (Workload.Verification v : verifications) {
            checked += v.checked();
            lost += v.lost();
            duplicates += v.duplicates();
        }
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        for (Workload w : workloads) {
            acknowledged.merge(w.service(), w.acks(), Long::sum);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("faultsInjected", faults.values().stream().mapToLong(Long::longValue).sum());
        summary.put("faults", faults);
        summary.put("requests", cluster.tally.total("requests"));
        summary.put("acknowledgedWrites", acknowledged);
        summary.put("acknowledgedWritesChecked", checked);
        summary.put("lost", lost);
        summary.put("duplicatedOrForked", duplicates);
        summary.put("violations", cluster.tally.violationCount());
        summary.put("timeouts", cluster.tally.total("timeouts"));
        summary.put("durationSeconds", elapsed());
        summary.putAll(details);
        summary.put("answers", cluster.tally.snapshot());
        String json = Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
        Path file = Path.of(System.getProperty("chaos.summary", "target/chaos-summary.json"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json);
        log("chaos summary (%s):%n%s", file, json);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private long elapsed() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[chaos] " + format + "%n", args);
    }

    private static <T> T uncheck(ThrowingSupplier<T> s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
