package io.trustplane.telemetry.domain.ingest;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BatchEffectsTest {

    private static OffsetDateTime t(String iso) {
        return OffsetDateTime.parse(iso);
    }

    @Test
    void bucketStartsAreWhatPostgresComputesFromTheMicrosecondsItReceives() {
        assertThat(CounterBuckets.bucketStart(t("2026-12-06T10:00:09.999999999Z"), 10))
                .isEqualTo(t("2026-12-06T10:00:00Z"));
        assertThat(CounterBuckets.bucketStart(t("2026-12-06T10:00:10Z"), 10)).isEqualTo(t("2026-12-06T10:00:10Z"));
        assertThat(CounterBuckets.bucketStart(t("2026-12-06T12:00:10+02:00"), 60)).isEqualTo(t("2026-12-06T10:00:00Z"));
        // before 2000 the driver truncates toward 2000-01-01: 100 ns before it arrives as 2000-01-01 itself
        assertThat(CounterBuckets.bucketStart(t("1999-12-31T23:59:59.9999999Z"), 10)).isEqualTo(t("2000-01-01T00:00:00Z"));
        assertThat(CounterBuckets.bucketStart(t("1999-12-31T23:59:59.999999Z"), 10)).isEqualTo(t("1999-12-31T23:59:50Z"));
        assertThat(CounterBuckets.bucketStart(null, 10)).isNull();
    }

    @Test
    void rowsAreSummedPerNameAgentAndBucket() {
        List<CounterRow> rows = List.of(
                new CounterRow("a", "", t("2026-12-06T10:00:01Z"), 1),
                new CounterRow("a", null, t("2026-12-06T10:00:09Z"), 2),
                new CounterRow("a", "x", t("2026-12-06T10:00:02Z"), 4),
                new CounterRow("a", "", t("2026-12-06T10:00:10Z"), 8),
                new CounterRow("b", "", t("2026-12-06T10:00:03Z"), 16),
                new CounterRow("a", "", null, 32),
                new CounterRow("a", "", null, 64));
        assertThat(CounterBuckets.aggregate(rows, 10)).containsExactly(
                new CounterRow("a", "", t("2026-12-06T10:00:00Z"), 3),
                new CounterRow("a", "x", t("2026-12-06T10:00:00Z"), 4),
                new CounterRow("a", "", t("2026-12-06T10:00:10Z"), 8),
                new CounterRow("b", "", t("2026-12-06T10:00:00Z"), 16),
                new CounterRow("a", "", null, 96));
    }

    private static EventEffects fx(String agent, Optional<Double> score, Optional<String> tier,
            Optional<String> acquired, Optional<String> ended, Optional<Long> logSize) {
        return new EventEffects(List.of(), score, tier, acquired, ended, logSize, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), agent);
    }

    @Test
    void anAgentKeepsItsLastTierAndScoreAndALeaseItsLastEvent() {
        Optional<String> none = Optional.empty();
        BatchEffects b = BatchEffects.of(List.of(
                new BatchEffects.Event("1", null, fx("ag", Optional.of(700.0), Optional.of("T2"), none, none,
                        Optional.of(5L))),
                new BatchEffects.Event("2", null, fx("ag", Optional.of(650.0), Optional.empty(), Optional.of("L1"),
                        none, Optional.of(9L))),
                new BatchEffects.Event("3", null, fx("other", Optional.empty(), Optional.of("T3"), none,
                        Optional.of("L1"), Optional.of(7L))),
                new BatchEffects.Event("4", null, fx(null, Optional.empty(), none, none, Optional.of("L2"),
                        Optional.empty())),
                new BatchEffects.Event("5", null, fx(null, Optional.empty(), none, Optional.of("L2"), none,
                        Optional.empty())),
                new BatchEffects.Event("6", null, fx(null, Optional.empty(), none, Optional.of("L3"), none,
                        Optional.empty()))));
        assertThat(b.agents()).containsExactly(new BatchEffects.AgentState("ag", "T2", 650.0),
                new BatchEffects.AgentState("other", "T3", null));
        assertThat(b.scores()).extracting(BatchEffects.ScoreSample::eventId).containsExactly("1", "2");
        assertThat(b.leasesAcquired()).containsExactly("L2", "L3");
        assertThat(b.leasesEnded()).containsExactly("L1");
        assertThat(b.logSize()).contains(9L);
    }
}
