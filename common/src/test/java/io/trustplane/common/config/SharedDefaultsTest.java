package io.trustplane.common.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings all four services share live once, in common's {@code META-INF/microprofile-config.properties}
 * (MicroProfile Config reads it from every jar at ordinal 100, below a service's application.properties at 250).
 */
class SharedDefaultsTest {

    private static final String SHARED = "META-INF/microprofile-config.properties";
    private static final List<String> SERVICES = List.of("lease", "provenance", "gate", "telemetry");

    /** The 44 lines the four application.properties each held, word for word, before they moved (main d6bffb5). */
    private static final Map<String, String> MOVED = moved();

    private static Map<String, String> moved() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("quarkus.http.test-port", "0");
        m.put("quarkus.banner.enabled", "false");
        m.put("quarkus.devservices.enabled", "false");
        m.put("quarkus.shutdown.timeout", "15s");
        m.put("quarkus.http.limits.max-body-size", "1M");
        m.put("quarkus.datasource.db-kind", "postgresql");
        m.put("quarkus.datasource.username", "postgres");
        m.put("quarkus.datasource.password", "");
        m.put("quarkus.datasource.jdbc.min-size", "0");
        m.put("quarkus.datasource.jdbc.max-size", "4");
        m.put("quarkus.datasource.reactive.max-size", "32");
        m.put("quarkus.datasource.reactive.idle-timeout", "PT5M");
        m.put("quarkus.datasource.reactive.reconnect-attempts", "2");
        m.put("quarkus.datasource.reactive.reconnect-interval", "PT0.5S");
        m.put("quarkus.flyway.migrate-at-start", "true");
        m.put("quarkus.redis.hosts", "redis://localhost:6379");
        m.put("quarkus.redis.max-pool-size", "64");
        m.put("quarkus.redis.max-pool-waiting", "4096");
        m.put("quarkus.redis.timeout", "2s");
        m.put("mp.jwt.verify.issuer", "trustplane");
        m.put("mp.jwt.verify.clock.skew", "${TRUSTPLANE_JWT_CLOCK_SKEW_SECONDS:5}");
        m.put("mp.jwt.verify.publickey.location", "${TRUSTPLANE_JWT_PUBLIC_KEY_FILE:.trustplane/jwt-public.pem}");
        m.put("quarkus.http.auth.proactive", "false");
        m.put("quarkus.security.jaxrs.deny-unannotated-endpoints", "true");
        m.put("trustplane.rate-limit.enabled", "true");
        m.put("trustplane.rate-limit.roles.agent.requests-per-second", "200");
        m.put("trustplane.rate-limit.roles.agent.burst", "400");
        m.put("trustplane.rate-limit.roles.operator.requests-per-second", "2000");
        m.put("trustplane.rate-limit.roles.operator.burst", "4000");
        m.put("trustplane.rate-limit.roles.admin.requests-per-second", "2000");
        m.put("trustplane.rate-limit.roles.admin.burst", "4000");
        m.put("trustplane.rate-limit.exempt-roles", "service");
        m.put("trustplane.rate-limit.anonymous.requests-per-second", "100");
        m.put("trustplane.rate-limit.anonymous.burst", "200");
        m.put("trustplane.rate-limit.max-callers", "100000");
        m.put("trustplane.rate-limit.shared.enabled", "true");
        m.put("trustplane.rate-limit.shared.sync-interval", "100ms");
        m.put("trustplane.idempotency.ttl", "24h");
        m.put("trustplane.idempotency.pending-ttl", "30s");
        m.put("trustplane.idempotency.sweep-interval", "1m");
        m.put("quarkus.smallrye-openapi.info-version", "0.1.0");
        m.put("mp.openapi.filter", "io.trustplane.common.openapi.StandardResponses");
        m.put("quarkus.swagger-ui.always-include", "true");
        m.put("quarkus.micrometer.binder.http-server.ignore-patterns", "/q/.*");
        return Map.copyOf(m);
    }

    @Test
    void theSharedFileHoldsEveryLineTheServicesRepeated() throws IOException {
        assertThat(MOVED).hasSize(44);
        assertThat(load(getClass().getClassLoader().getResource(SHARED))).containsAllEntriesOf(MOVED);
    }

    @Test
    void noServiceRepeatsASharedLine() throws IOException {
        for (String service : SERVICES) {
            Path file = Path.of("..", service + "-service", "src/main/resources/application.properties");
            Properties own = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                own.load(in);
            }
            for (var shared : MOVED.entrySet()) {
                assertThat(own.getProperty(shared.getKey()))
                        .as("%s repeats the shared %s (an override must differ)", file, shared.getKey())
                        .isNotEqualTo(shared.getValue());
            }
        }
    }

    @Test
    void theSharedValuesAreReadAtOrdinal100AndAServiceFileOverridesThem() {
        SmallRyeConfig shared = config(Map.of());
        assertThat(shared.getConfigValue("quarkus.datasource.db-kind").getSourceOrdinal()).isEqualTo(100);
        assertThat(shared.getValue("trustplane.rate-limit.roles.agent.requests-per-second", Double.class))
                .isEqualTo(200.0);
        assertThat(shared.getValue("trustplane.rate-limit.roles.agent.burst", Integer.class)).isEqualTo(400);
        assertThat(shared.getValue("trustplane.rate-limit.anonymous.burst", Integer.class)).isEqualTo(200);
        assertThat(shared.getValue("trustplane.idempotency.ttl", Duration.class)).isEqualTo(Duration.ofHours(24));
        assertThat(shared.getValue("trustplane.idempotency.pending-ttl", Duration.class))
                .isEqualTo(Duration.ofSeconds(30));

        // what gate-service does with %test.quarkus.redis.timeout: a service's own line (ordinal 250) wins
        SmallRyeConfig overridden = config(Map.of("trustplane.rate-limit.roles.agent.burst", "7",
                "%test.quarkus.redis.timeout", "10s"));
        assertThat(overridden.getValue("trustplane.rate-limit.roles.agent.burst", Integer.class)).isEqualTo(7);
        assertThat(overridden.getValue("quarkus.redis.timeout", String.class)).isEqualTo("10s");
        assertThat(overridden.getValue("trustplane.rate-limit.roles.admin.burst", Integer.class)).isEqualTo(4000);
    }

    /**
     * The default sources (the shared file among them) plus {@code service} as an application.properties, in the test
     * profile, with Quarkus's duration format ("24h").
     */
    private static SmallRyeConfig config(Map<String, String> service) {
        return new SmallRyeConfigBuilder()
                .withProfile("test")
                .addDefaultSources()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(service, "application.properties", 250))
                .build();
    }

    private static Properties load(URL url) throws IOException {
        assertThat(url).as(SHARED + " on common's class path").isNotNull();
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        }
        return p;
    }
}
