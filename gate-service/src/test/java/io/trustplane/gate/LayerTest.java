package io.trustplane.gate;

import io.trustplane.testing.arch.LayerRules;
import org.junit.jupiter.api.Test;

/** gate-service's main classes keep the package convention of docs/architecture.md (see {@link LayerRules}). */
class LayerTest {

    @Test
    void theLayersHold() {
        LayerRules.check("io.trustplane.gate");
    }
}
