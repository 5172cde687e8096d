package io.trustplane.testing.arch;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The layer rules accept a well-layered fixture and report every violation planted in a badly layered one. */
class LayerRulesTest {

    static final String FIXTURE = "io.trustplane.testing.arch.fixture.";

    @Test
    void aWellLayeredServicePasses() {
        String root = FIXTURE + "good";
        assertThatCode(() -> LayerRules.check(root, new ClassFileImporter().importPackages(root)))
                .doesNotThrowAnyException();
    }

    @Test
    void everyPlantedViolationIsReported() {
        String root = FIXTURE + "bad";
        assertThatThrownBy(() -> LayerRules.check(root, new ClassFileImporter().importPackages(root)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("domain is plain Java")
                .hasMessageContaining("bad.domain.Lease")
                .hasMessageContaining("repositories run SQL and map rows to domain types, nothing else")
                .hasMessageContaining("bad.repository.LeaseRepository")
                .hasMessageContaining("repositories run in the transaction their service opens, never their own")
                .hasMessageContaining("LeaseRepository.release(java.lang.String)> calls method <io.vertx.mutiny.sqlclient.Pool.withTransaction")
                .hasMessageContaining("services do not know HTTP resources")
                .hasMessageContaining("resources call services, not repositories")
                .hasMessageContaining("no cycles between the packages")
                .hasMessageContaining("LeaseResource.get(java.lang.String) returns java.util.Map")
                .hasMessageContaining("LeaseResource.later() returns a wildcard")
                .hasMessageContaining("lists roles [admin, operator] out of the order");
    }
}
