package io.cdcenricher.perf;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PerfOptionsTest {

    private static final Path REPO = Path.of("/repo");

    @Test
    void quickIsTheSmallProfile() {
        PerfOptions o = PerfOptions.parse(List.of("--quick"), REPO);
        assertThat(o.rows()).isEqualTo(10_000);
        assertThat(o.events()).isEqualTo(200_000);
        assertThat(o.modes()).containsExactly(PerfOptions.Mode.values());
        assertThat(o.repeats()).isEqualTo(2);
        assertThat(o.out().getParent()).isEqualTo(REPO.resolve("perf/results"));
        assertThat(o.stackDir()).isEqualTo(REPO.resolve("perf/target/stack"));
    }

    @Test
    void theFullProfileIsTheDefault() {
        PerfOptions o = PerfOptions.parse(List.of(), REPO);
        assertThat(o.rows()).isEqualTo(1_000_000);
        assertThat(o.events()).isEqualTo(5_000_000);
        assertThat(o.rpcLatenciesMs()).containsExactly(0, 1, 5);
        assertThat(o.repeats()).isEqualTo(3);
    }

    @Test
    void modesKeepTheirOrderAndRepeats() {
        PerfOptions o = PerfOptions.parse(List.of("--modes", "passthrough,enricher,diy,enricher", "--repeats", "5"), REPO);
        assertThat(o.modes()).containsExactly(PerfOptions.Mode.PASSTHROUGH, PerfOptions.Mode.ENRICHER,
                PerfOptions.Mode.DIY, PerfOptions.Mode.ENRICHER);
        assertThat(o.repeats()).isEqualTo(5);
        assertThat(o.runs(PerfOptions.Mode.DIY)).isTrue();
        assertThat(o.runs(PerfOptions.Mode.RPC)).isFalse();
    }

    @Test
    void settingsOverrideTheProfile() {
        PerfOptions o = PerfOptions.parse(List.of("--quick", "--rows", "500", "--skew", "zipf", "--rate", "max",
                "--rpc-latency-ms", "0,5", "--modes", "rpc,enricher", "--update-ratio", "0.5"), REPO);
        assertThat(o.rows()).isEqualTo(500);
        assertThat(o.skew()).isEqualTo(PerfOptions.Skew.ZIPF);
        assertThat(o.rate()).isEqualTo(PerfOptions.RATE_MAX);
        assertThat(o.rpcLatenciesMs()).containsExactly(0, 5);
        assertThat(o.modes()).containsExactly(PerfOptions.Mode.RPC, PerfOptions.Mode.ENRICHER);
        assertThat(o.updateRatio()).isEqualTo(0.5);
    }

    @Test
    void badArgumentsNameTheOption() {
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--rows", "-1"), REPO)).hasMessageContaining("--rows");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--modes", "fast"), REPO)).hasMessageContaining("fast");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--bogus"), REPO)).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--skew"), REPO)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--repeats", "0"), REPO)).hasMessageContaining("--repeats");
    }
}
