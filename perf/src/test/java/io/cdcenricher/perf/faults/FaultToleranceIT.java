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
 * The short fault run of CI ({@code perf/faults --quick}) on its own stack, the enricher instances configured as a
 * user would (nothing tuned for the harness): two enricher restarts (kill -9, started again at once), a Connect
 * kill, a broker kill, a MariaDB restart, the loss of an enricher instance and a rolling restart, under load with
 * reference rows changing. Guards the promise users rely on most: with exactly_once_v2, no crash loses, duplicates
 * or reorders an event, and no event carries a row version that never existed. Each fault must really have happened
 * (the pid it stopped, a new pid after it) and each enricher fault must have measured when the output resumed, so a
 * harness that silently skipped a fault could not pass. How soon the output resumed is in the report, not asserted
 * here: a timing bound on a busy 2-core CI machine would fail for reasons that are not the enricher's.
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
        assertThat(options.enricherKafka()).as("the instances run with the user's config only").isEmpty();

        FaultRun.Outcome outcome = FaultRun.run(options, StackLayout.locate(), line -> System.out.println("[faults] " + line));

        assertThat(outcome.injections()).extracting(FaultInjector.Injection::fault)
                .containsExactly(Fault.NONE, Fault.ENRICHER_RESTART, Fault.ENRICHER_RESTART, Fault.CONNECT_KILL,
                        Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.ENRICHER_LOSS, Fault.ROLLING_RESTART);
        assertEveryFaultReplacedItsProcesses(outcome.injections());
        assertThat(outcome.injections()).filteredOn(i -> i.fault() == Fault.ENRICHER_LOSS)
                .allSatisfy(i -> assertThat(i.detail()).contains("the survivor took over"));
        assertThat(outcome.injections()).filteredOn(i -> i.fault() == Fault.CONNECT_KILL || i.fault() == Fault.BROKER_KILL
                        || i.fault() == Fault.MARIADB_RESTART)
                .allSatisfy(i -> assertThat(i.detail()).as(i.fault().label()).contains("CDC delivered a change committed after the recovery"));
        assertThat(outcome.injections()).allSatisfy(i -> {
            if (i.fault().measuresResume()) {
                assertThat(i.resumeMs()).as(i.fault().label() + ": the output's resume time was measured").isPositive();
            } else {
                assertThat(i.resumeMs()).as(i.fault().label() + ": no resume time").isEqualTo(-1);
            }
        });

        assertThat(outcome.phases()).as("the phases, and no phase -1 (records matching no sent event)")
                .extracting(PhaseResult::number).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(outcome.phases()).allSatisfy(phase -> {
            String which = "phase " + phase.number() + " " + phase.examples();
            assertThat(phase.in()).as(which).isPositive();
            assertThat(phase.out()).as(which).isPositive();
            assertThat(phase.out() + phase.deadLetters()).as(which + ": in = out + dead letters").isEqualTo(phase.in());
            assertThat(List.of(phase.lost(), phase.duplicated(), phase.duplicatedInEvents(), phase.outOfOrder(),
                    phase.misrouted(), phase.unexpected(), phase.wrongEnrichment(), phase.regressions())).as(which
                    + ": lost, duplicated, duplicated in events, out of order, misrouted, unexpected, wrong enrichment, "
                    + "regressions").containsOnly(0L);
        });
        assertThat(outcome.phases().stream().mapToLong(PhaseResult::deadLetters).sum())
                .as("the bad events reached the dead-letter topic").isPositive();
        assertThat(outcome.problems()).as("run-level checks: every event sent, CDC lost nothing").isEmpty();
        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.staleSkipped()).as("the instances' stale-row counters were read for both joins")
                .containsOnlyKeys("customer", "product");

        String report = Files.readString(outcome.report());
        assertThat(report).contains("**Verdict: PASS**", "| 6 | enricher-loss |", "| 7 | rolling-restart |",
                "perf/faults --quick", "Enricher settings beyond the user's config: none",
                "Re-sent older table versions the enricher instances skipped",
                "- enricher-restart: 2 restarts, output resumed in median", "- enricher-loss: 1 loss, output resumed in",
                "- rolling-restart: 1 rolling restart, output resumed in", "target: output resumes within 10 s");
        assertThat(Files.readAllLines(outcome.report().resolveSibling("results.csv")))
                .hasSize(9).first().isEqualTo(FaultReport.CSV_HEADER);
    }

    /**
     * Each fault stopped or killed a real process and, unless it is an enricher loss (whose victim returns only at
     * the end of its phase), a new process took its place; a rolling restart did so for both instances.
     */
    private static void assertEveryFaultReplacedItsProcesses(List<FaultInjector.Injection> injections) {
        assertThat(injections).filteredOn(i -> i.fault() == Fault.NONE).allSatisfy(i -> assertThat(i.turnovers()).isEmpty());
        assertThat(injections).filteredOn(i -> i.fault() != Fault.NONE).allSatisfy(i -> {
            assertThat(i.turnovers()).as(i.fault().label() + ": the processes it replaced")
                    .hasSize(i.fault() == Fault.ROLLING_RESTART ? 2 : 1);
            i.turnovers().forEach(t -> {
                String which = i.fault().label() + ", " + t.process();
                assertThat(t.oldPid()).as(which + ": the process it stopped").isPositive();
                if (i.fault() == Fault.ENRICHER_LOSS) {
                    assertThat(t.newPid()).as(which + ": not restarted in its phase").isEqualTo(-1);
                } else {
                    assertThat(t.newPid()).as(which + ": restarted as a new process").isPositive().isNotEqualTo(t.oldPid());
                }
            });
        });
        assertThat(injections).filteredOn(i -> i.fault() == Fault.ROLLING_RESTART)
                .allSatisfy(i -> assertThat(i.turnovers()).extracting(FaultInjector.Turnover::process)
                        .as("both instances, one after the other").containsExactly("enricher-a", "enricher-b"));
    }
}
