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
        assertThat(o.modes()).containsExactly(PerfOptions.Mode.ENRICHER, PerfOptions.Mode.PARTITIONED,
                PerfOptions.Mode.DIY, PerfOptions.Mode.PASSTHROUGH, PerfOptions.Mode.RPC);
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
    void theRaceRunsTheShippedGuaranteeUnlessToldAndTheLatencyPhaseFollowsIt() {
        PerfOptions shipped = PerfOptions.parse(List.of(), REPO);
        assertThat(shipped.guarantee()).isEqualTo("exactly_once_v2");
        assertThat(shipped.latencyGuarantee()).isEqualTo("exactly_once_v2");

        PerfOptions alos = PerfOptions.parse(List.of("--guarantee", "at_least_once"), REPO);
        assertThat(alos.guarantee()).isEqualTo("at_least_once");
        assertThat(alos.latencyGuarantee()).isEqualTo("at_least_once");

        PerfOptions mixed = PerfOptions.parse(List.of("--guarantee", "at_least_once", "--latency-guarantee",
                "exactly_once_v2"), REPO);
        assertThat(mixed.guarantee()).isEqualTo("at_least_once");
        assertThat(mixed.latencyGuarantee()).isEqualTo("exactly_once_v2");

        assertThatThrownBy(() -> PerfOptions.parse(List.of("--guarantee", "exactly_once"), REPO))
                .hasMessageContaining("--guarantee").hasMessageContaining("'exactly_once'");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "1,2", "--guarantee", "at_least_once"), REPO))
                .hasMessageContaining("--guarantee");
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

    @Test
    void threadsRunACurveWithItsOwnDefaults() {
        PerfOptions o = PerfOptions.parse(List.of("--threads", "4,1,2"), REPO);

        assertThat(o.isThreadsCurve()).isTrue();
        assertThat(o.isScaleCurve()).isFalse();
        assertThat(o.threadCounts()).as("ascending").containsExactly(1, 2, 4);
        assertThat(o.rows()).isEqualTo(PerfOptions.THREADS_CURVE_ROWS).isEqualTo(100_000);
        assertThat(o.events()).isEqualTo(200_000);
        assertThat(o.repeats()).isEqualTo(2);
        assertThat(PerfOptions.parse(List.of(), REPO).isThreadsCurve()).isFalse();

        PerfOptions more = PerfOptions.parse(List.of("--threads", "2", "--rows", "10000", "--events", "1000000",
                "--repeats", "3"), REPO);
        assertThat(more.threadCounts()).containsExactly(2);
        assertThat(more.rows()).isEqualTo(10_000);
        assertThat(more.events()).isEqualTo(1_000_000);
        assertThat(more.repeats()).isEqualTo(3);
    }

    @Test
    void badThreadCountsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "1,two"), REPO))
                .hasMessage("--threads: not a number: two");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "0"), REPO))
                .hasMessage("--threads: a positive whole number, not 0");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "1,2,1"), REPO))
                .hasMessage("--threads: 1 is listed twice");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "8"), REPO))
                .hasMessageStartingWith("--threads: 8 threads, but the events topic has 4 partitions");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads"), REPO))
                .hasMessage("--threads needs a value");
    }

    @Test
    void aCurveExcludesTheOtherCurveAndTheRacesOptions() {
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "1,2", "--scale", "10k"), REPO))
                .hasMessageStartingWith("--threads: a threads curve and a scale curve (--scale) are separate runs");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--scale", "10k", "--threads", "1"), REPO))
                .hasMessageStartingWith("--threads:");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "1,2", "--modes", "diy"), REPO))
                .hasMessage("--threads: runs no race, so --modes (an option of the race) does not apply");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--threads", "1", "--quick"), REPO))
                .hasMessageContaining("--quick");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--scale", "10k", "--partitions", "2"), REPO))
                .hasMessage("--scale: runs no race, so --partitions (an option of the race) does not apply");
    }

    @Test
    void theHelpTextListsThreads() {
        assertThat(PerfOptions.USAGE).contains("--threads LIST", "[100000]");
    }
}
