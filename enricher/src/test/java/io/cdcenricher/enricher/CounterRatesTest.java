package io.cdcenricher.enricher;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The status page's rates: a sliding window of counter samples, on a clock the test moves. */
class CounterRatesTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final CounterRates<String> rates = new CounterRates<>(Duration.ofMinutes(1), now::get);

    private CounterRates.Window<String> at(long secondsLater, double hits, double misses) {
        now.addAndGet(secondsLater * 1000);
        return rates.sample(Map.of("hit", hits, "miss", misses));
    }

    @Test
    void aFirstSampleHasNothingToMeasureAgainst() {
        CounterRates.Window<String> first = at(0, 5, 0);

        assertThat(first.isEmpty()).isTrue();
        assertThat(first.perSecond()).isEmpty();
    }

    @Test
    void ratesAreTheIncreaseOverTheTimeSinceTheBaseline() {
        at(0, 0, 0);
        CounterRates.Window<String> window = at(10, 50, 5);

        assertThat(window.seconds()).isEqualTo(10.0);
        assertThat(window.perSecond()).containsEntry("hit", 5.0).containsEntry("miss", 0.5);
    }

    @Test
    void theWindowSlidesSoOldTrafficNoLongerCounts() {
        at(0, 0, 0);
        at(30, 600, 0);      // 20 per second for half a minute
        at(30, 600, 0);      // then nothing
        CounterRates.Window<String> window = at(30, 600, 0);

        // Baseline: the newest sample at or before now - 60 s, i.e. the one at 30 s; nothing since.
        assertThat(window.seconds()).isEqualTo(60.0);
        assertThat(window.perSecond()).containsEntry("hit", 0.0);
    }

    @Test
    void theBaselineIsTheNewestSampleAtOrBeforeTheWindowStart() {
        at(0, 0, 0);
        at(20, 100, 0);
        at(20, 200, 0);
        CounterRates.Window<String> window = at(25, 300, 0);   // t = 65 s: the window starts at 5 s

        assertThat(window.seconds()).isEqualTo(65.0);
        assertThat(window.perSecond().get("hit")).isCloseTo(300 / 65.0, within(1e-9));
        assertThat(rates.retained()).isEqualTo(4);

        CounterRates.Window<String> later = at(20, 400, 0);   // t = 85 s: the window starts at 25 s
        assertThat(later.seconds()).as("the sample at 20 s is the baseline, the one at 0 s is gone").isEqualTo(65.0);
        assertThat(rates.retained()).isEqualTo(4);
    }

    @Test
    void afterAQuietSpellTheSpanSaysHowLongItReallyIs() {
        at(0, 0, 0);
        CounterRates.Window<String> window = at(600, 1200, 0);

        assertThat(window.seconds()).as("no sample for ten minutes: the rate covers all of them").isEqualTo(600.0);
        assertThat(window.perSecond()).containsEntry("hit", 2.0);
    }

    @Test
    void samplesCloserThanTheSpacingAreNotKeptAndRatesAreNotAskedOfMilliseconds() {
        at(0, 0, 0);
        now.addAndGet(300);
        assertThat(rates.sample(Map.of("hit", 1.0)).isEmpty()).as("300 ms is too short to tell a rate").isTrue();
        for (int i = 0; i < 60; i++) {
            now.addAndGet(10);
            rates.sample(Map.of("hit", 1.0));
        }
        assertThat(rates.retained()).isEqualTo(1);

        CounterRates.Window<String> window = at(2, 4, 0);
        assertThat(window.seconds()).isEqualTo(2.9);
        assertThat(window.perSecond().get("hit")).isCloseTo(4 / 2.9, within(1e-9));
    }

    @Test
    void aCounterTheBaselineDidNotHaveStartsFromZeroAndACounterThatShrankHasNoNegativeRate() {
        rates.sample(Map.of("hit", 10.0));
        CounterRates.Window<String> window = at(4, 2, 8);

        assertThat(window.perSecond()).containsEntry("hit", 0.0).containsEntry("miss", 2.0);
    }
}
