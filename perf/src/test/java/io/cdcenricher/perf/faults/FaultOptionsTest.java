package io.cdcenricher.perf.faults;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultOptionsTest {

    private static final Path REPO = Path.of("/repo");

    private static FaultOptions parse(String... args) {
        return FaultOptions.parse(List.of(args), REPO);
    }

    @Test
    void theFullProfileKillsTheEnricherTenTimesThenEveryOtherPartOnce() {
        FaultOptions options = parse();

        assertThat(options.faults()).hasSize(14).startsWith(Fault.ENRICHER_KILL).endsWith(Fault.CONNECT_KILL,
                Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.FAILOVER);
        assertThat(options.phaseSeconds()).isEqualTo(30);
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.stackDir()).isEqualTo(REPO.resolve("perf/target/fault-stack"));
        assertThat(options.out().getParent()).isEqualTo(REPO.resolve("perf/results"));
    }

    @Test
    void theQuickProfileIsShort() {
        FaultOptions options = parse("--quick");

        assertThat(options.faults()).containsExactly(Fault.ENRICHER_KILL, Fault.ENRICHER_KILL, Fault.CONNECT_KILL,
                Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.FAILOVER);
        assertThat(options.phaseSeconds()).isEqualTo(12);
        assertThat(options.commandLine()).isEqualTo("perf/faults --quick");
    }

    @Test
    void aFaultListRepeatsAnItemWithAStar() {
        assertThat(parse("--faults", "enricher-kill*3, broker-kill").faults())
                .containsExactly(Fault.ENRICHER_KILL, Fault.ENRICHER_KILL, Fault.ENRICHER_KILL, Fault.BROKER_KILL);
    }

    @Test
    void aMariaDbCrashIsOnlyThereWhenAskedFor() {
        assertThat(parse().faults()).doesNotContain(Fault.MARIADB_KILL);
        assertThat(parse("--faults", "mariadb-kill*2").faults()).containsExactly(Fault.MARIADB_KILL, Fault.MARIADB_KILL);
    }

    @Test
    void enricherKillsShapeTheDefaultList() {
        assertThat(parse("--enricher-kills", "1").faults()).containsExactly(Fault.ENRICHER_KILL, Fault.CONNECT_KILL,
                Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.FAILOVER);
    }

    @Test
    void anUnknownFaultIsNamedWithTheChoices() {
        assertThatThrownBy(() -> parse("--faults", "disk-full"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'disk-full'").hasMessageContaining("broker-kill");
    }

    @Test
    void aBadRepeatCountIsRejected() {
        assertThatThrownBy(() -> parse("--faults", "broker-kill*0"))
                .hasMessageContaining("repeat count");
    }

    @Test
    void theBaselineIsNotAFaultToAskFor() {
        assertThatThrownBy(() -> parse("--faults", "baseline")).hasMessageContaining("unknown fault");
    }

    @Test
    void failOverNeedsPartitionsToShare() {
        assertThatThrownBy(() -> parse("--partitions", "1")).hasMessageContaining("--partitions");
        assertThat(parse("--partitions", "1", "--faults", "broker-kill").partitions()).isEqualTo(1);
    }

    @Test
    void faultsAndEnricherKillsTogetherAreAmbiguous() {
        assertThatThrownBy(() -> parse("--faults", "broker-kill", "--enricher-kills", "2"))
                .hasMessageContaining("not both");
    }

    @Test
    void numbersAreChecked() {
        assertThatThrownBy(() -> parse("--rate", "0")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> parse("--bad-percent", "80")).hasMessageContaining("--bad-percent");
        assertThatThrownBy(() -> parse("--phase-seconds")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("--frobnicate")).hasMessageContaining("unknown argument");
    }
}
