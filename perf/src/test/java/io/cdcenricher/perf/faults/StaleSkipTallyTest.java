package io.cdcenricher.perf.faults;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The skipped stale table versions of the run, from scrapes of instances that the faults kill and restart. */
class StaleSkipTallyTest {

    @Test
    void readsTheCounterOfEachJoinFromThePrometheusText() {
        String metrics = """
                # HELP enricher_table_stale_skipped_total Table records skipped ...
                # TYPE enricher_table_stale_skipped_total counter
                enricher_table_stale_skipped_total{join="customer"} 12.0
                enricher_table_stale_skipped_total{join="product"} 0.0
                enricher_join_total{join="customer",status="hit"} 99.0
                """;

        assertThat(StaleSkipTally.parse(metrics)).isEqualTo(Map.of("customer", 12L, "product", 0L));
    }

    @Test
    void creditsGrowthToThePhaseOfTheScrapeAndKeepsTheCountOfAKilledProcess() {
        StaleSkipTally tally = new StaleSkipTally();
        tally.record("enricher-a", Map.of("customer", 0L, "product", 0L), 0);
        tally.record("enricher-b", Map.of("customer", 0L, "product", 0L), 0);
        tally.record("enricher-a", Map.of("customer", 5L, "product", 1L), 3);
        tally.record("enricher-b", Map.of("customer", 4L, "product", 0L), 3);
        // enricher-a was killed and restarted: its new process counts from 0 again.
        tally.record("enricher-a", Map.of("customer", 2L, "product", 0L), 4);

        assertThat(tally.inPhase(0)).isZero();
        assertThat(tally.inPhase(3)).isEqualTo(10);
        assertThat(tally.inPhase(4)).isEqualTo(2);
        assertThat(tally.byJoin()).isEqualTo(Map.of("customer", 11L, "product", 1L));
        assertThat(tally.total()).isEqualTo(12);
    }

    @Test
    void aRegressionFailsThePhase() {
        PhaseResult.Builder phase = new PhaseResult.Builder(3);
        phase.in = 10;
        phase.out = 10;
        assertThat(phase.build().clean()).isTrue();

        phase.regressions = 1;
        assertThat(phase.build().clean()).isFalse();
    }
}
