package io.cdcenricher.perf.load;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which events of the first step fall in the warm-up, and that they are counted but not recorded. */
class WarmUpTest {

    @Test
    void theEventsDueBeforeItEndsAreInIt() {
        assertThat(new WarmUp(10).events(28_000, 1_680_000)).as("due at 0 .. 9.99996 s").isEqualTo(280_000);
        assertThat(new WarmUp(2.5).events(4, 1000)).as("due at 0, 0.25, .. 2.25 s").isEqualTo(10);
        assertThat(new WarmUp(0.1).events(30, 1000)).as("0.1 x 30 is 3.0000000000000004: event 3 is due at 0.1 s, "
                + "which is no longer in it").isEqualTo(3);
        assertThat(new WarmUp(1).events(3, 1000)).as("due at 0, 0.333, 0.666 s").isEqualTo(3);
        assertThat(new WarmUp(60).events(100, 6000)).as("the whole step").isEqualTo(6000);
        assertThat(new WarmUp(60).events(100, 10)).as("never more than the step offers").isEqualTo(10);
        assertThat(WarmUp.NONE.events(28_000, 1_680_000)).isZero();
        assertThat(new WarmUp(0.000_001).events(1, 10)).as("event 0 is due at once").isEqualTo(1);
    }

    @Test
    void itAgreesWithTheSendersDueTimes() {
        for (double rate : new double[] {1, 3, 7, 30, 333.3, 1000, 28_000}) {
            WarmUp warmUp = new WarmUp(1.7);
            long n = warmUp.events(rate, 1_000_000);
            assertThat(OpenLoopSender.dueOffsetMicros(n - 1, rate)).as("last in, at %s/s", rate).isLessThan(1_700_000);
            assertThat(OpenLoopSender.dueOffsetMicros(n, rate)).as("first out, at %s/s", rate).isGreaterThanOrEqualTo(1_700_000);
        }
    }

    @Test
    void warmUpEventsAreCountedButTheirLatencyIsNotRecorded() {
        StepTally tally = new StepTally(1, 100, 0, 3);
        tally.sent(6);
        tally.record(0, 5_000_000, Map.of("customer", "hit"), null); // a cold start: 5 s
        tally.record(1, 4_000_000, Map.of(), "unknown-event-type");
        tally.record(2, 3_000_000, Map.of("customer", "miss"), null);
        tally.record(2, 3_000_000, Map.of("customer", "miss"), null); // a second copy is still a duplicate
        tally.record(3, 10_000, Map.of("customer", "hit"), null);
        tally.record(4, 20_000, Map.of("customer", "hit"), null);

        StepResult r = tally.result(1, 5, 0, 0, 0, true, "sustained");
        assertThat(r.output()).as("every copy counted").isEqualTo(4);
        assertThat(r.deadLetters()).isEqualTo(1);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.notReceived()).as("seq 5").isEqualTo(1);
        assertThat(r.statuses()).isEqualTo(Map.of("customer", Map.of("hit", 3L, "miss", 1L)));
        assertThat(r.warmupEvents()).as("0, 1, 2 came out, latency not recorded").isEqualTo(3);
        assertThat(r.latencyCount()).as("3 and 4 only").isEqualTo(2);
        assertThat(r.maxMs()).as("the 5 s of the cold start are not in it").isBetween(19.9, 20.1);
        assertThat(r.p50Ms()).isBetween(9.9, 10.1);
    }

    @Test
    void aStepAfterTheFirstOrWithoutWarmUpRecordsEverything() {
        StepTally tally = new StepTally(2, 100, 10);
        tally.sent(2);
        tally.record(10, 5_000_000, Map.of(), null);
        tally.record(11, 1_000, Map.of(), null);
        StepResult r = tally.result(1, 2, 0, 0, 0, true, "sustained");
        assertThat(r.latencyCount()).isEqualTo(2);
        assertThat(r.warmupEvents()).isZero();
        assertThat(r.maxMs()).isBetween(4990.0, 5010.0);
    }

    @Test
    void refusesANegativeOrEndlessWarmUp() {
        assertThatThrownBy(() -> new WarmUp(-1)).hasMessageContaining("--warmup-seconds");
        assertThatThrownBy(() -> new WarmUp(Double.NaN)).hasMessageContaining("--warmup-seconds");
        assertThatThrownBy(() -> new WarmUp(Double.POSITIVE_INFINITY)).hasMessageContaining("--warmup-seconds");
    }
}
