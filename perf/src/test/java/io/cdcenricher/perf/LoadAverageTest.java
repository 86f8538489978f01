package io.cdcenricher.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadAverageTest {

    @Test
    void readsTheThreeAveragesOfAProcLoadavgLine() {
        LoadAverage load = LoadAverage.parse("3.03 4.15 5.28 2/106 22210\n");
        assertThat(load.oneMinute()).isEqualTo(3.03);
        assertThat(load.fiveMinutes()).isEqualTo(4.15);
        assertThat(load.fifteenMinutes()).isEqualTo(5.28);
        assertThat(load).hasToString("3.03 4.15 5.28");
    }

    @Test
    void refusesSomethingElse() {
        assertThatThrownBy(() -> LoadAverage.parse("busy")).isInstanceOf(IllegalArgumentException.class);
    }
}
