package io.trustplane.telemetry.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.client.ReadinessProbe;
import io.trustplane.telemetry.config.ServicesConfig;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.domain.health.HealthStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Polls every Trustplane service's {@code /q/health/ready} (asynchronously, through {@link ReadinessProbe}) and answers
 * {@code GET /v1/health/suite} from the last results: a result older than {@code stale-after} is unknown.
 */
@ApplicationScoped
public class SuiteHealthService {

    /** The last poll of one service. */
    record Poll(HealthStatus status, Instant at, long latencyMs, String detail) {
    }

    /** One service in the answer. */
    public record ServiceHealth(String name, String url, HealthStatus status, Instant checkedAt, Long latencyMs,
            String detail) {
    }

    /** The answer: each service and the cluster summary. */
    public record Suite(HealthStatus status, Map<String, Long> counts, List<ServiceHealth> services, Instant at) {
    }

    private final Map<String, String> targets = new LinkedHashMap<>();
    private final Map<String, Poll> last = new ConcurrentHashMap<>();
    private final TelemetryConfig.SuiteHealth config;
    private final ObjectMapper mapper;
    private final ReadinessProbe probe;

    public SuiteHealthService(ServicesConfig services, TelemetryConfig config, ObjectMapper mapper,
            ReadinessProbe probe) {
        targets.put("lease-service", services.lease());
        targets.put("provenance-service", services.provenance());
        targets.put("gate-service", services.gate());
        targets.put("telemetry-service", services.telemetry());
        this.config = config.suiteHealth();
        this.mapper = mapper;
        this.probe = probe;
    }

    @Scheduled(every = "${trustplane.telemetry.suite-health.poll-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        targets.forEach(this::pollOne);
    }

    private void pollOne(String name, String base) {
        long started = System.nanoTime();
        Uni<ReadinessProbe.Answer> answer;
        try {
            answer = probe.ready(base);
        } catch (RuntimeException e) {
            last.put(name, new Poll(HealthStatus.UNHEALTHY, Instant.now(), 0, "invalid URL"));
            return;
        }
        answer.subscribe().with(response -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            int up = 0;
            int down = 0;
            try {
                JsonNode checks = mapper.readTree(response.body()).path("checks");
                for (JsonNode c : checks) {
                    if ("UP".equals(c.path("status").asText())) {
                        up++;
                    } else {
                        down++;
                    }
                }
            } catch (Exception e) {
                // not a SmallRye Health body: classify by status code alone
            }
            HealthStatus status = HealthStatus.classify(response.status(), latency, config.degradedLatency(), up, down);
            last.put(name, new Poll(status, Instant.now(), latency.toMillis(),
                    "HTTP " + response.status() + ", checks up " + up + ", down " + down));
        }, failure -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            last.put(name, new Poll(HealthStatus.UNHEALTHY, Instant.now(), latency.toMillis(),
                    "unreachable: " + failure.getClass().getSimpleName()));
        });
    }

    /** The current view; polls now (asynchronously) if any result is stale, for the next caller. */
    public Suite suite() {
        Instant now = Instant.now();
        List<ServiceHealth> services = new ArrayList<>();
        boolean stale = false;
        for (Map.Entry<String, String> t : targets.entrySet()) {
            Poll p = last.get(t.getKey());
            HealthStatus s = p == null ? HealthStatus.UNKNOWN
                    : HealthStatus.current(p.status(), Duration.between(p.at(), now), config.staleAfter());
            stale |= s == HealthStatus.UNKNOWN;
            services.add(new ServiceHealth(t.getKey(), t.getValue(), s, p == null ? null : p.at(),
                    p == null ? null : p.latencyMs(), p == null ? "never polled" : p.detail()));
        }
        if (stale) {
            poll();
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (HealthStatus s : HealthStatus.values()) {
            counts.put(s.json(), services.stream().filter(x -> x.status() == s).count());
        }
        return new Suite(HealthStatus.cluster(services.stream().map(ServiceHealth::status).toList()), counts, services,
                now);
    }
}
