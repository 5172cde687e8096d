package io.trustplane.provenance;

import io.trustplane.testing.arch.LayerRules;
import org.junit.jupiter.api.Test;

/** The package convention (docs/architecture.md) holds for provenance-service's main classes. */
class LayerTest {

    @Test
    void theLayersHold() {
        LayerRules.check("io.trustplane.provenance");
    }
}
