package io.trustplane.gate.repository;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.gate.rest.GateTestSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * Flags as the entities read them: the integer[] stages, the jsonb triggers (absent members stay absent), the
 * status enum, the version and timestamps, and the history rows, all as the SQL writes stored them.
 */
@QuarkusTest
class FlagMappingTest extends GateTestSupport {

    @Inject
    Pool pool;

    private Row row(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(30))
                .iterator().next();
    }

    @Test
    void theEntityReadsWhatTheSqlWrote() {
        String flag = unique("mapped");
        as(admin()).body(Map.of("flag", flag, "description", "mapped flag", "stages", List.of(10, 100),
                        "triggers", List.of(Map.of("percent", 10, "errorRateIncreasePct", 3),
                                Map.of("percent", 100, "condition", "SLA_BREACH"))))
                .post("/v1/flags").then().statusCode(201);
        as(admin()).post("/v1/flags/" + flag + "/pause").then().statusCode(200);
        Row stored = row("SELECT version, created_at, updated_at FROM flags WHERE flag = $1", flag);

        as(operator()).get("/v1/flags/" + flag).then().statusCode(200)
                .body("flag", equalTo(flag)).body("description", equalTo("mapped flag"))
                .body("stages", equalTo(List.of(10, 100))).body("percent", equalTo(10))
                .body("status", equalTo("PAUSED"))
                .body("triggers[0].percent", equalTo(10)).body("triggers[0].errorRateIncreasePct", equalTo(3))
                .body("triggers[0].responseTimeIncreasePct", nullValue())
                .body("triggers[1].condition", equalTo("SLA_BREACH"))
                .body("version", equalTo(stored.getLong("version").intValue()))
                .body("createdAt", equalTo(stored.getOffsetDateTime("created_at").toInstant().toString()))
                .body("updatedAt", equalTo(stored.getOffsetDateTime("updated_at").toInstant().toString()));
        as(operator()).get("/v1/flags").then().statusCode(200).body("flag", hasItem(flag));

        Row paused = row("SELECT id, changed_at FROM flag_history WHERE flag = $1 AND action = 'PAUSED'", flag);
        as(operator()).get("/v1/flags/" + flag + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("CREATED", "PAUSED")))
                .body("[1].id", equalTo(paused.getLong("id").intValue()))
                .body("[1].fromPercent", equalTo(10)).body("[1].toPercent", equalTo(10))
                .body("[1].changedAt", equalTo(paused.getOffsetDateTime("changed_at").toInstant().toString()));
        as(operator()).get("/v1/flags/" + unique("absent")).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
