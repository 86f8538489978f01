package io.cdcenricher.perf.faults;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static io.cdcenricher.perf.OptionValues.number;
import static io.cdcenricher.perf.OptionValues.positiveInt;
import static io.cdcenricher.perf.OptionValues.value;

/**
 * The command line of {@code perf/faults}: a profile ({@code --quick} for CI, or the full one) and the settings that
 * override it.
 *
 * @param quick           the short CI profile
 * @param faults          the faults to inject, one phase each, in this order (a baseline phase comes first)
 * @param phaseSeconds    how long each phase lasts at least; its fault strikes at a random moment in it
 * @param rate            events per second the load produces, open loop
 * @param customers       reference rows in the customers table
 * @param churn           reference row changes (UPDATE, some DELETE and re-INSERT) per second during the run
 * @param partitions      partitions of the events and output topics (two enricher instances share them)
 * @param badEventPercent share of events of an unknown type, which must end in the dead-letter topic
 * @param drainSeconds    how long the verifier waits for the output to stop growing after the load ends
 * @param seed            random seed of the load, the churn and the fault moments
 * @param out             the results folder
 * @param stackDir        the stack's run directory (wiped at the start)
 * @param commandLine     the command line as given, for the report
 */
public record FaultOptions(boolean quick, List<Fault> faults, int phaseSeconds, int rate, int customers, int churn,
                           int partitions, double badEventPercent, int drainSeconds, long seed, Path out,
                           Path stackDir, String commandLine) {

    static final String USAGE = """
            Usage: perf/faults [--quick] [options]

            Runs the real stack (MariaDB -> Debezium -> Kafka -> two enricher instances, exactly_once_v2, standby
            replicas) under a steady load while reference rows change, injects one fault per phase (kill -9 of an
            enricher instance, of Kafka Connect, of the broker; a restart of MariaDB; a fail-over to one instance),
            then reads everything with read_committed and checks it against an oracle (the produced events and
            MariaDB's change history): every event exactly once in the output or the dead-letter topic, per-entity
            order, and each enrichment a version of the row that existed when it was written. Writes report.md
            and results.csv, and exits 1 when anything was lost, duplicated, reordered or wrongly enriched.

            Options (full profile defaults; --quick defaults in brackets):
              --quick               short profile for CI (about 2.5 minutes with the stack start-up)
              --faults LIST         faults, one phase each, in order:
                                    enricher-kill, connect-kill, broker-kill, mariadb-restart, failover,
                                    mariadb-kill (not in the defaults); enricher-kill*N repeats one
                                          enricher-kill*10,connect-kill,broker-kill,mariadb-restart,failover
                                          [enricher-kill*2,connect-kill,broker-kill,mariadb-restart,failover]
              --enricher-kills N    shorthand: how many enricher-kill phases the default list has   10 [2]
              --phase-seconds S     minimum length of a phase                        30 [12]
              --rate R              events per second                                500 [200]
              --customers N         reference rows                                   10000 [1000]
              --churn K             reference row changes per second                 50 [20]
              --partitions P        partitions of the events and output topics       4
              --bad-percent F       percent of events of an unknown type (dead letters)   1
              --drain-seconds S     wait this long without progress before verifying   120 [60]
              --seed N              random seed                                      42
              --out DIR             results folder                 perf/results/faults-<timestamp>
              --stack-dir DIR       the stack's run directory (wiped)                perf/target/fault-stack
              --help                this text

            The stack runs on free ports in its own run directory, so it never collides with ops/stack or perf/run.
            """;

    /** Parses the arguments; {@code repoRoot} anchors the default folders. Throws IllegalArgumentException. */
    public static FaultOptions parse(List<String> args, Path repoRoot) {
        boolean quick = args.contains("--quick");
        List<Fault> faults = null;
        Integer enricherKills = null;
        Integer phaseSeconds = null;
        Integer rate = null;
        Integer customers = null;
        Integer churn = null;
        int partitions = 4;
        double badPercent = 1;
        Integer drainSeconds = null;
        long seed = 42;
        Path out = null;
        Path stackDir = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> { }
                case "--faults" -> faults = Fault.parseList(value(args, ++i, arg));
                case "--enricher-kills" -> enricherKills = positiveInt(arg, value(args, ++i, arg));
                case "--phase-seconds" -> phaseSeconds = positiveInt(arg, value(args, ++i, arg));
                case "--rate" -> rate = positiveInt(arg, value(args, ++i, arg));
                case "--customers" -> customers = positiveInt(arg, value(args, ++i, arg));
                case "--churn" -> churn = positiveInt(arg, value(args, ++i, arg));
                case "--partitions" -> partitions = positiveInt(arg, value(args, ++i, arg));
                case "--bad-percent" -> {
                    badPercent = number(arg, value(args, ++i, arg));
                    if (badPercent < 0 || badPercent > 50) {
                        throw new IllegalArgumentException("--bad-percent: a percentage from 0 to 50, not " + badPercent);
                    }
                }
                case "--drain-seconds" -> drainSeconds = positiveInt(arg, value(args, ++i, arg));
                case "--seed" -> seed = (long) number(arg, value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--stack-dir" -> stackDir = Path.of(value(args, ++i, arg)).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument: " + arg + " (see --help)");
            }
        }
        if (faults != null && enricherKills != null) {
            throw new IllegalArgumentException("--enricher-kills shapes the default fault list: give it or --faults, not both");
        }
        if (faults == null) {
            faults = defaultFaults(enricherKills != null ? enricherKills : quick ? 2 : 10);
        }
        if (partitions < 2 && faults.contains(Fault.FAILOVER)) {
            throw new IllegalArgumentException("--partitions: the failover phase needs at least 2 partitions to share");
        }
        if (out == null) {
            out = repoRoot.resolve("perf/results")
                    .resolve("faults-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        if (stackDir == null) {
            stackDir = repoRoot.resolve("perf/target/fault-stack");
        }
        return new FaultOptions(quick, List.copyOf(faults),
                phaseSeconds != null ? phaseSeconds : quick ? 12 : 30,
                rate != null ? rate : quick ? 200 : 500,
                customers != null ? customers : quick ? 1_000 : 10_000,
                churn != null ? churn : quick ? 20 : 50,
                partitions, badPercent,
                drainSeconds != null ? drainSeconds : quick ? 60 : 120,
                seed, out, stackDir, "perf/faults " + String.join(" ", args));
    }

    static List<Fault> defaultFaults(int enricherKills) {
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < enricherKills; i++) {
            faults.add(Fault.ENRICHER_KILL);
        }
        faults.addAll(List.of(Fault.CONNECT_KILL, Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.FAILOVER));
        return faults;
    }
}
