package io.trustplane.common.events;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class UuidV7Test {

    @Test
    void isVersion7WithTheRfcVariantAndEncodesItsTime() {
        long now = System.currentTimeMillis();
        UUID id = UuidV7.at(now);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(UuidV7.epochMillis(id)).isEqualTo(now);
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        UUID earlier = UuidV7.at(1_700_000_000_000L);
        UUID later = UuidV7.at(1_700_000_000_001L);
        assertThat(earlier.toString()).isLessThan(later.toString());
    }
}
