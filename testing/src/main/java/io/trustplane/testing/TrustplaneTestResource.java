package io.trustplane.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives a Quarkus test real PostgreSQL and Redis: starts them once per test JVM (or uses
 * {@code TRUSTPLANE_PG_URL} / {@code TRUSTPLANE_REDIS_URL}), creates the service's database (init arg
 * {@code database}), and points the service, its JWT verification and its log key at them.
 * Use with {@code @WithTestResource(value = TrustplaneTestResource.class, initArgs = @ResourceArg(name =
 * "database", value = "trustplane_lease"))}; mint tokens with {@link TestKeys#tokens()}.
 */
public class TrustplaneTestResource implements QuarkusTestResourceLifecycleManager {

    private String database = "trustplane_test";
    private boolean acquired;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        Infrastructure infra = Infrastructure.acquireShared();
        acquired = true;
        infra.createDatabase(database);
        PgEndpoint pg = infra.postgres();
        DevKeys keys = TestKeys.keys();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", pg.reactiveUrl(database));
        config.put("quarkus.datasource.username", pg.user());
        config.put("quarkus.datasource.password", pg.password());
        config.put("quarkus.redis.hosts", infra.redisUrl());
        config.put("mp.jwt.verify.publickey.location", keys.jwtPublicKeyFile().toUri().toString());
        config.put("mp.jwt.verify.issuer", TokenMinter.ISSUER);
        config.put("trustplane.log.key-file", keys.logSigningKeyFile().toString());
        config.put("trustplane.tool-calls.key-file", keys.receiptSigningKeyFile().toString());
        config.put("trustplane.events.anchor-keys-dir", keys.directory().toString());
        config.put("trustplane.test.database", database);
        // @QuarkusIntegrationTest runs the prod profile: no collector here, so no tracing (as the launcher does)
        config.put("quarkus.otel.sdk.disabled", "true");
        return config;
    }

    @Override
    public void stop() {
        if (acquired) {
            acquired = false;
            Infrastructure.releaseShared();
        }
    }

    /** The running infrastructure, for tests that stop and restart a server or query the database. */
    public static Infrastructure infrastructure() {
        return Infrastructure.acquireSharedIfRunning();
    }
}
