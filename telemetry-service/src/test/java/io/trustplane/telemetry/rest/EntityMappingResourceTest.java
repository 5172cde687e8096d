package io.trustplane.telemetry.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.trustplane.testing.Concurrently;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

/**
 * Alert rules and subscriptions are Hibernate Reactive entities over tables the migrations and the SQL client write:
 * rows written by plain SQL (as the old repositories and the delivery path write them) read back through the API
 * field by field, and rows the API writes read back column by column with SQL: enums as their names, text[], the
 * version counter, timestamps from the database's clock.
 */
@QuarkusTest
class EntityMappingResourceTest {

    private static final String RULE = """
            {"id":"%s","name":"Mapped","kind":"THRESHOLD","counter":"entity_mapping_unused",
             "windowSeconds":120,"threshold":1000000,"severity":"LOW"}""";

    @Inject
    Pool pool;

    @Test
    void aRuleWrittenBySqlReadsBackAndEveryUpdateCountsAVersion() {
        String id = "mapped-" + UUID.randomUUID().toString().substring(0, 8);
        sql("""
                INSERT INTO alert_rules (id, name, description, kind, counter, denominator, window_seconds, threshold,
                                         min_denominator, severity, enabled, builtin, version, updated_at)
                VALUES ($1, 'Mapped ratio', 'from SQL', 'RATIO', 'mapped_failed', 'mapped_checked', 900, 0.25, 40,
                        'MEDIUM', FALSE, FALSE, 7, '2020-01-01T00:00:00Z')""", id);
        try {
            given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/alert-rules/" + id).then().statusCode(200)
                    .body("name", equalTo("Mapped ratio")).body("description", equalTo("from SQL"))
                    .body("kind", equalTo("RATIO")).body("counter", equalTo("mapped_failed"))
                    .body("denominator", equalTo("mapped_checked")).body("windowSeconds", equalTo(900))
                    .body("threshold", equalTo(0.25f)).body("minDenominator", equalTo(40))
                    .body("severity", equalTo("MEDIUM")).body("enabled", equalTo(false))
                    .body("builtin", equalTo(false)).body("version", equalTo(7));

            String same = """
                    {"name":"Mapped ratio","description":"from SQL","kind":"RATIO","counter":"mapped_failed",
                     "denominator":"mapped_checked","windowSeconds":900,"threshold":0.25,"minDenominator":40,
                     "severity":"MEDIUM","enabled":false}""";
            // an update that repeats the definition is still a new version, as version = version + 1 made it
            admin().body(same).put("/v1/alert-rules/" + id).then().statusCode(200).body("version", equalTo(8));
            admin().body(same.replace("MEDIUM", "CRITICAL")).put("/v1/alert-rules/" + id).then().statusCode(200)
                    .body("version", equalTo(9)).body("severity", equalTo("CRITICAL"));
            Row row = row("SELECT severity, version, updated_at > '2020-01-01T00:00:00Z' AS touched, builtin "
                    + "FROM alert_rules WHERE id = $1", id);
            assertThat(row.getString("severity")).isEqualTo("CRITICAL");
            assertThat(row.getInteger("version")).isEqualTo(9);
            assertThat(row.getBoolean("touched")).isTrue();
            assertThat(row.getBoolean("builtin")).isFalse();
        } finally {
            admin().delete("/v1/alert-rules/" + id).then().statusCode(204);
        }
    }

