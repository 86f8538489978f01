package io.cdcenricher.perf.load;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SustainableRateFinderTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aBacklogWithinOneSecondOfLoadIsSustained() {
        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(5));
        finder.startStep(1000);
        for (int t = 0; t < 60; t++) {
            assertThat(finder.observe(t * S, 900 + (t % 3) * 50)).isTrue();
        }
        assertThat(finder.sustained()).isTrue();
    }

    @Test
    void aBacklogGrowingForLongerThanTheBoundIsNot() {
        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(5));
        finder.startStep(1000);
        boolean ok = true;
        int t = 0;
        for (; ok && t < 60; t++) {
            ok = finder.observe(t * S, 2000L + t * 300);
        }
        assertThat(ok).isFalse();
        assertThat(t).as("broken once the stretch passed 5 s").isEqualTo(7);
        assertThat(finder.reason()).contains("backlog above 1,000 (1 s of load) for 6.0 s and growing: 2,000 -> 3,800");
        assertThat(finder.observe(100 * S, 0)).as("a broken step stays broken").isFalse();
    }

    @Test
    void aDipBelowTheSlackStartsTheStretchOver() {
        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(5));
        finder.startStep(1000);
        for (int t = 0; t < 40; t++) {
            long backlog = t % 5 == 4 ? 500 : 1500 + (t % 5) * 400; // a saw tooth: drained every 5 s
            assertThat(finder.observe(t * S, backlog)).as("t=" + t).isTrue();
        }
    }

    @Test
    void aLargeButShrinkingBacklogIsCatchingUp() {
        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(5));
        finder.startStep(1000);
        for (int t = 0; t < 20; t++) {
            assertThat(finder.observe(t * S, 50_000 - t * 2_000L)).isTrue();
        }
    }

    @Test
    void theSustainableRateIsTheLastStepBeforeTheBreak() {
        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(5));
        assertThat(finder.conclusion()).isEqualTo("no step ran");
        finder.stepDone(1000, 1000, true);
        finder.stepDone(2000, 1990, true);
        assertThat(finder.limitFound()).isFalse();
        assertThat(finder.conclusion()).isEqualTo("every step was sustained: the limit is above 2,000.0 events/s");
        finder.stepDone(3000, 2990, true, true);
        assertThat(finder.conclusion()).isEqualTo("every step was sustained: the limit is above 3,000.0 events/s, but the "
                + "last step's backlog was still growing when it ended (the limit may be close: longer steps would tell)");
        finder.stepDone(4000, 2600, false);
        assertThat(finder.sustainableRate()).hasValue(3000);
        assertThat(finder.conclusion()).isEqualTo(
                "sustainable rate: 3,000.0 events/s (the next step, 4,000.0 events/s, was not sustained)");
    }

    @Test
    void whenTheFirstStepBreaksThereIsNoRate() {
        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(5));
        finder.stepDone(50_000, 20_000, false);
        assertThat(finder.sustainableRate()).isEmpty();
        assertThat(finder.conclusion()).isEqualTo("not even the first step (50,000.0 events/s) was sustained");
    }

    @Test
    void aBacklogGrowingAcrossShortStepsIsOneStretch() {
        SustainableRateFinder finder = new SustainableRateFinder(Duration.ofSeconds(5));
        long t = 0;
        long backlog = 0;
        double[] rates = {100, 400, 1600, 6400};
        int step = 0;
        boolean ok = true;
        for (; ok && step < rates.length; step++) {
            finder.startStep(rates[step]);
            boolean stepOk = true;
            for (int s = 0; s < 3 && stepOk; s++, t++) {
                backlog += step == 0 ? 0 : (long) rates[step]; // from the second step on, nothing comes out
                stepOk = finder.observe(t * S, backlog);
            }
            finder.stepDone(rates[step], rates[step] / 2, stepOk);
            ok = stepOk;
        }
        assertThat(ok).as("3 s steps never reach the 5 s bound alone, but the stretch spans them").isFalse();
        assertThat(step).as("broken in the last step").isEqualTo(4);
        assertThat(finder.sustainableRate()).as("the growth began in the 400/s step").hasValue(100);
        assertThat(finder.conclusion()).isEqualTo(
                "sustainable rate: 100.0 events/s (the backlog began to grow at 400.0 events/s and kept growing until 6,400.0 events/s)");
        assertThat(finder.reason()).contains("(growing since step 2)");
    }
}
