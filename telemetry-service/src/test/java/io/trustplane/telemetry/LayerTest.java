package io.trustplane.telemetry;

import io.trustplane.testing.arch.LayerRules;
import org.junit.jupiter.api.Test;

/** The package convention (domain, service, repository, rest, client...) holds for telemetry-service's classes. */
class LayerTest {

    @Test
    void theLayersHold() {
        LayerRules.check("io.trustplane.telemetry");
    }
}
