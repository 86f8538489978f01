package io.cdcenricher.perf.faults;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The resume-time lines of the report, on hand-made injections. */
class FaultReportTest {

    private static FaultInjector.Injection injection(Fault fault, long resumeMs) {
        return new FaultInjector.Injection(fault, 0, resumeMs + 1000, "test", List.of(), resumeMs);
    }

    @Test
    void eachEnricherFaultKindGetsCountMedianMinAndMax() {
        List<FaultInjector.Injection> injections = List.of(injection(Fault.NONE, -1),
                injection(Fault.ENRICHER_RESTART, 7_900), injection(Fault.ENRICHER_RESTART, 5_100),
                injection(Fault.ENRICHER_RESTART, 6_200), injection(Fault.ENRICHER_RESTART, 6_000),
                injection(Fault.ENRICHER_RESTART, 6_900), injection(Fault.BROKER_KILL, -1),
                injection(Fault.ENRICHER_LOSS, 12_300), injection(Fault.ROLLING_RESTART, 2_000));

        assertThat(FaultReport.resumeSummary(injections)).containsExactly(
                "enricher-restart: 5 restarts, output resumed in median 6.2 s (min 5.1, max 7.9)",
                "enricher-loss: 1 loss, output resumed in median 12.3 s (min 12.3, max 12.3)",
                "rolling-restart: 1 rolling restart, output resumed in median 2.0 s (min 2.0, max 2.0); "
                        + "each the worse of its two stops");
        assertThat(FaultReport.restartTarget(injections))
                .hasValue("target: output resumes within 10 s of an enricher kill (median of 5 restarts): met (6.2 s)");
    }

    @Test
    void aMissedTargetIsSaidButARunWithoutRestartsHasNoTargetLine() {
        assertThat(FaultReport.restartTarget(List.of(injection(Fault.ENRICHER_RESTART, 45_100),
                injection(Fault.ENRICHER_RESTART, 44_000)))).hasValue(
                "target: output resumes within 10 s of an enricher kill (median of 2 restarts): NOT met (44.6 s)");
        assertThat(FaultReport.restartTarget(List.of(injection(Fault.BROKER_KILL, -1)))).isEmpty();
        assertThat(FaultReport.resumeSummary(List.of(injection(Fault.BROKER_KILL, -1)))).isEmpty();
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(FaultReport.median(List.of(4L, 1L, 3L, 2L))).isEqualTo(2);
        assertThat(FaultReport.median(List.of(10L, 30L))).isEqualTo(20);
        assertThat(FaultReport.median(List.of(9L))).isEqualTo(9);
    }
}
