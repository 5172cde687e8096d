package io.trustplane.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The service's own connections plan with an SSD's random page cost (set at connection start, see
 * application.properties): what keeps a creationType + time listing on its own index when records of one type
 * cluster in time.
 */
@QuarkusTest
class PlannerSettingsTest {

    @Inject
    Pool pool;

    @Test
    void connectionsCarryTheRandomPageCost() {
        String value = pool.query("SHOW random_page_cost").execute()
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(30));
        assertThat(value).isEqualTo("1.1");
    }
}
