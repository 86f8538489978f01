package io.cdcenricher.perf;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ModeSummaryTest {

    private static final List<Double> QUIET = List.of(0.5, 0.8, 1.1);

    @Test
    void theMedianIsTheMiddleRunOrTheMeanOfTheMiddleTwo() {
        assertThat(ModeSummary.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(ModeSummary.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(ModeSummary.median(List.of(7.0))).isEqualTo(7.0);
    }

    @Test
    void spreadIsTheRangeOverTheMedian() {
        ModeSummary s = ModeSummary.of("enricher", List.of(100_000.0, 90_000.0, 95_000.0), QUIET, 2);
        assertThat(s.runs()).isEqualTo(3);
        assertThat(s.median()).isEqualTo(95_000.0);
        assertThat(s.min()).isEqualTo(90_000.0);
        assertThat(s.max()).isEqualTo(100_000.0);
        assertThat(s.spread()).isCloseTo(10_000.0 / 95_000.0, within(1e-12));
        assertThat(s.trusted()).isTrue();
        assertThat(s.verdict()).isEqualTo("ok");
    }

    @Test
    void aSpreadAboveTheThresholdIsTooNoisy() {
        ModeSummary s = ModeSummary.of("diy", List.of(100.0, 80.0, 95.0), QUIET, 2);
        assertThat(s.trusted()).isFalse();
        assertThat(s.verdict()).isEqualTo("too noisy: spread 21.1% > 15.0%");
    }

    @Test
    void aSpreadAtTheThresholdIsStillTrusted() {
        ModeSummary s = ModeSummary.of("diy", List.of(100.0, 100.0, 115.0), QUIET, 2);
        assertThat(s.spread()).isEqualTo(ModeSummary.MAX_SPREAD);
        assertThat(s.trusted()).isTrue();
    }

    @Test
    void aRunStartedWithTheLoadAboveTheCoreCountIsTooNoisy() {
        ModeSummary s = ModeSummary.of("passthrough", List.of(100.0, 101.0, 99.0), List.of(1.2, 2.4, Double.NaN), 2);
        assertThat(s.spread()).isLessThan(ModeSummary.MAX_SPREAD);
        assertThat(s.verdict()).isEqualTo("too noisy: load above 2 cores before 1 of 3 runs");
    }

    @Test
    void oneRunCannotBeJudged() {
        ModeSummary s = ModeSummary.of("rpc-0ms", List.of(1_000.0), List.of(0.1), 2);
        assertThat(s.spread()).isZero();
        assertThat(s.flags()).containsExactly("one run: no spread to judge");
    }

    @Test
    void everyReasonIsListed() {
        ModeSummary s = ModeSummary.of("diy", List.of(50.0, 100.0), List.of(3.0, 3.0), 2);
        assertThat(s.flags()).containsExactly("spread 66.7% > 15.0%", "load above 2 cores before 2 of 2 runs");
    }
}
