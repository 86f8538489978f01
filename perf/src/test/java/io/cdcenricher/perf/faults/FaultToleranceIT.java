package io.cdcenricher.perf.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.ops.StackLayout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short fault run of CI ({@code perf/faults --quick}) on its own stack: two enricher kills, a Connect kill, a
 * broker kill, a MariaDB restart and a fail-over, under load with reference rows changing. Guards the promise users
 * rely on most: with exactly_once_v2, no crash loses, duplicates or reorders an event, and no event carries a row
 * version that never existed. Each fault must really have happened (a new pid, a measured recovery), so a harness
 * that silently skipped a fault could not pass.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class FaultToleranceIT {

    @TempDir
    Path tmp;

    @Test
    void nothingIsLostDuplicatedOrReorderedWhenEveryPartCrashesUnderLoad() throws Exception {
        FaultOptions options = FaultOptions.parse(List.of("--quick", "--out", tmp.resolve("results").toString(),
                "--stack-dir", tmp.resolve("stack").toString()), StackLayout.locate().repoRoot());

        FaultRun.Outcome outcome = FaultRun.run(options, StackLayout.locate(), line -> System.out.println("[faults] " + line));

        assertThat(outcome.injections()).extracting(FaultInjector.Injection::fault)
                .containsExactly(Fault.NONE, Fault.ENRICHER_KILL, Fault.ENRICHER_KILL, Fault.CONNECT_KILL,
                        Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.FAILOVER);
        assertThat(outcome.injections()).filteredOn(i -> i.fault() != Fault.NONE).allSatisfy(i -> {
            assertThat(i.oldPid()).as(i.fault().label() + ": the process it stopped").isPositive();
            assertThat(i.newPid()).as(i.fault().label() + ": a new process, not the old one").isNotEqualTo(i.oldPid());
        });
        assertThat(outcome.injections()).filteredOn(i -> i.fault() != Fault.NONE && i.fault() != Fault.FAILOVER)
                .allSatisfy(i -> assertThat(i.newPid()).as(i.fault().label() + ": restarted").isPositive());
        assertThat(outcome.injections()).filteredOn(i -> i.fault() == Fault.FAILOVER)
                .allSatisfy(i -> assertThat(i.detail()).contains("the survivor took over"));
        assertThat(outcome.injections()).filteredOn(i -> i.fault() == Fault.CONNECT_KILL || i.fault() == Fault.BROKER_KILL
                        || i.fault() == Fault.MARIADB_RESTART)
                .allSatisfy(i -> assertThat(i.detail()).as(i.fault().label()).contains("CDC delivered a change committed after the recovery"));

        assertThat(outcome.phases()).as("the phases, and no phase -1 (records matching no sent event)")
                .extracting(PhaseResult::number).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(outcome.phases()).allSatisfy(phase -> {
            String which = "phase " + phase.number() + " " + phase.examples();
            assertThat(phase.in()).as(which).isPositive();
            assertThat(phase.out()).as(which).isPositive();
            assertThat(phase.out() + phase.deadLetters()).as(which + ": in = out + dead letters").isEqualTo(phase.in());
            assertThat(List.of(phase.lost(), phase.duplicated(), phase.duplicatedInEvents(), phase.outOfOrder(),
                    phase.misrouted(), phase.unexpected(), phase.wrongEnrichment())).as(which
                    + ": lost, duplicated, duplicated in events, out of order, misrouted, unexpected, wrong enrichment")
                    .containsOnly(0L);
        });
        assertThat(outcome.phases().stream().mapToLong(PhaseResult::deadLetters).sum())
                .as("the bad events reached the dead-letter topic").isPositive();
        assertThat(outcome.problems()).as("run-level checks: every event sent, CDC lost nothing").isEmpty();
        assertThat(outcome.clean()).isTrue();

        String report = Files.readString(outcome.report());
        assertThat(report).contains("**Verdict: PASS**", "| 6 | failover |", "perf/faults --quick");
        assertThat(Files.readAllLines(outcome.report().resolveSibling("results.csv")))
                .hasSize(8).first().isEqualTo(FaultReport.CSV_HEADER);
    }
}
