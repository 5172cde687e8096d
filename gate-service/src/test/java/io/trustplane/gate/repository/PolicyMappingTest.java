package io.trustplane.gate.repository;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.gate.repository.entity.PolicyEntity;
import io.trustplane.gate.rest.GateTestSupport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.equalTo;

/**
 * Policies as the entities map them: text[] tiers and actions, the effect enum, the version and timestamps read back
 * as the SQL creation wrote them, the jsonb revision snapshot an entity update writes read back with SQL, and
 * {@code @Version} refusing a write that another writer raced.
 */
@QuarkusTest
class PolicyMappingTest extends GateTestSupport {

    @Inject
    Pool pool;
    @Inject
    Mutiny.SessionFactory sessions;
    @Inject
    Vertx vertx;

    private String create(String name) {
        // a resource no other test evaluates, so the policy decides nothing elsewhere while it lives
        return as(admin()).body(Map.of("name", name, "priority", 7, "role", "DATA_ANALYST",
                        "tiers", List.of("TRUSTED", "BASIC"), "actions", List.of("read", "write"),
                        "resourcePattern", "mapping-test/*", "effect", "ESCALATE"))
                .post("/v1/policies").then().statusCode(201).extract().path("id");
    }

    private Row row(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(30))
                .iterator().next();
    }

    @Test
    void theEntityReadsWhatTheSqlCreationWrote() {
        String name = unique("mapped");
        String id = create(name);
        OffsetDateTime created = row("SELECT created_at FROM policies WHERE id = $1", id)
                .getOffsetDateTime("created_at");

        as(admin()).get("/v1/policies/" + id).then().statusCode(200)
                .body("name", equalTo(name)).body("priority", equalTo(7)).body("role", equalTo("DATA_ANALYST"))
                .body("tiers", equalTo(List.of("TRUSTED", "BASIC"))).body("actions", equalTo(List.of("read", "write")))
                .body("resourcePattern", equalTo("mapping-test/*")).body("effect", equalTo("ESCALATE"))
                .body("enabled", equalTo(true)).body("version", equalTo(1))
                .body("createdAt", equalTo(created.toInstant().toString()));
        List<String> listed = as(operator()).get("/v1/policies").then().statusCode(200).extract().path("id");
        assertThat(listed).contains(id);
        // a live policy would decide the other tests' evaluations
        as(admin()).delete("/v1/policies/" + id).then().statusCode(200);
    }

    @Test
    void anEntityUpdateWritesTheColumnsAndTheJsonbRevisionTheSqlReads() {
        String id = create(unique("updated"));
        as(admin()).body(Map.of("name", "now a deny", "priority", 3, "tiers", List.of("VERIFIED"),
                        "actions", List.of("delete"), "effect", "DENY", "enabled", false, "expectedVersion", 1))
                .put("/v1/policies/" + id).then().statusCode(200).body("version", equalTo(2));

        Row policy = row("SELECT name, priority, role, tiers, actions, resource_pattern, effect, enabled, version, "
                + "updated_at > created_at AS moved FROM policies WHERE id = $1", id);
        assertThat(policy.getString("name")).isEqualTo("now a deny");
        assertThat(policy.getInteger("priority")).isEqualTo(3);
        assertThat(policy.getString("role")).isNull();
        assertThat(policy.getArrayOfStrings("tiers")).containsExactly("VERIFIED");
        assertThat(policy.getArrayOfStrings("actions")).containsExactly("delete");
        assertThat(policy.getString("resource_pattern")).isEqualTo("*");
        assertThat(policy.getString("effect")).isEqualTo("DENY");
        assertThat(policy.getBoolean("enabled")).isFalse();
        assertThat(policy.getLong("version")).isEqualTo(2L);
        assertThat(policy.getBoolean("moved")).isTrue();

        List<Row> revisions = new ArrayList<>();
        pool.preparedQuery("SELECT version, change, snapshot, actor FROM policy_revisions WHERE policy_id = $1 "
                        + "ORDER BY revision").execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(30))
                .forEach(revisions::add);
        assertThat(revisions).extracting(r -> r.getString("change")).containsExactly("CREATED", "UPDATED");
        Row updated = revisions.get(1);
        assertThat(updated.getLong("version")).isEqualTo(2L);
        assertThat(updated.getString("actor")).isNotBlank();
        JsonObject snapshot = (JsonObject) updated.getValue("snapshot");
        assertThat(snapshot.getMap()).containsEntry("name", "now a deny").containsEntry("priority", 3)
                .containsEntry("role", "").containsEntry("effect", "DENY").containsEntry("enabled", false)
                .containsEntry("resourcePattern", "*");
        assertThat(snapshot.getJsonArray("tiers").getList()).containsExactly("VERIFIED");
        assertThat(snapshot.getJsonArray("actions").getList()).containsExactly("delete");

        as(admin()).delete("/v1/policies/" + id).then().statusCode(200).body("version", equalTo(3));
        Row deleted = row("SELECT deleted, version FROM policies WHERE id = $1", id);
        assertThat(deleted.getBoolean("deleted")).isTrue();
        assertThat(deleted.getLong("version")).isEqualTo(3L);
        assertThat(row("SELECT change FROM policy_revisions WHERE policy_id = $1 ORDER BY revision DESC LIMIT 1", id)
                .getString("change")).isEqualTo("DELETED");
    }

    @Test
    void aWriteRacedByAnotherWriterIsRefusedByItsVersion() throws Throwable {
        String id = create(unique("raced"));
        // read at version 1, another writer moves the row on, then this session writes what it read
        Throwable refused = catchThrowable(() -> OnVertx.await(vertx, () -> sessions.withTransaction(session ->
                session.find(PolicyEntity.class, id).call(e -> pool.preparedQuery(
                                "UPDATE policies SET version = version + 1 WHERE id = $1").execute(Tuple.of(id)))
                        .invoke(e -> e.name = "lost update")
                        .call(e -> session.flush()))));
        assertThat(refused).matches(PolicyRepository::isStale, "a stale-version refusal");
        assertThat(row("SELECT name, version FROM policies WHERE id = $1", id).getLong("version")).isEqualTo(2L);

        // the route still answers a stale expectedVersion with 409, and applies an unconditional update
        as(admin()).body(Map.of("name", "x", "priority", 1, "effect", "DENY", "expectedVersion", 1))
                .put("/v1/policies/" + id).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("version_mismatch")).body("version", equalTo(2));
        as(admin()).body(Map.of("name", "x", "priority", 1, "role", "DATA_ANALYST", "resourcePattern", "raced/*",
                        "effect", "DENY", "enabled", false))
                .put("/v1/policies/" + id).then().statusCode(200).body("version", equalTo(3));
        as(admin()).delete("/v1/policies/" + id).then().statusCode(200).body("version", equalTo(4));
    }
}
