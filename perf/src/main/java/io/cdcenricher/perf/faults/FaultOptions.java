package io.cdcenricher.perf.faults;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.cdcenricher.ops.StackShape;

import static io.cdcenricher.perf.OptionValues.number;
import static io.cdcenricher.perf.OptionValues.positiveInt;
import static io.cdcenricher.perf.OptionValues.value;

/**
 * The command line of {@code perf/faults}: a profile ({@code --quick} for CI, or the full one) and the settings that
 * override it.
 *
 * @param quick           the short CI profile
 * @param cluster         run on the cluster stack (three KRaft nodes, two Connect workers) instead of one of each
 * @param faults          the faults to inject, one phase each, in this order (a baseline phase comes first)
 * @param phaseSeconds    how long each phase lasts at least; its fault strikes at a random moment in it
 * @param rate            events per second the load produces, open loop
 * @param customers       reference rows in the customers table
 * @param churn           reference row changes (UPDATE, some DELETE and re-INSERT) per second during the run
 * @param partitions      partitions of the events and output topics (two enricher instances share them)
 * @param badEventPercent share of events of an unknown type, which must end in the dead-letter topic
 * @param drainSeconds    how long the verifier waits for the output to stop growing after the load ends
 * @param enricherKafka   {@code --enricher-kafka KEY=VALUE}: Kafka settings added to every instance's {@code kafka}
 *                        map beyond what a user writes, in the order given (a later one for a key wins), to measure
 *                        an alternative to the shipped defaults; empty by default
 * @param seed            random seed of the load, the churn and the fault moments
 * @param out             the results folder
 * @param stackDir        the stack's run directory (wiped at the start)
 * @param commandLine     the command line as given, for the report
 */
