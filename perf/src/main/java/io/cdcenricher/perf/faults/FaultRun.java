package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.perf.ProcStatus;
import io.cdcenricher.ops.Poll;
import io.cdcenricher.ops.PollTimeoutException;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.StackSettings;
import io.cdcenricher.ops.StackShape;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code perf/faults}: the fault harness. One run = a fresh stack, a reference table with a steady churn of changes,
 * two enricher instances (exactly_once_v2, one standby replica), a steady event load, and a sequence of phases: a
 * baseline, then one fault per phase at a random moment within it. When the load stops, {@link DeliveryOracle}
 * reads everything back and judges each phase; {@link FaultReport} writes it down.
 */
public final class FaultRun {

    /** The global join (latest row on every instance) and the partitioned one (a co-partitioned local store). */
    static final String GLOBAL_JOIN = "customer";
    static final String PARTITIONED_JOIN = "product";
    static final String CUSTOMERS = "customers";
    static final String PRODUCTS = "products";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper YAML_STRING = new ObjectMapper();

    /**
     * The outcome: the report's path, whether every phase was clean, the per-phase figures, and per join the table
     * records the instances skipped as re-sent older versions (a lower bound, see {@link StaleSkipTally}).
     */
    public record Outcome(Path report, boolean clean, List<PhaseResult> phases, List<FaultInjector.Injection> injections,
                          List<String> problems, Map<String, Long> staleSkipped) {
    }

    private FaultRun() {
    }

    public static void main(String[] args) {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            System.out.print(FaultOptions.USAGE);
            return;
        }
        FaultOptions options;
        try {
            options = FaultOptions.parse(list, StackLayout.locate().repoRoot());
        } catch (IllegalArgumentException e) {
            System.err.println("perf/faults: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Outcome outcome = run(options, StackLayout.locate(), System.out::println);
            System.out.println(outcome.clean() ? "PASS: nothing lost, duplicated, reordered, wrongly enriched or regressed"
                    : "FAIL: see " + outcome.report());
            System.exit(outcome.clean() ? 0 : 1);
        } catch (RuntimeException e) {
            System.err.println("perf/faults failed: " + e.getMessage());
            System.exit(1);
        }
    }

