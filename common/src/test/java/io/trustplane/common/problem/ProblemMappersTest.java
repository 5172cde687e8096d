package io.trustplane.common.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemMappersTest {

    @Test
    void aPostgresRestartIsAnUnavailableDependencyNotABug() {
        // what a pooled connection reports when PostgreSQL closed it under a query (seen by the chaos suite)
        assertThat(ProblemMappers.isUnavailableDependency(new CompletionException(
                new IllegalStateException("Connection is not active now, current status: CLOSED")))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(new RuntimeException(
                "FATAL: terminating connection due to administrator command (57P01)"))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(new RuntimeException(
                "FATAL: the database system is starting up (57P03)"))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(new RuntimeException("wrapped",
                new ConnectException("Connection refused")))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aConnectionResetOrAnOutOfReachSqlStateIsUnavailableToo() {
        // what a restart spike (64 Vert.x pool loops, 8 fast stops and starts of PostgreSQL) showed next to the
        // above: a pooled connection reset by the stopping server, and the server's refusals carrying SQLSTATEs
        assertThat(ProblemMappers.isUnavailableDependency(new SocketException("Connection reset"))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(new CompletionException(new IOException("Broken pipe"))))
                .isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(new ClosedChannelException())).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(pg("57P01", "terminating connection"))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(pg("57P03", "not yet accepting connections"))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(pg("53300", "sorry, too many clients already"))).isTrue();
        assertThat(ProblemMappers.isUnavailableDependency(pg("08006", "connection failure"))).isTrue();
        // the request's own fault or a bug stays what it is
        assertThat(ProblemMappers.isUnavailableDependency(pg("23505", "duplicate key value"))).isFalse();
        assertThat(ProblemMappers.isUnavailableDependency(pg("42P01", "relation does not exist"))).isFalse();
        assertThat(ProblemMappers.isUnavailableDependency(new IOException("key file unreadable"))).isFalse();
    }

    private static PgException pg(String sqlState, String message) {
        return new PgException(message, "FATAL", sqlState, null);
    }

    @Test
    void every503SaysWhenToRetry() {
        ProblemMappers mappers = new ProblemMappers(new ObjectMapper());
        Response plain = mappers.problem(ProblemException.unavailable("store_unavailable", "down"), null);
        assertThat(plain.getStatus()).isEqualTo(503);
        assertThat(plain.getHeaderString("Retry-After")).isEqualTo("1");
        Response named = mappers.problem(ProblemException.unavailable("store_unavailable", "down")
                .with("retryAfterSeconds", 5), null);
        assertThat(named.getHeaderString("Retry-After")).isEqualTo("5");
        Response conflict = mappers.problem(ProblemException.conflict("taken", "held"), null);
        assertThat(conflict.getHeaderString("Retry-After")).isNull();
    }
}
