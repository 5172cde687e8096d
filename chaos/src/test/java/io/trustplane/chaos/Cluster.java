package io.trustplane.chaos;

import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.PgEndpoint;
import io.trustplane.testing.TokenMinter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every chaos test works with: the running suite, one HTTP client, tokens, the verdicts on every answer,
 * and direct access to PostgreSQL (JDBC) and Redis (RESP) for checks behind the APIs.
 */
final class Cluster {

    static final ServiceSpec LEASE = ServiceSpec.byName("lease");
    static final ServiceSpec PROVENANCE = ServiceSpec.byName("provenance");
    static final ServiceSpec GATE = ServiceSpec.byName("gate");
    static final ServiceSpec TELEMETRY = ServiceSpec.byName("telemetry");

    final Suite suite;
    final Http http = new Http();
    final Tally tally = new Tally();
    final TokenMinter minter;
    final Resp redis;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    Cluster(Suite suite) {
        this.suite = suite;
        this.minter = suite.keys().minter();
        this.redis = new Resp(suite.infrastructure().redisUrl());
    }

    String url(ServiceSpec spec) {
        return suite.service(spec).url();
    }

    /** A cached token for an agent acting as itself. */
    String agent(String agentId) {
        return tokens.computeIfAbsent("agent:" + agentId, k -> minter.agent(agentId));
    }

    String admin() {
        return tokens.computeIfAbsent("admin", k -> minter.mint("chaos-admin", "admin"));
    }

    String operator() {
        return tokens.computeIfAbsent("operator", k -> minter.mint("chaos-operator", "operator"));
    }

    /** The status of {@code /q/health/ready}, or -1 when the service does not answer. */
    int readiness(String baseUrl) {
        return http.get(baseUrl + "/q/health/ready", null).status();
    }

    Connection db(ServiceSpec spec) throws SQLException {
        PgEndpoint pg = suite.infrastructure().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(spec.database()), pg.user(), pg.password());
    }

    /** The tally key of one service instance. */
    static String key(Suite.Running r) {
        return r.spec().shortName() + ":" + r.port();
    }
}
