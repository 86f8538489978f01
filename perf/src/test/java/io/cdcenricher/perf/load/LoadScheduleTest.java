package io.cdcenricher.perf.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadScheduleTest {

    @Test
    void constantIsOneStep() {
        LoadSchedule s = LoadSchedule.constant(500, 60);
        assertThat(s.rate(0)).hasValue(500);
        assertThat(s.rate(1)).isEmpty();
        assertThat(s.stepSeconds()).isEqualTo(60);
        assertThat(s.describe()).isEqualTo("constant 500.0 events/s for 60 s");
    }

    @Test
    void stepsInTheirOrderWithThousands() {
        LoadSchedule s = LoadSchedule.steps("1k,2k,5000,10_000", 30);
        assertThat(s.maxSteps()).isEqualTo(4);
        assertThat(s.rate(0)).hasValue(1000);
        assertThat(s.rate(3)).hasValue(10_000);
        assertThat(s.rate(4)).isEmpty();
    }

    @Test
    void rampAddsOrMultipliesUpToItsMaximum() {
        LoadSchedule add = LoadSchedule.ramp("1000,+500,2500", 20);
        assertThat(add.rate(0)).hasValue(1000);
        assertThat(add.rate(3)).hasValue(2500);
        assertThat(add.rate(4)).isEmpty();
        LoadSchedule times = LoadSchedule.ramp("100,x2", 20);
        assertThat(times.rate(3)).hasValue(800);
        assertThat(times.maxRate()).isEqualTo(LoadSchedule.DEFAULT_MAX_RATE);
        assertThat(times.describe()).contains("ramp from 100.0 events/s, x2.0 every 20 s");
    }

    @Test
    void badSchedulesAreNamed() {
        assertThatThrownBy(() -> LoadSchedule.ramp("1000", 10)).hasMessageContaining("--ramp: START,+N[,MAX]");
        assertThatThrownBy(() -> LoadSchedule.ramp("1000,-5", 10)).hasMessageContaining("+N");
        assertThatThrownBy(() -> LoadSchedule.ramp("1000,x1", 10)).hasMessageContaining("above 1");
        assertThatThrownBy(() -> LoadSchedule.ramp("1000,+1,10", 10)).hasMessageContaining("below the start");
        assertThatThrownBy(() -> LoadSchedule.steps("1k,abc", 10)).hasMessageContaining("--steps: not a rate: abc");
        assertThatThrownBy(() -> LoadSchedule.steps("0", 10)).hasMessageContaining("positive");
    }
}
