package io.trustplane.lease.repository;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.trustplane.lease.domain.AcquireOutcome;
import io.trustplane.lease.domain.Lease;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.rest.LeaseApi;
import io.trustplane.testing.PgEndpoint;
import io.trustplane.testing.TrustplaneTestResource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two independent connection pools on the same database behave as two replicas: the lease code of each runs
 * against PostgreSQL alone, so there is still one holder at a time and fencing tokens never repeat or go back,
 * also after one "replica" is stopped and a new one started.
 */
@QuarkusTest
class ReplicaLeaseRepositoryTest {

    private static final String DB = "trustplane_lease";

    /** The outbox rows these grants write (an envelope the statement completes; see LeaseService#acquire). */
    private static final String EVENT = "{\"type\":\"lease.acquired\"}";

    @Inject
    LeaseRepository appReplica;

    @Inject
    Vertx vertx;

    @Inject
    Pool appPool;

    private Pool newPool() {
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        PgConnectOptions options = new PgConnectOptions().setHost(pg.host()).setPort(pg.port()).setDatabase(DB)
                .setUser(pg.user()).setPassword(pg.password());
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(16)).connectingTo(options).using(vertx).build();
    }

    @Test
    void twoPoolsNeverGrantAKeyTwiceAndTokensOnlyGrowAcrossRestarts() throws Exception {
        String task = LeaseApi.newTaskId();
        Pool second = newPool();
        LeaseRepository otherReplica = new LeaseRepository(second);
        long lastToken = 0;
        for (int round = 0; round < 15; round++) {
            List<Uni<AcquireOutcome>> attempts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                LeaseRepository replica = i % 2 == 0 ? appReplica : otherReplica;
                attempts.add(replica.acquire(task, Phase.REVIEW, "r" + round + "-agent-" + i, Duration.ofSeconds(60),
                        EVENT, EVENT));
            }
            List<AcquireOutcome> outcomes = Uni.join().all(attempts).andFailFast().await().atMost(Duration.ofSeconds(30));
            List<Lease> granted = outcomes.stream().filter(AcquireOutcome::isGranted).map(AcquireOutcome::granted).toList();
            assertThat(granted).hasSize(1);
            Lease winner = granted.get(0);
            assertThat(outcomes.stream().filter(o -> !o.isGranted()))
                    .allSatisfy(o -> assertThat(o.holder().holder()).isEqualTo(winner.holder()));
            assertThat(winner.fencingToken()).isGreaterThan(lastToken);
            lastToken = winner.fencingToken();
            // the winner releases through the other replica half of the time
            LeaseRepository releaser = round % 2 == 0 ? otherReplica : appReplica;
            (round % 2 == 0 ? second : appPool).withTransaction(c -> releaser.end(c, winner.leaseId(), "RELEASED", "test"))
                    .await().atMost(Duration.ofSeconds(10));
        }

        // a lease granted by one replica expires by PostgreSQL's clock and the other takes over with a larger token
        Lease shortLived = appReplica.acquire(task, Phase.REVIEW, "short", Duration.ofSeconds(1), EVENT, EVENT)
                .await().atMost(Duration.ofSeconds(10)).granted();
        assertThat(shortLived.fencingToken()).isGreaterThan(lastToken);
        Lease taken = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> otherReplica.acquire(task, Phase.REVIEW, "taker", Duration.ofSeconds(60), EVENT, EVENT)
                        .await().atMost(Duration.ofSeconds(10)).granted(), l -> l != null);
        assertThat(taken.fencingToken()).isGreaterThan(shortLived.fencingToken());
        lastToken = taken.fencingToken();
        second.withTransaction(c -> otherReplica.end(c, taken.leaseId(), "RELEASED", "test"))
                .await().atMost(Duration.ofSeconds(10));

        // "restart": the second replica goes away and a fresh one starts; its first grant continues the sequence
        second.close().await().atMost(Duration.ofSeconds(10));
        Pool third = newPool();
        try {
            Lease afterRestart = new LeaseRepository(third).acquire(task, Phase.REVIEW, "after-restart",
                    Duration.ofSeconds(60), EVENT, EVENT).await().atMost(Duration.ofSeconds(10)).granted();
            assertThat(afterRestart.fencingToken()).isGreaterThan(lastToken);
        } finally {
            third.close().await().atMost(Duration.ofSeconds(10));
        }

        // what PostgreSQL holds: never more than one active lease, tokens unique and matching the key's counter
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.user(), pg.password());
                PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE status = 'ACTIVE'), count(*), "
                        + "count(DISTINCT fencing_token), max(fencing_token), (SELECT last_token FROM lease_keys "
                        + "WHERE task_id = ? AND phase = 'REVIEW') FROM leases WHERE task_id = ? AND phase = 'REVIEW'")) {
            s.setString(1, task);
            s.setString(2, task);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getLong(3)).isEqualTo(rs.getLong(2));
                assertThat(rs.getLong(4)).isEqualTo(rs.getLong(5));
            }
        }
    }
}