    @Test
    void aRuleWrittenByTheApiReadsBackWithSql() {
        String id = "mapped-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(RULE.formatted(id)).post("/v1/alert-rules").then().statusCode(201).body("version", equalTo(1));
        try {
            Row row = row("SELECT name, description, kind, counter, denominator, window_seconds, threshold, "
                    + "min_denominator, severity, enabled, builtin, version FROM alert_rules WHERE id = $1", id);
            assertThat(row.getString("name")).isEqualTo("Mapped");
            assertThat(row.getString("description")).isEmpty();
            assertThat(row.getString("kind")).isEqualTo("THRESHOLD");
            assertThat(row.getString("counter")).isEqualTo("entity_mapping_unused");
            assertThat(row.getString("denominator")).isNull();
            assertThat(row.getInteger("window_seconds")).isEqualTo(120);
            assertThat(row.getDouble("threshold")).isEqualTo(1_000_000d);
            assertThat(row.getLong("min_denominator")).isEqualTo(1L);
            assertThat(row.getString("severity")).isEqualTo("LOW");
            assertThat(row.getBoolean("enabled")).isTrue();
            assertThat(row.getBoolean("builtin")).isFalse();
            assertThat(row.getInteger("version")).isEqualTo(1);
            // the list keeps the SQL order: built-in rules first, then by id
            List<String> expected = new ArrayList<>();
            pool.query("SELECT id FROM alert_rules ORDER BY builtin DESC, id").execute()
                    .await().atMost(Duration.ofSeconds(5)).forEach(r -> expected.add(r.getString("id")));
            List<String> listed = given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/alert-rules").then()
                    .statusCode(200).extract().jsonPath().getList("id", String.class);
            assertThat(listed).isEqualTo(expected);
        } finally {
            admin().delete("/v1/alert-rules/" + id).then().statusCode(204);
        }
    }