public record FaultOptions(boolean quick, boolean cluster, List<Fault> faults, int phaseSeconds, int rate, int customers, int churn,
                           int partitions, double badEventPercent, int drainSeconds, Map<String, String> enricherKafka,
                           long seed, Path out,
                           Path stackDir, String commandLine) {

    /** enricher-restart phases of the default lists: five give the full report a median; CI has time for two. */
    static final int FULL_RESTARTS = 5;
    static final int QUICK_RESTARTS = 2;

    /** The cluster stack of {@code --cluster}: what the smallest production cluster looks like. */
    static final StackShape CLUSTER = new StackShape(3, 2);

    /**
     * The default list with {@code --cluster}: leadership moves of each kind first (data partition, the same with the
     * node kept down, table partition, quorum, transactions), then the capture task's move, then a deployment's
     * rolling restart.
     */
    static final List<Fault> CLUSTER_FAULTS = List.of(Fault.EVENTS_LEADER_KILL, Fault.BROKER_LOSS, Fault.TABLE_LEADER_KILL,
            Fault.CONTROLLER_KILL, Fault.COORDINATOR_KILL, Fault.TASK_WORKER_KILL, Fault.BROKER_ROLLING_RESTART);

    static final String USAGE = """
            Usage: perf/faults [--quick] [--cluster] [options]

            Runs the real stack (MariaDB -> Debezium -> Kafka -> two enricher instances, exactly_once_v2, standby
            replicas, otherwise the enricher's shipped defaults) under a steady load while reference rows change,
            injects one fault per phase (kill -9 of an enricher instance, of Kafka Connect, of the broker; a restart
            of MariaDB; the loss of an enricher instance; a rolling restart), then reads everything with
            read_committed and checks it against an oracle (the produced events and MariaDB's change history): every
            event exactly once in the output or the dead-letter topic, per-entity order, and each enrichment a
            version of the row that existed when it was written. For each enricher fault it measures how long the
            output stalled. Writes report.md and results.csv, and exits 1 when anything was lost, duplicated,
            reordered or wrongly enriched.

            Faults (--faults):
              enricher-restart   kill -9 of a random enricher instance, started again at once (same config and
                                 state directory); alias: enricher-kill
              enricher-loss      kill -9 of a random enricher instance, started again only at the end of the
                                 phase: the other takes over; alias: failover
              rolling-restart    SIGTERM of each instance in turn, started again and RUNNING before the next
              connect-kill       kill -9 of the Kafka Connect worker, restarted at once
              broker-kill        kill -9 of the Kafka broker, restarted at once
              mariadb-restart    MariaDB stopped (SIGTERM) and started again
              mariadb-kill       kill -9 of MariaDB, restarted at once (not in the default lists)
            With --cluster (three KRaft nodes, two Connect workers; each a default of the cluster list):
              events-leader-kill kill -9 of the leader of an events topic partition, restarted at once
              broker-loss        kill -9 of the leader of an events topic partition, kept down up to 2 minutes:
                                 does the output resume without it?
              table-leader-kill  kill -9 of the leader of the global table's topic, restarted at once
              controller-kill    kill -9 of the active KRaft controller, restarted at once
              coordinator-kill   kill -9 of the transaction coordinator of an enricher instance, restarted at once
              task-worker-kill   kill -9 of the Connect worker running the Debezium task; the task must move to
                                 the other worker before the victim is started again
              broker-rolling-restart  each broker in turn: SIGTERM, started again, every partition back in sync
            An enricher or cluster fault's resume time runs from the kill (or each SIGTERM) until every output partition has a
            committed record of an event sent after it, by the record's LogAppendTime.

            Options (full profile defaults; --quick defaults in brackets):
              --quick               short profile for CI (about 3 minutes with the stack start-up)
              --cluster             the cluster stack: 3 KRaft nodes (combined broker and controller), every topic
                                    replicated 3 times with min.insync.replicas 2, 2 Connect workers in one group;
                                    the default faults become the cluster list
                                    %s
              --faults LIST         faults, one phase each, in order; NAME*N repeats one
                                    %s
                                    [%s]
              --enricher-restarts N shorthand: how many enricher-restart phases the default list has   %d [%d]
                                    (alias: --enricher-kills)
              --enricher-kafka KEY=VALUE
                                    add KEY: VALUE to the kafka map of every instance's config, beyond what a
                                    user writes (repeatable; KEY= gives the empty string), to measure an
                                    alternative, e.g. session.timeout.ms=45000, group.instance.id= (static
                                    membership off; a non-empty id would be the same on both instances) or
                                    group.protocol=streams; the report lists them                none
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
            """.formatted(listText(CLUSTER_FAULTS), listText(defaultFaults(FULL_RESTARTS)),
            listText(defaultFaults(QUICK_RESTARTS)), FULL_RESTARTS, QUICK_RESTARTS);

    /** A Kafka property name: dotted words (checked so that a key cannot break the YAML it is written into). */
    private static final Pattern KAFKA_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Parses the arguments; {@code repoRoot} anchors the default folders. Throws IllegalArgumentException. */
    public static FaultOptions parse(List<String> args, Path repoRoot) {
        boolean quick = args.contains("--quick");
        boolean cluster = args.contains("--cluster");
        List<Fault> faults = null;
        Integer enricherRestarts = null;
        Map<String, String> enricherKafka = new LinkedHashMap<>();
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
                case "--quick", "--cluster" -> { }
                case "--faults" -> faults = Fault.parseList(value(args, ++i, arg));
                case "--enricher-restarts", "--enricher-kills" ->
                        enricherRestarts = positiveInt(arg, value(args, ++i, arg));
                case "--enricher-kafka" -> putSetting(enricherKafka, value(args, ++i, arg));
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
        if (faults != null && enricherRestarts != null) {
            throw new IllegalArgumentException("--enricher-restarts shapes the default fault list: give it or --faults, "
                    + "not both");
        }
        if (cluster && enricherRestarts != null) {
            throw new IllegalArgumentException("--enricher-restarts shapes the single-node fault list: with --cluster, "
                    + "name the faults with --faults");
        }
        if (faults == null) {
            faults = cluster ? CLUSTER_FAULTS
                    : defaultFaults(enricherRestarts != null ? enricherRestarts : quick ? QUICK_RESTARTS : FULL_RESTARTS);
        }
        if (!cluster) {
            for (Fault fault : faults) {
                if (fault.needsCluster()) {
                    throw new IllegalArgumentException("--faults: " + fault.label() + " needs the cluster stack: add "
                            + "--cluster (three KRaft nodes, two Connect workers)");
                }
            }
        }
        if (partitions < 2 && faults.contains(Fault.ENRICHER_LOSS)) {
            throw new IllegalArgumentException("--partitions: the enricher-loss phase needs at least 2 partitions to share");
        }
        if (out == null) {
            out = repoRoot.resolve("perf/results")
                    .resolve("faults-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        if (stackDir == null) {
            stackDir = repoRoot.resolve("perf/target/fault-stack");
        }
        return new FaultOptions(quick, cluster, List.copyOf(faults),
                phaseSeconds != null ? phaseSeconds : quick ? 12 : 30,
                rate != null ? rate : quick ? 200 : 500,
                customers != null ? customers : quick ? 1_000 : 10_000,
                churn != null ? churn : quick ? 20 : 50,
                partitions, badPercent,
                drainSeconds != null ? drainSeconds : quick ? 60 : 120,
                Collections.unmodifiableMap(enricherKafka), seed, out, stackDir, "perf/faults " + String.join(" ", args));
    }

    /** The stack the run needs: one node and one worker, or the cluster of {@code --cluster}. */
    public StackShape shape() {
        return cluster ? CLUSTER : StackShape.SINGLE;
    }

    /**
     * The default list: the enricher restarts first (the figure users feel most: a crashed instance that its
     * supervisor restarts), then one crash of every other part, the loss of an instance, and a rolling restart.
     */
    static List<Fault> defaultFaults(int enricherRestarts) {
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < enricherRestarts; i++) {
            faults.add(Fault.ENRICHER_RESTART);
        }
        faults.addAll(List.of(Fault.CONNECT_KILL, Fault.BROKER_KILL, Fault.MARIADB_RESTART, Fault.ENRICHER_LOSS,
                Fault.ROLLING_RESTART));
        return faults;
    }

    /** {@code KEY=VALUE} of {@code --enricher-kafka} into {@code settings}; the value may be empty, the key not. */
    private static void putSetting(Map<String, String> settings, String text) {
        int eq = text.indexOf('=');
        String key = eq < 0 ? "" : text.substring(0, eq).trim();
        if (eq < 0 || !KAFKA_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("--enricher-kafka: KEY=VALUE with a Kafka property name as KEY, not '"
                    + text + "'");
        }
        if (key.equals("application.id") || key.equals("bootstrap.servers")) {
            throw new IllegalArgumentException("--enricher-kafka: " + key + " is the harness's to set");
        }
        // Every instance gets the same settings: one static id for both would make each fence the other.
        if (key.equals("group.instance.id") && !text.substring(eq + 1).isEmpty()) {
            throw new IllegalArgumentException("--enricher-kafka: group.instance.id would be the same on both instances; "
                    + "give it empty (group.instance.id=) to turn static membership off, or leave it to the enricher");
        }
        settings.remove(key); // the last one for a key wins, listed where it was given
        settings.put(key, text.substring(eq + 1));
    }

    /** The overrides as the report lists them: {@code none}, or {@code key=value, ...} with values quoted. */
    String enricherKafkaText() {
        if (enricherKafka.isEmpty()) {
            return "none";
        }
        List<String> settings = new ArrayList<>();
        enricherKafka.forEach((key, value) -> settings.add(key + "=" + FaultRun.yamlString(value)));
        return String.join(", ", settings);
    }

    private static String listText(List<Fault> faults) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < faults.size(); ) {
            int j = i;
            while (j < faults.size() && faults.get(j) == faults.get(i)) {
                j++;
            }
            items.add(faults.get(i).label() + (j - i > 1 ? "*" + (j - i) : ""));
            i = j;
        }
        return String.join(",", items);
    }
}
