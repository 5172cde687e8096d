package io.trustplane.provenance.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Tile paths as C2SP tlog-tiles spells them (the spec's own example: index 1234067 is x001/x234/067). */
class TilePathTest {

    @Test
    void theSpecExamplesParseAndPrintCanonically() {
        assertThat(TilePath.parse("0/x001/x234/067")).isEqualTo(new TilePath(0, 1_234_067, 256));
        assertThat(TilePath.parse("0/x001/x234/067.p/8")).isEqualTo(new TilePath(0, 1_234_067, 8));
        assertThat(TilePath.parse("entries/000.p/1")).isEqualTo(new TilePath(-1, 0, 1));
        assertThat(TilePath.parse("1/999")).isEqualTo(new TilePath(1, 999, 256));
        assertThat(new TilePath(3, 1_234_067, 8).path()).isEqualTo("3/x001/x234/067.p/8");
        assertThat(new TilePath(-1, 1000, 256).path()).isEqualTo("entries/x001/000");
        assertThat(new TilePath(0, 5, 256).path()).isEqualTo("0/005");
    }

    @Test
    void nonCanonicalSpellingsAreRefused() {
        for (String bad : new String[] {"0/1", "0/0001", "0/x000/001", "0/001.p/0", "0/001.p/256", "0/001.p/07",
                "64/000", "01/000", "0/abc", "0/x01/002", "0", "0/001/002", "entries/x1/000"}) {
            assertThatThrownBy(() -> TilePath.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