    @Test
    void concurrentWritesOfOneRuleAnswerAsTheStatementsDid() throws Exception {
        String id = "mapped-" + UUID.randomUUID().toString().substring(0, 8);
        List<Response> creates = Concurrently.run(6, () -> admin().body(RULE.formatted(id)).post("/v1/alert-rules"));
        try {
            assertThat(creates).extracting(Response::statusCode).containsOnlyOnce(201).containsOnly(201, 409);
            List<Response> updates = Concurrently.run(6, () -> admin().body(RULE.formatted(id))
                    .put("/v1/alert-rules/" + id));
            // every update waits for the one before it (no version conflict) and counts one version
            assertThat(updates).extracting(Response::statusCode).containsOnly(200);
            assertThat(updates).extracting(r -> r.path("version")).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7);
        } finally {
            admin().delete("/v1/alert-rules/" + id).then().statusCode(204);
        }
    }

    @Test
    void aSubscriptionWrittenBySqlReadsBackAndReEnables() {
        UUID id = UUID.randomUUID();
        sql("""
                INSERT INTO subscriptions (id, name, kind, url, secret, event_types, min_severity)
                VALUES ($1, 'sql slack', 'SLACK', 'https://hooks.example.test/x', '', ARRAY['alert.created', 'gate.*'],
                        'HIGH')""", id);
        // as the delivery path leaves it after its fifth failure in a row
        sql("""
                UPDATE subscriptions SET enabled = FALSE, consecutive_failures = 5,
                       disabled_reason = '5 consecutive failed deliveries' WHERE id = $1""", id);
        try {
            OffsetDateTime stored = row("SELECT created_at FROM subscriptions WHERE id = $1", id)
                    .getOffsetDateTime("created_at");
            String createdAt = given().auth().oauth2(TestKeys.tokens().admin()).get("/v1/subscriptions/" + id).then()
                    .statusCode(200).body("name", equalTo("sql slack")).body("kind", equalTo("SLACK"))
                    .body("url", equalTo("https://hooks.example.test/x")).body("secretSet", equalTo(false))
                    .body("$", not(hasKey("secret")))
                    .body("eventTypes", contains("alert.created", "gate.*")).body("minSeverity", equalTo("HIGH"))
                    .body("enabled", equalTo(false)).body("consecutiveFailures", equalTo(5))
                    .body("disabledReason", equalTo("5 consecutive failed deliveries"))
                    .extract().path("createdAt");
            assertThat(OffsetDateTime.parse(createdAt)).isEqualTo(stored);

            admin().post("/v1/subscriptions/" + id + "/enable").then().statusCode(200)
                    .body("enabled", equalTo(true)).body("consecutiveFailures", equalTo(0))
                    .body("disabledReason", nullValue()).body("eventTypes", contains("alert.created", "gate.*"));
            Row row = row("SELECT enabled, consecutive_failures, disabled_reason, name, secret, event_types, "
                    + "min_severity, created_at FROM subscriptions WHERE id = $1", id);
            assertThat(row.getBoolean("enabled")).isTrue();
            assertThat(row.getInteger("consecutive_failures")).isZero();
            assertThat(row.getString("disabled_reason")).isNull();
            assertThat(row.getString("name")).isEqualTo("sql slack");
            assertThat(row.getString("secret")).isEmpty();
            assertThat(row.getArrayOfStrings("event_types")).containsExactly("alert.created", "gate.*");
            assertThat(row.getString("min_severity")).isEqualTo("HIGH");
            assertThat(row.getOffsetDateTime("created_at")).isEqualTo(stored);
        } finally {
            sql("DELETE FROM subscriptions WHERE id = $1", id);
        }
    }

    @Test
    void aSubscriptionWrittenByTheApiReadsBackWithSqlAndItsDeletionTakesItsLog() {
        String secret = "whsec-mapping-0123456789";
        String body = admin().body("""
                {"name":"api hook","kind":"WEBHOOK","url":"http://127.0.0.1:9/hook","secret":"%s",
                 "eventTypes":["alert.created","notification.test"],"minSeverity":"MEDIUM"}""".formatted(secret))
                .post("/v1/subscriptions").then().statusCode(201).body("$", not(hasKey("secret")))
                .body("secretSet", equalTo(true)).extract().asString();
        String id = io.restassured.path.json.JsonPath.from(body).getString("id");
        String createdAt = io.restassured.path.json.JsonPath.from(body).getString("createdAt");
        String slack = admin().body("""
                {"name":"api slack","kind":"SLACK","url":"http://127.0.0.1:9/slack"}""")
                .post("/v1/subscriptions").then().statusCode(201).body("secretSet", equalTo(false))
                .extract().path("id");
        try {
            Row row = row("SELECT name, kind, url, secret, event_types, min_severity, enabled, consecutive_failures, "
                    + "disabled_reason, created_at FROM subscriptions WHERE id = $1", UUID.fromString(id));
            assertThat(row.getString("name")).isEqualTo("api hook");
            assertThat(row.getString("kind")).isEqualTo("WEBHOOK");
            assertThat(row.getString("url")).isEqualTo("http://127.0.0.1:9/hook");
            assertThat(row.getString("secret")).isEqualTo(secret);
            assertThat(row.getArrayOfStrings("event_types")).containsExactly("alert.created", "notification.test");
            assertThat(row.getString("min_severity")).isEqualTo("MEDIUM");
            assertThat(row.getBoolean("enabled")).isTrue();
            assertThat(row.getInteger("consecutive_failures")).isZero();
            assertThat(row.getString("disabled_reason")).isNull();
            // the answer carries the database's created_at, in UTC as the SQL client reads it
            OffsetDateTime answered = OffsetDateTime.parse(createdAt);
            assertThat(answered).isEqualTo(row.getOffsetDateTime("created_at"));
            assertThat(answered.getOffset()).isEqualTo(ZoneOffset.UTC);
            // Slack needs no secret: stored empty, not null, as the SQL stored it
            assertThat(row("SELECT secret FROM subscriptions WHERE id = $1", UUID.fromString(slack))
                    .getString("secret")).isEmpty();

            sql("""
                    INSERT INTO deliveries (subscription_id, event_id, event_type, outcome, attempts)
                    VALUES ($1, 'e-1', 'alert.created', 'DELIVERED', 1)""", UUID.fromString(id));
            admin().delete("/v1/subscriptions/" + id).then().statusCode(204);
            assertThat(row("SELECT count(*) AS n FROM subscriptions WHERE id = $1", UUID.fromString(id))
                    .getLong("n")).isZero();
            assertThat(row("SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1", UUID.fromString(id))
                    .getLong("n")).isZero();
            admin().delete("/v1/subscriptions/" + id).then().statusCode(404)
                    .contentType("application/problem+json");
        } finally {
            sql("DELETE FROM subscriptions WHERE id = ANY($1::uuid[])",
                    (Object) new UUID[] {UUID.fromString(id), UUID.fromString(slack)});
        }
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(TestKeys.tokens().admin()).contentType("application/json");
    }

    private void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5));
    }

    private Row row(String query, Object... args) {
        return pool.preparedQuery(query).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5))
                .iterator().next();
    }
}
