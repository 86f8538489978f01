package io.cdcenricher.perf.faults;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultOptionsTest {

    private static final Path REPO = Path.of("/repo");

    private static FaultOptions parse(String... args) {
        return FaultOptions.parse(List.of(args), REPO);
    }

    @Test
    void theFullProfileRestartsTheEnricherFiveTimesThenFaultsEveryOtherPartOnce() {
        FaultOptions options = parse();

        assertThat(options.faults()).containsExactly(Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART,
                Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART, Fault.CONNECT_KILL,
                Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.ENRICHER_LOSS, Fault.ROLLING_RESTART);
        assertThat(options.phaseSeconds()).isEqualTo(30);
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.enricherKafka()).isEmpty();
        assertThat(options.enricherKafkaText()).isEqualTo("none");
        assertThat(options.stackDir()).isEqualTo(REPO.resolve("perf/target/fault-stack"));
        assertThat(options.out().getParent()).isEqualTo(REPO.resolve("perf/results"));
    }

    @Test
    void theQuickProfileIsShortAndStillHasEveryKindOfFault() {
        FaultOptions options = parse("--quick");

        assertThat(options.faults()).containsExactly(Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART, Fault.CONNECT_KILL,
                Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.ENRICHER_LOSS, Fault.ROLLING_RESTART);
        assertThat(options.phaseSeconds()).isEqualTo(12);
        assertThat(options.commandLine()).isEqualTo("perf/faults --quick");
    }

    @Test
    void aFaultListRepeatsAnItemWithAStar() {
        assertThat(parse("--faults", "enricher-restart*3, broker-kill").faults())
                .containsExactly(Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART, Fault.BROKER_KILL);
    }

    @Test
    void theOldNamesAreAliasesOfTheSameFaults() {
        assertThat(parse("--faults", "enricher-kill*2,failover,enricher-loss,rolling-restart").faults())
                .containsExactly(Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART, Fault.ENRICHER_LOSS,
                        Fault.ENRICHER_LOSS, Fault.ROLLING_RESTART);
        assertThat(Fault.ENRICHER_RESTART.aliases()).containsExactly("enricher-kill");
        assertThat(Fault.ENRICHER_LOSS.aliases()).containsExactly("failover");
    }

    @Test
    void theHelpNamesEveryFaultAndAlias() {
        for (Fault fault : Fault.values()) {
            if (fault != Fault.NONE) {
                assertThat(FaultOptions.USAGE).contains(fault.label());
                fault.aliases().forEach(alias -> assertThat(FaultOptions.USAGE).contains("alias: " + alias));
            }
        }
        assertThat(FaultOptions.USAGE).contains(
                "enricher-restart*5,connect-kill,broker-kill,mariadb-restart,enricher-loss,rolling-restart",
                "[enricher-restart*2,connect-kill,broker-kill,mariadb-restart,enricher-loss,rolling-restart]",
                "--enricher-kafka KEY=VALUE");
    }

    @Test
    void theEnricherAndTheBrokerFaultsMeasureResumeTime() {
        // A Connect worker kill does not stall the enricher's output: its recovery is judged by data.
        assertThat(List.of(Fault.values())).filteredOn(Fault::measuresResume)
                .containsExactlyInAnyOrder(Fault.ENRICHER_RESTART, Fault.ENRICHER_LOSS, Fault.ROLLING_RESTART,
                        Fault.EVENTS_LEADER_KILL, Fault.BROKER_LOSS, Fault.TABLE_LEADER_KILL, Fault.CONTROLLER_KILL,
                        Fault.COORDINATOR_KILL, Fault.BROKER_ROLLING_RESTART);
        assertThat(Fault.CONTROLLER_KILL.count(2)).isEqualTo("2 kills");
        assertThat(Fault.ENRICHER_RESTART.count(5)).isEqualTo("5 restarts");
        assertThat(Fault.ENRICHER_LOSS.count(1)).isEqualTo("1 loss");
        assertThat(Fault.ENRICHER_LOSS.count(2)).isEqualTo("2 losses");
        assertThat(Fault.ROLLING_RESTART.count(1)).isEqualTo("1 rolling restart");
    }

    @Test
    void theClusterRunsOnThreeNodesAndTwoWorkersWithTheClusterFaults() {
        FaultOptions options = parse("--cluster");

        assertThat(options.cluster()).isTrue();
        assertThat(options.shape().brokers()).isEqualTo(3);
        assertThat(options.shape().connectWorkers()).isEqualTo(2);
        assertThat(options.faults()).containsExactly(Fault.EVENTS_LEADER_KILL, Fault.BROKER_LOSS,
                Fault.TABLE_LEADER_KILL, Fault.CONTROLLER_KILL, Fault.COORDINATOR_KILL, Fault.TASK_WORKER_KILL,
                Fault.BROKER_ROLLING_RESTART);
        assertThat(parse().shape().brokers()).isEqualTo(1);
        assertThat(parse("--cluster", "--faults", "events-leader-kill,enricher-restart").faults())
                .containsExactly(Fault.EVENTS_LEADER_KILL, Fault.ENRICHER_RESTART);
        assertThat(FaultOptions.USAGE).contains("events-leader-kill,broker-loss,table-leader-kill,controller-kill,"
                + "coordinator-kill,task-worker-kill,broker-rolling-restart");
    }

    @Test
    void aClusterFaultNeedsTheCluster() {
        assertThatThrownBy(() -> parse("--faults", "broker-kill,coordinator-kill"))
                .hasMessage("--faults: coordinator-kill needs the cluster stack: add --cluster (three KRaft nodes, two "
                        + "Connect workers)");
        assertThatThrownBy(() -> parse("--cluster", "--enricher-restarts", "2"))
                .hasMessageContaining("with --cluster, name the faults with --faults");
    }

    @Test
    void aMariaDbCrashIsOnlyThereWhenAskedFor() {
        assertThat(parse().faults()).doesNotContain(Fault.MARIADB_KILL);
        assertThat(parse("--faults", "mariadb-kill*2").faults()).containsExactly(Fault.MARIADB_KILL, Fault.MARIADB_KILL);
    }

    @Test
    void enricherRestartsShapeTheDefaultList() {
        List<Fault> others = List.of(Fault.CONNECT_KILL, Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.ENRICHER_LOSS,
                Fault.ROLLING_RESTART);
        assertThat(parse("--enricher-restarts", "1").faults()).startsWith(Fault.ENRICHER_RESTART).hasSize(6)
                .endsWith(others.toArray(Fault[]::new));
        assertThat(parse("--enricher-kills", "3").faults()).filteredOn(f -> f == Fault.ENRICHER_RESTART).hasSize(3);
    }

    @Test
    void enricherKafkaSettingsAreKeptInOrderAndTheLastOneForAKeyWins() {
        FaultOptions options = parse("--enricher-kafka", "session.timeout.ms=45000", "--enricher-kafka",
                "group.instance.id=", "--enricher-kafka", "group.protocol=streams", "--enricher-kafka",
                "session.timeout.ms=30000", "--enricher-kafka", "client.id=a=b");

        assertThat(options.enricherKafka()).containsExactly(Map.entry("group.instance.id", ""),
                Map.entry("group.protocol", "streams"), Map.entry("session.timeout.ms", "30000"),
                Map.entry("client.id", "a=b"));
        assertThat(options.enricherKafkaText()).isEqualTo(
                "group.instance.id=\"\", group.protocol=\"streams\", session.timeout.ms=\"30000\", client.id=\"a=b\"");
    }

    @Test
    void anEnricherKafkaSettingNeedsAKeyThatCannotBreakTheYaml() {
        assertThatThrownBy(() -> parse("--enricher-kafka", "session.timeout.ms")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> parse("--enricher-kafka", "=5")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> parse("--enricher-kafka", "a: b=c")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> parse("--enricher-kafka", "bootstrap.servers=x:9092"))
                .hasMessageContaining("the harness's to set");
        assertThatThrownBy(() -> parse("--enricher-kafka")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("--enricher-kafka", "group.instance.id=enricher"))
                .hasMessageContaining("the same on both instances");
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
    void anEnricherLossNeedsPartitionsToShare() {
        assertThatThrownBy(() -> parse("--partitions", "1")).hasMessageContaining("--partitions");
        assertThat(parse("--partitions", "1", "--faults", "broker-kill").partitions()).isEqualTo(1);
    }

    @Test
    void faultsAndEnricherRestartsTogetherAreAmbiguous() {
        assertThatThrownBy(() -> parse("--faults", "broker-kill", "--enricher-restarts", "2"))
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