    public static Outcome run(FaultOptions options, StackLayout layout, Consumer<String> progress) {
        long started = System.currentTimeMillis();
        wipe(options.stackDir());
        Stack stack = new Stack(StackSettings.onFreePorts(options.stackDir(), options.shape()), layout);
        progress.accept("starting a fresh stack (" + options.shape() + ") in " + options.stackDir() + " on free ports");
        // Ctrl-C (or a CI timeout) must not leave a broker, a worker, a database or enricher JVMs behind.
        Thread cleanup = new Thread(() -> {
            killLeftovers(options.out().resolve("enrichers"));
            stack.down(progress);
        }, "faults-shutdown");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            stack.up(progress);
            return runOn(stack, options, layout, progress, started);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            stack.down(progress);
        }
    }

    /** Kills the processes of the pid files in {@code dir}'s sub-folders (the enricher instances). */
    private static void killLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            files.filter(p -> p.getFileName().toString().endsWith(".pid")).forEach(FaultRun::killLeftover);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Outcome runOn(Stack stack, FaultOptions options, StackLayout layout, Consumer<String> progress,
                                 long started) {
        Random random = new Random(options.seed());
        String runId = Long.toString(System.currentTimeMillis(), 36);
        String events = "faults." + runId + ".events";
        String output = "faults." + runId + ".enriched";
        String deadLetter = "faults." + runId + ".dlq";
        String bootstrap = stack.settings().bootstrapServers();
        List<ReferenceHistory.Table> tables = List.of(new ReferenceHistory.Table(CUSTOMERS, options.customers()),
                new ReferenceHistory.Table(PRODUCTS, Math.max(10, options.customers() / 10)));

        ReferenceHistory.create(stack, tables);
        String connector = stack.connectors(Map.of("CDC_DATABASE_NAME", ReferenceHistory.DATABASE,
                        "CDC_TOPIC_PREFIX", ReferenceHistory.PREFIX, "CDC_DATABASE_SERVER_ID", "5601"))
                .apply(layout.connectorsDir().resolve("debezium-mariadb.json"), START_TIMEOUT).name();
        progress.accept("connector " + connector + " RUNNING; waiting for the snapshot of " + tables);
        tables.forEach(table -> awaitRows(stack, table));
        createTopics(stack, options.partitions(), events, output, deadLetter);

        Path work = options.out().resolve("enrichers");
        List<FaultInjector.Injection> injections = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<PhaseResult> results;
        StaleSkipTally staleSkips = new StaleSkipTally();
        try (EnricherFleet fleet = new EnricherFleet(EnricherProcess.withCopiedJar(layout, options.out()), work, 2,
                     stateDir -> enricherYaml(runId, bootstrap, events, output, deadLetter, stateDir, tables,
                             options.enricherKafka()));
             ReferenceChurn churn = new ReferenceChurn(stack, tables, options.churn(), random.nextLong());
             DeliveryOracle oracle = new DeliveryOracle(bootstrap, events, output, deadLetter, List.of(
                     new DeliveryLedger.Join(GLOBAL_JOIN, CUSTOMERS, "customerId", false),
                     new DeliveryLedger.Join(PARTITIONED_JOIN, PRODUCTS, "productId", true)));
             CdcProbe cdc = new CdcProbe(bootstrap, tables);
             EventLoad load = new EventLoad(bootstrap, events, options.rate(), tables.get(0).rows(), tables.get(1).rows(),
                     options.badEventPercent(), random.nextLong())) {
            fleet.startAll(START_TIMEOUT);
            progress.accept("two enricher instances RUNNING (" + work + "); enricher settings beyond the user's config: "
                    + options.enricherKafkaText());
            FaultInjector injector = new FaultInjector(stack, fleet, new FaultInjector.Targets(connector, events, output,
                    tables.get(0).topic(), applicationId(runId)), cdc, random, progress);
            churn.start();
            load.start();
            runPhases(plan(options), options, load, churn, fleet, injector, injections, notes, random, progress, staleSkips);
            progress.accept(String.format("load stops: %,d events sent; reference rows changed %,d times (%,d failed "
                    + "attempts while MariaDB was away)", load.sent(), churn.committed(), churn.failures()));
            notes.add(residentMemory(stack, fleet));
            progress.accept("  " + notes.get(notes.size() - 1));
            load.close();
            churn.close();
            progress.accept("  " + injector.awaitCdcCaughtUp());
            notes.addAll(injector.notes());
            if (load.failed() > 0) {
                problems.add(load.failed() + " events could not be sent (last error: " + load.lastFailure()
                        + "): the run cannot vouch for them");
            }
            drain(oracle, load, options, progress);
            scrapeStaleSkips(fleet, staleSkips, plan(options).size() - 1);
            Map<String, List<ReferenceHistory.Change>> history = ReferenceHistory.read(stack);
            results = oracle.verdict(load.acked(), history);
            problems.addAll(cdcDivergences(stack, cdc, history, progress));
            problems.addAll(replicationShortfalls(stack, progress));
            for (EnricherFleet.Instance instance : fleet.instances()) {
                if (instance.unexpectedExits > 0) {
                    notes.add(instance.name + " exited on its own " + instance.unexpectedExits + " time(s) and was restarted");
                }
            }
        }
        for (int phase = 0; phase < plan(options).size(); phase++) {
            int number = phase;
            if (results.stream().noneMatch(r -> r.number() == number && r.in() > 0)) {
                problems.add("phase " + phase + " (" + plan(options).get(phase).label() + ") has no events: it proves nothing");
            }
        }
        boolean clean = results.stream().allMatch(PhaseResult::clean) && problems.isEmpty();
        Path report = FaultReport.write(options, plan(options), injections, results, staleSkips, problems, notes,
                System.currentTimeMillis() - started);
        FaultReport.summary(plan(options), results, injections).forEach(progress);
        problems.forEach(p -> progress.accept("PROBLEM: " + p));
        progress.accept("report: " + report);
        return new Outcome(report, clean, results, injections, problems, staleSkips.byJoin());
    }

    private static void runPhases(List<Fault> plan, FaultOptions options, EventLoad load, ReferenceChurn churn,
                                  EnricherFleet fleet, FaultInjector injector, List<FaultInjector.Injection> injections,
                                  List<String> notes, Random random, Consumer<String> progress,
                                  StaleSkipTally staleSkips) {
        for (int phase = 0; phase < plan.size(); phase++) {
            Fault fault = plan.get(phase);
            load.phase(phase);
            long phaseStart = System.currentTimeMillis();
            long phaseEnd = phaseStart + options.phaseSeconds() * 1000L;
            progress.accept(String.format("phase %d/%d: %s (%,d events sent so far, %,d row changes)", phase,
                    plan.size() - 1, fault.label(), load.sent(), churn.committed()));
            long strikeAt = phaseStart + (long) (options.phaseSeconds() * 1000L * (0.2 + 0.4 * random.nextDouble()));
            waitUntil(strikeAt, fleet, injector, notes);
            // Read before the fault kills an instance (its counter dies with it) and at the phase's end.
            scrapeStaleSkips(fleet, staleSkips, phase);
            injections.add(injector.inject(fault));
            waitUntil(Math.max(phaseEnd, System.currentTimeMillis() + 3_000), fleet, injector, notes);
            scrapeStaleSkips(fleet, staleSkips, phase);
            if (fault == Fault.ENRICHER_LOSS) {
                notes.add("phase " + phase + ": " + injector.endEnricherLoss());
            }
        }
    }

    /**
     * What CDC lost, polled until it is nothing or a minute has passed: a delete committed just before the load
     * stopped may still be on its way (a tombstone carries no rev, so catching up on revs does not wait for it).
     */
    private static List<String> cdcDivergences(Stack stack, CdcProbe cdc, Map<String, List<ReferenceHistory.Change>> history,
                                               Consumer<String> progress) {
        List<String> divergences;
        try (Admin admin = Admin.create(stack.adminProperties())) {
            divergences = Poll.upTo("CDC to lose nothing", Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
                cdc.awaitEnd(admin, Duration.ofSeconds(60));
                return cdc.divergences(history);
            }, List::isEmpty);
        }
        if (divergences.isEmpty()) {
            progress.accept("CDC lost nothing: every change of the " + history.size() + " rows is in the table topics, "
                    + "and each row's last record is its last change");
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        problems.add("CDC lost changes of " + divergences.size() + " rows");
        problems.addAll(divergences.subList(0, Math.min(5, divergences.size())));
        return problems;
    }

    /**
     * On the cluster: each topic that ended the run replicated fewer times than the stack's shape promises, every
     * internal topic and the enricher's changelogs included. A run on such a topic would claim to survive a node
     * loss that it never exposed that topic to.
     */
    private static List<String> replicationShortfalls(Stack stack, Consumer<String> progress) {
        StackShape shape = stack.settings().shape();
        if (shape.brokers() == 1) {
            return List.of();
        }
        List<String> below = stack.kafkaCluster().belowReplicationPromise();
        if (below.isEmpty()) {
            progress.accept("every topic, internal ones included, has " + shape.replicationFactor()
                    + " replicas and min.insync.replicas=" + shape.minInsyncReplicas());
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        problems.add(below.size() + " topics are replicated less than the cluster promises ("
                + shape.replicationFactor() + " replicas, min.insync.replicas=" + shape.minInsyncReplicas() + ")");
        problems.addAll(below.subList(0, Math.min(5, below.size())));
        return problems;
    }

    /** What each process of the stack and each enricher instance holds in memory (VmRSS) as the load stops. */
    private static String residentMemory(Stack stack, EnricherFleet fleet) {
        List<String> parts = new ArrayList<>();
        stack.allParts().forEach(part -> part.process().handle().ifPresent(h -> parts.add(part.name() + " "
                + megabytes(h.pid()))));
        fleet.instances().forEach(instance -> parts.add(instance.name + " " + megabytes(instance.pid())));
        return "resident memory (VmRSS) as the load stopped: " + String.join(", ", parts);
    }

    private static String megabytes(long pid) {
        OptionalLong kb = pid < 0 ? OptionalLong.empty() : ProcStatus.kilobytes(pid, "VmRSS");
        return kb.isPresent() ? (kb.getAsLong() / 1024) + " MB" : "not running";
    }

    private static List<Fault> plan(FaultOptions options) {
        List<Fault> plan = new ArrayList<>();
        plan.add(Fault.NONE);
        plan.addAll(options.faults());
        return plan;
    }

    /** Waits, restarting any enricher instance that died on its own (and noting it) once a second. */
    private static void waitUntil(long millis, EnricherFleet fleet, FaultInjector injector, List<String> notes) {
        while (System.currentTimeMillis() < millis) {
            notes.addAll(fleet.restartUnexpectedlyDead(START_TIMEOUT));
            injector.watch();
            EnricherFleet.pause(Math.min(1000, Math.max(1, millis - System.currentTimeMillis())));
        }
    }

    private static void scrapeStaleSkips(EnricherFleet fleet, StaleSkipTally staleSkips, int phase) {
        for (EnricherFleet.Instance instance : fleet.instances()) {
            if (instance.isRunning()) {
                staleSkips.scrape(instance.name, instance.process.httpPort(), phase);
            }
        }
    }

    /** Reads until every event is delivered, or nothing new arrived for {@code drainSeconds}. */
    private static void drain(DeliveryOracle oracle, EventLoad load, FaultOptions options, Consumer<String> progress) {
        long lastProgress = System.currentTimeMillis();
        long delivered = -1;
        while (true) {
            long now = oracle.catchUp();
            if (now != delivered) {
                delivered = now;
                lastProgress = System.currentTimeMillis();
                progress.accept(String.format("  verifier: %,d of %,d events delivered (output + dead letters)", now,
                        oracle.inputs()));
            }
            if (now >= oracle.inputs() && oracle.inputs() >= load.acked().size()) {
                return;
            }
            if (System.currentTimeMillis() - lastProgress > options.drainSeconds() * 1000L) {
                progress.accept("  verifier: no progress for " + options.drainSeconds() + " s; judging what is there");
                return;
            }
            EnricherFleet.pause(500);
        }
    }

    /**
     * Each instance's config: what a user running two instances writes (exactly_once_v2, one standby replica, a state
     * directory of its own) and nothing tuned for the harness, so that the run measures the enricher's shipped
     * defaults; {@code overrides} ({@code --enricher-kafka}) are added to the {@code kafka} map, or replace a value
     * there, and the report lists them.
     */
    static String enricherYaml(String runId, String bootstrap, String events, String output, String deadLetter,
                               Path stateDir, List<ReferenceHistory.Table> tables, Map<String, String> overrides) {
        Map<String, String> kafka = new LinkedHashMap<>();
        kafka.put("processing.guarantee", "exactly_once_v2");
        kafka.put("num.standby.replicas", "1");
        kafka.put("state.dir", stateDir.toString());
        StringBuilder kafkaLines = new StringBuilder();
        kafka.forEach((key, value) -> kafkaLines.append("  ").append(key).append(": ")
                .append(overrides.containsKey(key) ? yamlString(overrides.get(key)) : value).append('\n'));
        overrides.forEach((key, value) -> {
            if (!kafka.containsKey(key)) {
                kafkaLines.append("  ").append(key).append(": ").append(yamlString(value)).append('\n');
            }
        });
        return """
                applicationId: %s
                bootstrapServers: %s
                kafka:
                %stopics:
                  events: %s
                  output: %s
                  deadLetter: %s
                joins:
                  - name: %s
                    topic: %s
                    foreignKey: customerId
                    fields: [name, tier, rev]
                  # held per partition: a local store, kept warm on the other instance by the standby replica
                  - name: %s
                    topic: %s
                    foreignKey: productId
                    fields: [name, tier, rev]
                    materialization: partitioned
                """.formatted(applicationId(runId), bootstrap, kafkaLines, events, output, deadLetter, GLOBAL_JOIN, tables.get(0).topic(),
                PARTITIONED_JOIN, tables.get(1).topic());
    }

    /** The enricher's application id in the run {@code runId}: also the prefix of its transactional ids. */
    static String applicationId(String runId) {
        return "faults-" + runId;
    }

    /**
     * A value as a double-quoted YAML scalar: a JSON string is one, so Jackson's escaping is YAML's, and a value is
     * never read as a number, a boolean, null or a comment ({@code ""} stays the empty string).
     */
    static String yamlString(String value) {
        try {
            return YAML_STRING.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitRows(Stack stack, ReferenceHistory.Table table) {
        try (Admin admin = Admin.create(stack.adminProperties())) {
            Poll.until(table.rows() + " rows in " + table.topic(), START_TIMEOUT, Duration.ofMillis(250),
                    () -> endOffset(admin, table.topic()), end -> end >= table.rows());
        } catch (PollTimeoutException e) {
            throw new IllegalStateException("the snapshot did not land " + table.rows() + " rows in " + table.topic()
                    + " within " + START_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** The end offset of the topic's partition 0; -1 while the topic does not exist. */
    private static long endOffset(Admin admin, String topic) {
        try {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                return -1;
            }
            return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
                    .all().get(10, TimeUnit.SECONDS).values().iterator().next().offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + topic + ": " + e, e);
        }
    }

    private static void createTopics(Stack stack, int partitions, String events, String output, String deadLetter) {
        try (Admin admin = Admin.create(stack.adminProperties())) {
            // LogAppendTime on the output: a record's timestamp is when the broker wrote it, which bounds the row
            // version it may carry (a version committed later cannot be in it). The replication factor is the
            // broker's default: 1 on one node, 3 on the cluster (with min.insync.replicas 2).
            Optional<Short> brokerDefault = Optional.empty();
            admin.createTopics(List.of(new NewTopic(events, Optional.of(partitions), brokerDefault),
                    new NewTopic(output, Optional.of(partitions), brokerDefault)
                            .configs(Map.of("message.timestamp.type", "LogAppendTime")),
                    new NewTopic(deadLetter, Optional.of(1), brokerDefault))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the run's topics: " + e, e);
        }
    }

    /** Removes a previous run's folder, killing whatever of its processes an aborted run left behind first. */
    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> pidFiles = Files.list(dir)) {
            pidFiles.filter(p -> p.getFileName().toString().endsWith(".pid")).forEach(FaultRun::killLeftover);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void killLeftover(Path pidFile) {
        try {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(process -> {
                process.destroyForcibly();
                process.onExit().join();
            });
        } catch (IOException | NumberFormatException e) {
            // not a pid file of ours: nothing to stop
        }
    }
}
