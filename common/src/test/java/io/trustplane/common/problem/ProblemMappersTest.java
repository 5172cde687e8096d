package io.trustplane.common.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
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
