package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.EnrichmentTopology;
import io.cdcenricher.enricher.TopologyOptions;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code perf/run}: the enricher side by side with the pass-through ceiling, the do-it-yourself join and the RPC
 * baseline on the real stack, then latency, CDC freshness, bootstrap time and peak RSS. See {@link PerfOptions#USAGE}.
 */
public final class PerfRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STALL = Duration.ofSeconds(60);
    /**
     * Partitions of the scale curve's table and events topics: enough for two instances to split a partitioned
     * table (one stream thread each, as shipped).
     */
    static final int SCALE_PARTITIONS = 4;
    /** Appended to the customer join's YAML for a partitioned table. */
    private static final String PARTITIONED_JOIN = "    materialization: partitioned\n    partitions: " + SCALE_PARTITIONS + "\n";
    /** How both curves time process start to ready and to the first output. */
    private static final String READY_NOTE = "Start to ready: from starting the process (JVM start included) until GET "
            + "/ready answers true (polled every 20 ms): every table loaded. Start to first output: until the broker "
            + "append time of the first output record; the events were waiting in the topic.";

    /** How both curves measure the peak RSS. */
    private static final String PEAK_RSS_NOTE = "Peak RSS: VmHWM of the enricher process from /proc/<pid>/status, "
            + "read after the drain, just before it stops: the JVM (heap max 512 MB), the RocksDB memory (bounded by "
            + "rocksdbMemory, 256 MB by default: block cache, index and filter blocks and write buffers of every store) "
            + "and the rest of the process.";

    /** Share of each mode's output records left out of the rate: JVM and JIT warm-up, the first fetches. */
    static final double WARMUP_FRACTION = 0.2;

    private final PerfOptions options;
    private final StackLayout layout;
    private final Consumer<String> progress;
    private final RunResults results = new RunResults();
    private final String runId = "r" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);
    private Stack stack;
    private Path workDir;
    private StackLayout enricherLayout;
    /** Bytes each passthrough value is padded to: the enricher's average output, from its warm-up run. */
    private int passthroughPad;
    /** The enricher jar's measured runs: process start to /ready, to first output, and peak RSS. */
    private final List<Double> jarReadySeconds = new ArrayList<>();
    private final List<Double> jarFirstOutputSeconds = new ArrayList<>();
    private final List<Long> jarPeakRssKb = new ArrayList<>();
    /** The scale curve's figures ({@code --scale}): one point per table size and join, and the two-instance shares. */
    private final List<ScaleReport.Point> scalePoints = new ArrayList<>();
    private final List<ScaleReport.Share> scaleShares = new ArrayList<>();
    /** The threads curve's runs ({@code --threads}): one per setup and round. */
    private final List<ThreadsReport.Run> threadRuns = new ArrayList<>();
    /** The app being measured, stopped by the shutdown hook on Ctrl-C. */
    private volatile AppUnderTest running;
    private final long startNanos = System.nanoTime();

    PerfRun(PerfOptions options, StackLayout layout, Consumer<String> progress) {
        this.options = options;
        this.layout = layout;
        this.progress = progress;
    }

    public static void main(String[] args) {
        List<String> argList = List.of(args);
        if (argList.contains("--help") || argList.contains("-h")) {
            System.out.print(PerfOptions.USAGE);
            System.exit(0);
        }
        StackLayout layout = StackLayout.locate();
        PerfOptions options;
        try {
            options = PerfOptions.parse(argList, layout.repoRoot());
        } catch (IllegalArgumentException e) {
            System.err.println("perf/run: " + e.getMessage() + "\n\n" + PerfOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            Path report = run(options, layout, line -> System.out.println(line));
            System.out.println("\nreport: " + report);
            System.exit(0);
        } catch (RuntimeException | Error e) {
            System.err.println("\nperf run failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs everything and writes the results folder; returns the path of report.md. */
    public static Path run(PerfOptions options, StackLayout layout, Consumer<String> progress) {
        return new PerfRun(options, layout, progress).run();
    }

    private Path run() {
        long start = System.nanoTime();
        results.commandLine = options.commandLine();
        machineFacts("at start");
        settings();
        try {
            Files.createDirectories(options.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        step("Stack");
        PerfStack perfStack = PerfStack.open(options, layout, indent());
        PerfStack[] current = {perfStack};
        Thread hook = new Thread(() -> {
            AppUnderTest app = running;
            if (app != null) {
                app.close();
            }
            current[0].close();
        }, "perf-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stack = perfStack.stack();
            workDir = stack.settings().runDir().resolve("perf-" + runId);
            if (options.isScaleCurve() || options.isThreadsCurve()) {
                if (perfStack.reused()) {
                    // a curve loads its table from scratch, on a table topic it creates itself
                    perfStack = perfStack.restartFresh(options, layout);
                    current[0] = perfStack;
                    stack = perfStack.stack();
                    workDir = stack.settings().runDir().resolve("perf-" + runId);
                }
                enricherLayout = copyEnricherJar();
                machine("MariaDB", mariadbVersion());
                if (options.isScaleCurve()) {
                    measureScale();
                } else {
                    measureThreads();
                }
            } else {
                step("Reference data: " + String.format("%,d", options.rows()) + " customers in MariaDB, captured by Debezium");
                if (perfStack.reused() && ReferenceData.isLoaded(stack, options.rows())) {
                    progress.accept("  reusing the loaded reference data (" + options.rows() + " rows)");
                } else {
                    if (perfStack.reused()) {
                        perfStack = perfStack.restartFresh(options, layout);
                        current[0] = perfStack;
                        stack = perfStack.stack();
                        workDir = stack.settings().runDir().resolve("perf-" + runId);
                    }
                    ReferenceData.load(stack, options.rows(), indent());
                }
                machine("MariaDB", mariadbVersion());
                enricherLayout = copyEnricherJar();
                measure();
            }
            results.totalSeconds = (System.nanoTime() - start) / 1e9;
        } finally {
            deleteRunTopics();
            PerfStack.wipe(workDir);
            perfStack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
        machineFacts("at end");
        if (options.isScaleCurve()) {
            scaleNotes();
            step("Results");
            ScaleReport.write(results, scalePoints, scaleShares, options.out());
            scalePoints.forEach(p -> progress.accept(String.format("%,10d rows %-11s ready %6.1f s  %10s records/s  "
                    + "peak RSS %5.0f MB  state %8.1f MB", p.rows(), p.materialization(), p.readySeconds(),
                    Format.rate(p.recordsPerSecond()), p.peakRssMb(), p.stateDiskMb())));
            scaleShares.forEach(s -> progress.accept(String.format("%,10d rows, instance %d of 2 holds %,d rows "
                    + "(partitions %s)", s.rows(), s.instance(), s.rowsHeld(), s.activePartitions())));
            return options.out().resolve("report.md");
        }
        if (options.isThreadsCurve()) {
            threadsNotes();
            step("Results");
            ThreadsReport.write(results, threadRuns, options.out());
            ThreadsReport.summaries(threadRuns, results.cores).forEach(s -> progress.accept(String.format(
                    "%-26s median %10s records/s of %d run(s), spread %s, speed-up %s, CPU s per 1M records %s: %s",
                    s.setup().label(), Format.rate(s.rate().median()), s.rate().runs(),
                    ModeSummary.percent(s.rate().spread()), Format.ratio(s.speedUp()),
                    Format.decimal(s.cpuSecondsPerMillion(), 1), s.rate().verdict())));
            return options.out().resolve("report.md");
        }
        notes();
        step("Results");
        ReportWriter.write(results, options.out());
        ChartWriter.write(results, options.out().resolve("chart.png"));
        results.summaries().forEach(m -> progress.accept(Format.summaryLine(m, results.avgValueBytes(m.entry()))));
        results.latencies.forEach(l -> progress.accept(Format.summaryLine(l)));
        results.ratios().forEach(r -> progress.accept(String.format("%-22s %s  (%s)", r.name(), Format.ratio(r.value()),
                r.note())));
        results.bootstrap.forEach(f -> progress.accept(f.label() + ": " + Format.decimal(f.value(), 2) + " " + f.unit()));
        results.memory.forEach(f -> progress.accept(f.label() + ": " + Format.decimal(f.value(), 0) + " " + f.unit()));
        return options.out().resolve("report.md");
    }

    /**
     * Copies the enricher jar into this run's folder and runs the copy, so that a rebuild of enricher/target during
     * the run cannot change or break the jar under a running process.
     */
    private StackLayout copyEnricherJar() {
        Path jar = new io.cdcenricher.ops.EnricherProcess(layout, workDir).jar();
        StackLayout copy = io.cdcenricher.ops.EnricherProcess.withCopiedJar(layout, workDir);
        try {
            machine("enricher jar", layout.repoRoot().relativize(jar) + " (" + Files.size(jar) / (1024 * 1024) + " MB, built "
                    + Files.getLastModifiedTime(jar) + "; a copy of it runs)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    private String topic(String name) {
        return "perf." + runId + "." + name;
    }

    /** A throughput input: the events topic and the rpc subset, as produced. */
    private record Input(String events, long count, String rpcEvents, int rpcCount) {
    }

    private void measure() {
        int rpcCount = (int) Math.min(options.events(), options.rpcEvents());
        Input measured = new Input(topic("events"), options.events(), topic("events.rpc"), rpcCount);
        Input warm = new Input(topic("events.warmup"), RaceSchedule.warmUpShare(options.events()), topic("events.rpc.warmup"),
                (int) RaceSchedule.warmUpShare(rpcCount));
        stack.createTopics(options.partitions(), Map.of(), measured.events(), measured.rpcEvents(), warm.events(),
                warm.rpcEvents(), topic("lat.events"));
        stack.createTopics(options.partitions(), Map.of(), topic("lat.out"), topic("lat.dlq"));

        step(String.format("Producing %,d events (%d partition(s)) before any app starts, and the first %,d again for "
                + "the warm-up", options.events(), options.partitions(), warm.count()));
        produce(measured, warm);

        List<RaceEntry> entries = RaceEntry.expand(options.modes(), options.rpcLatenciesMs());
        List<RaceEntry> warmUp = RaceEntry.warmUp(entries);
        step(String.format("Warm-up: one untimed run of each of %s on %,d events (rpc: %,d), not counted",
                labels(warmUp), warm.count(), warm.rpcCount()));
        for (int i = 0; i < warmUp.size(); i++) {
            race(warmUp.get(i), 0, i + 1, warm);
        }
        List<List<RaceEntry>> rounds = RaceSchedule.rounds(entries, options.repeats());
        for (int r = 0; r < rounds.size(); r++) {
            step("Round " + (r + 1) + " of " + rounds.size() + ": " + labels(rounds.get(r)));
            for (int p = 0; p < rounds.get(r).size(); p++) {
                race(rounds.get(r).get(p), r + 1, p + 1, measured);
            }
        }
        jarFigures();

        if (options.runs(PerfOptions.Mode.ENRICHER)) {
            double jarMedian = results.summaries().stream().filter(s -> RaceEntry.variantOf(s.entry()).equals("enricher-jar"))
                    .findFirst().map(ModeSummary::median).orElse(0.0);
            double rate = options.rate() == PerfOptions.RATE_AUTO ? Math.max(100, jarMedian / 2) : options.rate();
            step("Latency and CDC freshness: a fresh enricher process (" + options.latencyGuarantee() + "), "
                    + (rate == PerfOptions.RATE_MAX ? "unthrottled" : Format.rate(rate) + " events/s") + " for "
                    + options.warmupSeconds() + " + " + options.latencySeconds() + " s; " + options.churn() + " UPDATEs/s for " + options.churnSeconds() + " s");
            runLatency(rate);
        } else {
            results.notes.add("Latency, freshness, bootstrap and RSS are measured on the enricher: not run (--modes without enricher).");
        }
    }

    private static String labels(List<RaceEntry> entries) {
        return String.join(", ", entries.stream().map(RaceEntry::label).toList());
    }

    /**
     * One run of the race: a fresh app (own application id, output topics and state) drains {@code input}; the 1-minute
     * load average is read around it. Round 0 is the warm-up. The run's topics are deleted once its figures are read,
     * so that repeats do not multiply the disk the output needs.
     */
    private void race(RaceEntry entry, int round, int position, Input input) {
        String key = entry.slug() + (round == 0 ? "-w" : "-r" + round);
        progress.accept(String.format("  %s %d: %s", round == 0 ? "warm-up" : "round " + round + ", place", position,
                entry.label()));
        stack.createTopics(options.partitions(), Map.of("message.timestamp.type", "LogAppendTime"), output(key),
                deadLetter(key));
        double before = loadNow();
        RunResults.Throughput t = switch (entry.kind()) {
            case ENRICHER_JAR -> runEnricherJar(entry.label(), key, input, round > 0);
            case ENRICHER -> runEnricher(entry.label(), key, input, "", "");
            case PARTITIONED -> {
                int tablePartitions = partitionsOf(ReferenceData.CUSTOMERS_TOPIC);
                yield runEnricher(entry.label(), key, input, "    materialization: partitioned\n    partitions: "
                        + tablePartitions + "\n", "two repartition topics (" + tablePartitions + " table partition(s))");
            }
            case IN_MEMORY -> runEnricher(entry.label(), key, input, "    store: in-memory\n",
                    "table in the in-memory store, not RocksDB");
            case DIY -> runBaseline(entry.label(), key, BaselineTopologies.diy(input.events(), ReferenceData.CUSTOMERS_TOPIC,
                    output(key), List.of(ReferenceData.FIELDS), streamsProps(key)), input.count(), 0, "");
            case PASSTHROUGH -> runBaseline(entry.label(), key, BaselineTopologies.passthrough(input.events(), output(key),
                    passthroughPad, streamsProps(key)), input.count(), 0,
                    passthroughPad > 0 ? "padded to " + passthroughPad + " B" : "not padded: no enriched size measured");
            case RPC -> runRpc(entry, key, input);
        };
        double after = loadNow();
        results.runs.add(new RunResults.Run(round, position, t, before, after));
        progress.accept("  1-minute load average " + Format.load(before) + " before, " + Format.load(after) + " after ("
                + results.cores + " cores)");
        if (round == 0 && passthroughPad == 0 && entry.kind() != RaceEntry.Kind.PASSTHROUGH
                && entry.kind() != RaceEntry.Kind.RPC) {
            // the warm-up runs the enricher first: passthrough writes as many bytes as it
            passthroughPad = (int) Math.round(t.avgValueBytes());
        }
        deleteTopics(topic -> topic.equals(output(key)) || topic.equals(deadLetter(key))
                || topic.startsWith("perf-" + runId + "-" + key + "-"));
    }

    private String output(String key) {
        return topic("out." + key);
    }

    private String deadLetter(String key) {
        return topic("dlq." + key);
    }

    private static double loadNow() {
        return LoadAverage.read().map(LoadAverage::oneMinute).orElse(Double.NaN);
    }

    /** EnrichmentTopology in the harness JVM, like the baselines; {@code joinExtra} is appended to the join's YAML. */
    private RunResults.Throughput runEnricher(String label, String key, Input input, String joinExtra, String note) {
        EnricherConfig config = EnricherConfigLoader.parse(enricherYaml(key, input.events(), output(key), deadLetter(key),
                options.guarantee()) + joinExtra);
        return runInProcess(label, EnrichmentTopology.build(config, TopologyOptions.defaults()), config.streamsProperties(), output(key),
                deadLetter(key), input.count(), 0, note);
    }

    private RunResults.Throughput runRpc(RaceEntry entry, String key, Input input) {
        try (LookupService service = new LookupService(() -> stack.mariadb().adminConnection(ReferenceData.DATABASE),
                entry.rpcLatencyMs())) {
            return runBaseline(entry.label(), key, BaselineTopologies.rpc(input.rpcEvents(), output(key), service.baseUri(),
                    streamsProps(key)), input.rpcCount(), options.rpcMaxSeconds(), "subset of " + input.rpcCount() + " events");
        }
    }

    /**
     * The enricher jar as its own process, started cold. A measured run also records its bootstrap times and peak RSS
     * for {@link #jarFigures()}.
     */
    private RunResults.Throughput runEnricherJar(String label, String key, Input input, boolean measured) {
        JarRun run = runJar(label, key, enricherYaml(key, input.events(), output(key), deadLetter(key),
                options.guarantee()), input);
        if (measured) {
            jarReadySeconds.add(run.readySeconds());
            jarFirstOutputSeconds.add(run.firstOutputSeconds());
            run.peakRssKb().ifPresent(jarPeakRssKb::add);
        }
        return run.throughput();
    }

    /** What one enricher process of a run measured: start to {@code /ready}, peak RSS, its state's bytes. */
    private record InstanceFigures(double readySeconds, OptionalLong peakRssKb, long stateBytes) {
    }

    /**
     * What the enricher process(es) of one run measured: the drain, each instance's figures, process start to the
     * first output record, and from ready until drained the wall time, the CPU time of the processes and the cores the
     * whole machine kept busy.
     */
    private record JarRun(RunResults.Throughput throughput, List<InstanceFigures> instances, double firstOutputSeconds,
                          double cpuSeconds, double drainSeconds, double machineBusyCores) {

        /** When the last instance was ready. */
        double readySeconds() {
            return instances.stream().mapToDouble(InstanceFigures::readySeconds).max().orElse(Double.NaN);
        }

        /** The largest process's peak RSS. */
        OptionalLong peakRssKb() {
            return instances.stream().map(InstanceFigures::peakRssKb).filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong).max();
        }

        long stateBytes() {
            return instances.stream().mapToLong(InstanceFigures::stateBytes).sum();
        }
    }

    /** One enricher process with {@code yaml} (its state in {@code state-<key>}) drains {@code input}. */
    private JarRun runJar(String label, String key, String yaml, Input input) {
        return runJars(label, key, 1, name -> yaml, input, apps -> { });
    }

    /**
     * Runs {@code count} enricher processes of one application until they drained {@code input} into
     * {@code output(key)}: one process is named {@code key}, several {@code key-1}, {@code key-2}, ...; the name is
     * its folder under the results and {@code yamlFor}'s argument, its state is in {@code state-<name>}, deleted
     * afterwards (a million-row store per run adds up). {@code drained} sees the processes once drained, still running.
     */
    private JarRun runJars(String label, String key, int count, Function<String, String> yamlFor, Input input,
                           Consumer<List<AppUnderTest.EnricherJar>> drained) {
        List<String> names = count == 1 ? List.of(key)
                : IntStream.rangeClosed(1, count).mapToObj(i -> key + "-" + i).toList();
        List<AppUnderTest.EnricherJar> apps = names.stream().map(name -> new AppUnderTest.EnricherJar(enricherLayout,
                options.out().resolve(name), yamlFor.apply(name))).toList();
        AppUnderTest app = count == 1 ? apps.get(0) : new AppUnderTest.Group(apps);
        String output = output(key);
        List<Double> ready = new ArrayList<>();
        List<OptionalLong> hwm = new ArrayList<>();
        double cpuAtReady = 0;
        double cpuDrained = 0;
        double drainSeconds;
        double machineBusy = Double.NaN;
        RunResults.Throughput t;
        long started = System.currentTimeMillis();
        running = app;
        try {
            app.start();
            for (AppUnderTest.EnricherJar instance : apps) {
                ready.add((instance.awaitReady(Duration.ofSeconds(600)) - started) / 1000.0);
                // each process's CPU from its own ready on: the drain's, not the JVM start's or the table restore's
                cpuAtReady += instance.cpuSeconds();
            }
            Optional<MachineCpu> machineAtReady = MachineCpu.read();
            long drainStart = System.nanoTime();
            t = drain(label, app, output, deadLetter(key), input.count(), 0, count == 1
                    ? "separate JVM (-Xmx512m), started cold" : count + " JVMs (-Xmx512m each), started cold together");
            drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            for (AppUnderTest.EnricherJar instance : apps) {
                cpuDrained += instance.cpuSeconds();
                hwm.add(instance.peakRssKb());
            }
            if (machineAtReady.isPresent()) {
                machineBusy = MachineCpu.read().map(now -> now.busyCoresSince(machineAtReady.get(), results.cores))
                        .orElse(Double.NaN);
            }
            drained.accept(apps);
        } finally {
            app.close();
        }
        long firstOutput = Topics.window(stack.settings().bootstrapServers(), output).firstMillis();
        List<InstanceFigures> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path state = workDir.resolve("state-" + names.get(i));
            instances.add(new InstanceFigures(ready.get(i), hwm.get(i), PerfStack.bytesUnder(state)));
            PerfStack.wipe(state);
        }
        return new JarRun(t, List.copyOf(instances), (firstOutput - started) / 1000.0, cpuDrained - cpuAtReady,
                drainSeconds, machineBusy);
    }

    /** The jar's bootstrap times (medians) and peak RSS (the highest) over its measured runs. */
    private void jarFigures() {
        if (jarReadySeconds.isEmpty()) {
            return;
        }
        String of = "median of " + jarReadySeconds.size() + " throughput runs (" + range(jarReadySeconds) + ")";
        results.bootstrap.add(new RunResults.Figure("enricher process start to ready", ModeSummary.median(jarReadySeconds),
                "s", String.format("%s; JVM start + global store restore of %,d rows (GET /ready polled every 20 ms)", of,
                        options.rows())));
        results.bootstrap.add(new RunResults.Figure("enricher process start to first output",
                ModeSummary.median(jarFirstOutputSeconds), "s", "median of " + jarFirstOutputSeconds.size()
                + " throughput runs (" + range(jarFirstOutputSeconds) + "); first output record's broker append time; "
                + "events were waiting in the topic"));
        jarPeakRssKb.stream().mapToLong(Long::longValue).max().ifPresent(kb -> results.memory.add(new RunResults.Figure(
                "enricher peak RSS (VmHWM), throughput runs", kb / 1024.0, "MB", "the highest of " + jarPeakRssKb.size()
                + " runs; separate JVM, -Xmx512m, " + String.format("%,d", options.rows())
                + " rows in RocksDB, after draining " + String.format("%,d", options.events()) + " events")));
    }

    private static String range(List<Double> seconds) {
        return Format.decimal(seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0), 2) + " to "
                + Format.decimal(seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0), 2) + " s";
    }

    /** A baseline in the harness JVM, under application id and state folder {@code key}; no dead-letter topic. */
    private RunResults.Throughput runBaseline(String label, String key, org.apache.kafka.streams.Topology topology,
                                              long expected, int capSeconds, String note) {
        return runInProcess(label, topology, streamsProps(key), output(key), null, expected, capSeconds, note);
    }

    private RunResults.Throughput runInProcess(String mode, org.apache.kafka.streams.Topology topology, Properties props,
                                               String output, String deadLetter, long expected, int capSeconds,
                                               String note) {
        AppUnderTest.InProcess app = new AppUnderTest.InProcess(mode, topology, props);
        running = app;
        try {
            app.start();
            return drain(mode, app, output, deadLetter, expected, capSeconds, note);
        } finally {
            app.close();
        }
    }

    /**
     * Waits until {@code expected} records are in the output (and dead-letter) topic, or {@code capSeconds} after the
     * first output; the rate is taken between the broker append times of the first and last output records.
     */
    private RunResults.Throughput drain(String mode, AppUnderTest app, String output, String deadLetter, long expected,
                                        int capSeconds, String note) {
        long lastReport = System.nanoTime();
        long lastProgress = System.nanoTime();
        long lastCount = 0;
        long firstSeen = 0;
        boolean capped = false;
        try (Admin admin = Admin.create(stack.adminProperties())) {
            while (true) {
                app.checkAlive();
                long out = Math.max(0, Topics.endOffsetSum(admin, output));
                long dlq = deadLetter == null ? 0 : Math.max(0, Topics.endOffsetSum(admin, deadLetter));
                long done = out + dlq;
                if (done > lastCount) {
                    lastCount = done;
                    lastProgress = System.nanoTime();
                    if (firstSeen == 0) {
                        firstSeen = System.nanoTime();
                    }
                }
                if (done >= expected) {
                    break;
                }
                if (capSeconds > 0 && firstSeen > 0 && System.nanoTime() - firstSeen > TimeUnit.SECONDS.toNanos(capSeconds)) {
                    capped = true;
                    break;
                }
                if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException(mode + ": no progress for " + STALL.toSeconds() + " s at " + done
                            + " / " + expected + " records");
                }
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format("  %s: %,d / %,d records out", mode, done, expected));
                }
                Topics.pause(Duration.ofMillis(100));
            }
            long records = Math.max(0, Topics.endOffsetSum(admin, output));
            long dlq = deadLetter == null ? 0 : Math.max(0, Topics.endOffsetSum(admin, deadLetter));
            Topics.Window all = Topics.window(stack.settings().bootstrapServers(), output);
            Topics.Window window = Topics.window(stack.settings().bootstrapServers(), output, WARMUP_FRACTION);
            List<byte[]> sample = Topics.sample(stack.settings().bootstrapServers(), output, 2_000);
            String fullNote = note;
            String variant = RaceEntry.variantOf(mode);
            if (variant.startsWith("enricher") || variant.equals("diy") || variant.startsWith("rpc")) {
                long hits = sample.stream().filter(PerfRun::customerHit).count();
                fullNote = join(fullNote, "customer hits in a sample: " + hits + "/" + sample.size());
            }
            if (dlq > 0) {
                fullNote = join(fullNote, dlq + " dead-lettered");
            }
            if (capped) {
                fullNote = join(fullNote, "stopped at the " + capSeconds + " s cap");
            }
            fullNote = join(fullNote, "first to last output: " + Format.rate(all.records() / all.seconds()) + " records/s");
            RunResults.Throughput t = new RunResults.Throughput(mode, records, window.records(), window.seconds(),
                    Topics.averageSize(sample), fullNote);
            progress.accept("  " + Format.summaryLine(t));
            return t;
        }
    }

    private void runLatency(double rate) {
        AppUnderTest.EnricherJar app = new AppUnderTest.EnricherJar(enricherLayout, options.out().resolve("enricher-latency"),
                enricherYaml("latency", topic("lat.events"), topic("lat.out"), topic("lat.dlq"), options.latencyGuarantee()));
        long started = System.currentTimeMillis();
        running = app;
        try {
            app.start();
            long readyAt = app.awaitReady(Duration.ofSeconds(120));
            results.bootstrap.add(new RunResults.Figure("enricher process start to ready (second instance)",
                    (readyAt - started) / 1000.0, "s", options.latencyGuarantee()));
            EventGenerator generator = new EventGenerator("o-", KeySampler.of(options.skew(), options.rows(),
                    options.zipfExponent(), options.seed() + 1), options.updateRatio(), options.seed() + 1);
            double passRate = rate;
            int warmup = options.warmupSeconds();
            for (int pass = 1; ; pass++) {
                LatencyPhase phase = new LatencyPhase(stack.settings().bootstrapServers(), topic("lat.events"),
                        topic("lat.out"), options.rows(), indent());
                LatencyPhase.Result result = phase.run("e2e enricher", generator, passRate, warmup,
                        options.latencySeconds(), options.churn(), options.churnSeconds(),
                        () -> stack.mariadb().adminConnection(ReferenceData.DATABASE), app);
                progress.accept("  " + Format.summaryLine(result.latency()));
                boolean retry = !result.sustained() && result.drained() && pass == 1
                        && options.rate() == PerfOptions.RATE_AUTO;
                if (retry) {
                    RunResults.Latency l = result.latency();
                    results.latencies.add(new RunResults.Latency("e2e enricher (not sustained)", l.count(), l.p50(), l.p95(),
                            l.p99(), l.p999(), l.max(), l.ratePerSecond(), l.note()));
                    passRate = Math.max(100, passRate / 4);
                    warmup = Math.min(warmup, 2);
                    progress.accept(String.format("  the enricher did not keep up with %s events/s while the load was "
                            + "produced: measuring again at %s events/s on the same (now warm) instance",
                            Format.rate(result.achievedRate()), Format.rate(passRate)));
                    results.notes.add("Latency: at half the drain rate (" + Format.rate(rate) + "/s) the enricher fell "
                            + "behind while the load was being produced (a drain of pre-produced input is faster than live "
                            + "operation, where fetches and produce requests are small and the harness producer and consumer "
                            + "share the cores); the 'not sustained' row shows that pass, the 'e2e enricher' row a second "
                            + "pass at a quarter of that rate on the same, warm instance, with its own freshness figures.");
                    continue;
                }
                if (!result.sustained() && !result.drained()) {
                    results.notes.add("Latency: the enricher fell behind the open-loop load and had not drained the "
                            + "backlog " + "60 s after the load stopped, so no second, slower pass ran: the latency and "
                            + "freshness figures measure queueing. Re-run on a quieter machine or with a lower --rate.");
                }
                results.latencies.add(result.latency());
                results.latencies.add(result.freshness());
                progress.accept("  " + Format.summaryLine(result.freshness()));
                break;
            }
            app.peakRssKb().ifPresent(kb -> results.memory.add(new RunResults.Figure(
                    "enricher peak RSS (VmHWM), latency run", kb / 1024.0, "MB", "separate JVM, -Xmx512m, " + options.latencyGuarantee())));
        } finally {
            app.close();
        }
    }

    /**
     * The scale curve: the table grows through each size of {@code --scale}; at each, the enricher jar with the shipped
     * defaults drains the same number of events with a global join, then with a partitioned one, then two instances
     * of one application share the partitioned table.
     */
    private void measureScale() {
        createCurveTable();
        int loaded = 0;
        for (int rows : options.scaleRows()) {
            step(String.format("Table of %,d customers", rows));
            if (loaded == 0) {
                ReferenceData.load(stack, rows, indent());
            } else {
                ReferenceData.extend(stack, loaded, rows, indent());
            }
            loaded = rows;
            Input input = curveEvents("events." + rows, rows);
            for (String materialization : List.of("global", "partitioned")) {
                scalePoint(rows, materialization, input);
            }
            twoInstances(rows, input);
        }
    }

    /**
     * The curves' table topic, created before the connector writes to it: compacted, with as many partitions as the
     * events topic, so that a partitioned join can use it and two instances can split it.
     */
    private void createCurveTable() {
        stack.createTopics(SCALE_PARTITIONS, Map.of("cleanup.policy", "compact"), ReferenceData.CUSTOMERS_TOPIC);
    }

    /** A curve's input: {@code --events} events over {@code rows} customers in a new topic {@code name}. */
    private Input curveEvents(String name, int rows) {
        Input input = new Input(topic(name), options.events(), null, 0);
        stack.createTopics(SCALE_PARTITIONS, Map.of(), input.events());
        produceEvents(input.events(), rows, input.count());
        return input;
    }

    /** The output and dead-letter topics of a curve's run {@code key}: broker append times give its drain rate. */
    private void createCurveOutput(String key) {
        stack.createTopics(SCALE_PARTITIONS, Map.of("message.timestamp.type", "LogAppendTime"), output(key),
                deadLetter(key));
    }

    /**
     * The threads curve: the table of {@code --rows} is loaded once and the events produced once; then each round runs
     * every setup once (the enricher jar with each thread count of {@code --threads}, then two instances of one thread
     * each), the order rotated from round to round like the race's.
     */
    private void measureThreads() {
        int rows = options.rows();
        createCurveTable();
        step(String.format("Table of %,d customers", rows));
        ReferenceData.load(stack, rows, indent());
        Input input = curveEvents("events", rows);
        List<ThreadsReport.Setup> setups = new ArrayList<>();
        options.threadCounts().forEach(threads -> setups.add(new ThreadsReport.Setup(threads, 1)));
        setups.add(new ThreadsReport.Setup(1, 2));
        List<List<ThreadsReport.Setup>> rounds = RaceSchedule.rounds(setups, options.repeats());
        for (int r = 0; r < rounds.size(); r++) {
            step("Round " + (r + 1) + " of " + rounds.size() + ": " + String.join(", ",
                    rounds.get(r).stream().map(ThreadsReport.Setup::label).toList()));
            for (ThreadsReport.Setup setup : rounds.get(r)) {
                threadsRun(setup, r + 1, input);
            }
        }
    }

    /** One setup of the threads curve drains the input on a fresh application id, global customer join. */
    private void threadsRun(ThreadsReport.Setup setup, int round, Input input) {
        String key = "threads-" + setup.slug() + "-r" + round;
        String label = "enricher-jar " + setup.label();
        progress.accept("  " + label);
        createCurveOutput(key);
        double before = loadNow();
        JarRun run = runJars(label, key, setup.instances(), name -> enricherYaml(key, name, input.events(), output(key),
                deadLetter(key), PerfOptions.SHIPPED_GUARANTEE, setup.threads()), input, apps -> { });
        double after = loadNow();
        ThreadsReport.Run measured = new ThreadsReport.Run(setup, round, run.throughput().records(),
                run.throughput().recordsPerSecond(), run.readySeconds(), run.cpuSeconds(), run.drainSeconds(),
                run.machineBusyCores(), run.peakRssKb().orElse(0) / 1024.0, before, after, run.throughput().note());
        threadRuns.add(measured);
        progress.accept(String.format(Locale.ROOT, "  ready %.1f s; CPU %.1f s (%.1f s per 1M records), cores busy: "
                        + "enricher %.2f, machine %.2f; load %s before, %s after", measured.readySeconds(),
                measured.cpuSeconds(), measured.cpuSecondsPerMillion(), measured.coresBusy(), measured.machineBusyCores(),
                Format.load(before), Format.load(after)));
        deleteRunOutput(key);
    }

    private void scalePoint(int rows, String materialization, Input input) {
        String key = "scale-" + rows + "-" + materialization;
        String label = String.format("enricher-jar %s, %,d rows", materialization, rows);
        progress.accept("  " + label);
        createCurveOutput(key);
        String yaml = enricherYaml(key, input.events(), output(key), deadLetter(key), PerfOptions.SHIPPED_GUARANTEE)
                + (materialization.equals("partitioned") ? PARTITIONED_JOIN : "");
        double before = loadNow();
        JarRun run = runJar(label, key, yaml, input);
        double after = loadNow();
        scalePoints.add(new ScaleReport.Point(rows, materialization, run.readySeconds(), run.firstOutputSeconds(),
                run.throughput().recordsPerSecond(), run.peakRssKb().orElse(0) / 1024.0, run.stateBytes() / 1e6, before,
                after, run.throughput().note()));
        deleteRunOutput(key);
    }

    /**
     * Two instances of one application (same id, a state directory each) share the partitioned table: each holds the
     * rows of the table partitions assigned to it, which its {@code /status.json} reports once the group is settled.
     */
    private void twoInstances(int rows, Input input) {
        String key = "scale-" + rows + "-two";
        progress.accept(String.format("  two instances, partitioned, %,d rows", rows));
        createCurveOutput(key);
        List<InstanceStatus> settled = new ArrayList<>();
        JarRun run = runJars("two instances", key, 2, name -> enricherYaml(key, name, input.events(), output(key),
                deadLetter(key), PerfOptions.SHIPPED_GUARANTEE, 1) + PARTITIONED_JOIN, input,
                apps -> settled.addAll(settledStatus(apps)));
        for (int i = 0; i < run.instances().size(); i++) {
            InstanceFigures instance = run.instances().get(i);
            scaleShares.add(new ScaleReport.Share(rows, i + 1, settled.get(i).rowsHeld(), settled.get(i).partitions(),
                    instance.readySeconds(), instance.peakRssKb().orElse(0) / 1024.0, instance.stateBytes() / 1e6));
        }
        deleteRunOutput(key);
    }

    /** What one instance's {@code /status.json} says of the customer join: rows held, its table partitions. */
    private record InstanceStatus(long rowsHeld, List<Integer> partitions) {
    }

    /**
     * The instances' status once every one holds table partitions and their rows add up to the table's partitions
     * (a rebalance after the second instance joined has finished); the last answers after 60 s otherwise.
     */
    private List<InstanceStatus> settledStatus(List<AppUnderTest.EnricherJar> instances) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<InstanceStatus> now = instances.stream().map(PerfRun::customerJoinStatus).toList();
            int assigned = now.stream().mapToInt(st -> st.partitions().size()).sum();
            boolean settled = assigned == SCALE_PARTITIONS && now.stream().allMatch(st -> !st.partitions().isEmpty()
                    && st.rowsHeld() >= 0);
            if (settled || System.nanoTime() > deadline) {
                if (!settled) {
                    results.notes.add("Two instances: the assignment had not settled 60 s after the drain; the "
                            + "figures are as last reported.");
                }
                return now;
            }
            Topics.pause(Duration.ofMillis(500));
        }
    }

    private static InstanceStatus customerJoinStatus(AppUnderTest.EnricherJar instance) {
        try {
            com.fasterxml.jackson.databind.JsonNode status = JSON.readTree(instance.statusJson());
            long rows = -1;
            for (com.fasterxml.jackson.databind.JsonNode join : status.path("joins")) {
                if (join.path("name").asText().equals("customer") && join.path("rowsHeld").isNumber()) {
                    rows = join.path("rowsHeld").asLong();
                }
            }
            List<Integer> partitions = new ArrayList<>();
            status.path("partitions").path("active").path(ReferenceData.CUSTOMERS_TOPIC)
                    .forEach(p -> partitions.add(p.asInt()));
            return new InstanceStatus(rows, List.copyOf(partitions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteRunOutput(String key) {
        deleteTopics(t -> t.equals(output(key)) || t.equals(deadLetter(key))
                || t.startsWith("perf-" + runId + "-" + key + "-"));
    }

    /** {@code count} events whose customer ids are drawn over {@code rows} customers. */
    private void produceEvents(String topic, int rows, long count) {
        EventGenerator generator = new EventGenerator("o-", KeySampler.of(options.skew(), rows, options.zipfExponent(),
                options.seed()), options.updateRatio(), options.seed());
        Properties props = stack.adminProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                EventGenerator.Event event = generator.next();
                producer.send(new ProducerRecord<>(topic, event.keyBytes(), event.value()));
            }
            producer.flush();
        }
        progress.accept(String.format("  produced %,d events over %,d customers", count, rows));
    }

    private void scaleSettings() {
        curveSettings("scale curve", Map.of("table sizes (customers)", options.scaleRows().stream()
                .map(r -> String.format("%,d", r)).toList().toString()), "one stream thread");
    }

    private void threadsSettings() {
        Map<String, String> own = new java.util.LinkedHashMap<>();
        own.put("reference rows (customers)", String.format("%,d", options.rows()));
        own.put("setups", options.threadCounts().stream().map(t -> new ThreadsReport.Setup(t, 1).label()).toList()
                + " in one process, then " + new ThreadsReport.Setup(1, 2).label() + " of one application");
        own.put("runs per setup", options.repeats() + " (one per round; each round runs every setup once, the order "
                + "rotated from round to round)");
        own.put("too noisy", "spread = (max - min) / median above " + ModeSummary.percent(ModeSummary.MAX_SPREAD)
                + ", or the 1-minute load average above the core count (" + results.cores + ") before one of its runs");
        curveSettings("threads and instances curve", own, "num.stream.threads as the setup says (the only setting "
                + "changed), global join");
    }

    /** The settings both curves share; {@code own} come after the profile, {@code threads} describes the threads. */
    private void curveSettings(String profile, Map<String, String> own, String threads) {
        Map<String, String> s = results.settings;
        s.put("profile", profile);
        s.putAll(own);
        s.put("events per run", String.format("%,d", options.events()));
        s.put("customer id distribution", options.skew() == PerfOptions.Skew.ZIPF
                ? "zipf, exponent " + options.zipfExponent() : "uniform");
        s.put("update ratio", Double.toString(options.updateRatio()));
        s.put("partitions of the table and events topics", Integer.toString(SCALE_PARTITIONS));
        s.put("enricher", "the released jar as its own process (java -Xmx512m -jar enricher.jar), started cold for "
                + "every run, with the shipped defaults: " + PerfOptions.SHIPPED_GUARANTEE + ", " + threads + ", rocksdbMemory "
                + "not set (its default), one customer join, fields " + String.join(", ", ReferenceData.FIELDS));
        s.put("seed", Long.toString(options.seed()));
        s.put("results folder", options.out().toString());
    }

    private void scaleNotes() {
        List<String> n = results.notes;
        n.add("The table grows through the sizes: the first is loaded and snapshotted by Debezium, each next one adds "
                + "the missing rows in one transaction, captured from the binlog; a run starts once every row is in the "
                + "table topic (" + SCALE_PARTITIONS + " partitions, compacted, created before the connector).");
        n.add("Each run is a fresh application (own id, output topics and state directory) that restores the whole "
                + "table from its topic: global = every row in one store; partitioned = one store per table partition "
                + "(" + SCALE_PARTITIONS + " tasks on one instance), the events re-keyed by the foreign key through a "
                + "repartition topic.");
        n.add(READY_NOTE);
        n.add(drainRateNote() + " CPU timings are noisy here; memory and disk are not.");
        n.add(PEAK_RSS_NOTE);
        n.add("State disk: the bytes of the files under the instance's state directory once it stopped (RocksDB has "
                + "flushed its write buffers).");
        n.add("Two instances: one application, two processes with a state directory each and no standby replica, "
                + "started together; rows held and table partitions from each instance's /status.json once both hold "
                + "partitions (rows held is RocksDB's estimate, approximateNumEntries).");
    }

    private void threadsNotes() {
        List<String> n = results.notes;
        n.add("The table is loaded once and snapshotted by Debezium into its topic (" + SCALE_PARTITIONS + " partitions, "
                + "compacted, created before the connector); the events are produced once, before any run, into a topic "
                + "of " + SCALE_PARTITIONS + " partitions: " + SCALE_PARTITIONS + " tasks, so at most "
                + SCALE_PARTITIONS + " threads have work.");
        n.add("Each run is a fresh application (own id, output topics and state directory) with a global customer "
                + "join: every process restores the whole table into its store before it is ready. The two instances "
                + "are one application in two processes of one stream thread each, started together: the "
                + SCALE_PARTITIONS + " events partitions are split between them, each holds the whole table. Every "
                + "run of a setup is one run of a round; the rounds rotate the order like the race, so no setup "
                + "always runs first; there is no warm-up run (every run starts a cold JVM anyway).");
        n.add(READY_NOTE);
        n.add(drainRateNote() + " A setup's figure is the median of its runs; too noisy as in the race: spread above "
                + ModeSummary.percent(ModeSummary.MAX_SPREAD) + " or the 1-minute load above the core count before a "
                + "run. Speed-up = a setup's median over the first setup's.");
        n.add("CPU: user + system time of the enricher process(es) (utime + stime of /proc/<pid>/stat, through "
                + "ProcessHandle.Info.totalCpuDuration), from /ready until the output was drained, so JVM start and the "
                + "table restore are left out; CPU s per 1M records = that over the output records. Cores busy: "
                + "enricher = that CPU time over the wall time of the drain; machine = the busy share of every core "
                + "(/proc/stat) over the same time, times the core count: the broker, Connect, MariaDB and the harness "
                + "included. A stream thread keeps at most one core busy, and every record also costs the broker "
                + "CPU (fetch, produce, transactions): once the machine's cores are full, a further thread only "
                + "shares them.");
        n.add(PEAK_RSS_NOTE + " For two instances: the larger of the two processes.");
    }

    /** How both curves measure the drain rate, and what it counts. */
    private String drainRateNote() {
        return "records/s: output records over the time between the broker append times of the first record after the "
                + "warm-up share (the first " + Math.round(WARMUP_FRACTION * 100) + "% of each partition's output) and "
                + "the last one, with exactly_once_v2 (commits every 100 ms), as shipped. Offsets count the transactions' "
                + "commit markers too (one per partition and commit, a few hundred of " + String.format("%,d",
                options.events()) + "), so records and rate are that much high, and a drain counts as done that much "
                + "early. All parts share this machine's cores; the load averages say how busy it was.";
    }

    /** The measured input and, again, its first events for the warm-up (same keys and values). */
    private void produce(Input measured, Input warm) {
        KeySampler sampler = KeySampler.of(options.skew(), options.rows(), options.zipfExponent(), options.seed());
        EventGenerator generator = new EventGenerator("o-", sampler, options.updateRatio(), options.seed());
        Properties props = stack.adminProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        long start = System.nanoTime();
        long lastReport = start;
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < options.events(); i++) {
                EventGenerator.Event event = generator.next();
                byte[] key = event.keyBytes();
                producer.send(new ProducerRecord<>(measured.events(), key, event.value()));
                if (i < measured.rpcCount()) {
                    producer.send(new ProducerRecord<>(measured.rpcEvents(), key, event.value()));
                }
                if (i < warm.count()) {
                    producer.send(new ProducerRecord<>(warm.events(), key, event.value()));
                }
                if (i < warm.rpcCount()) {
                    producer.send(new ProducerRecord<>(warm.rpcEvents(), key, event.value()));
                }
                bytes += event.value().length;
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format("  produced %,d / %,d", i, options.events()));
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double avg = bytes / (double) options.events();
        results.settings.put("event value size", Format.decimal(avg, 1) + " B average (JSON)");
        progress.accept(String.format("  produced %,d events (%.0f B average) in %.1f s (%s records/s)", options.events(),
                avg, seconds, Format.rate(options.events() / seconds)));
    }

    /** The partition count of a topic, as the broker reports it (a partitioned join must match it). */
    private int partitionsOf(String topic) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(stack.adminProperties())) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getMessage(), e);
        }
    }

    private String enricherYaml(String name, String events, String output, String deadLetter, String guarantee) {
        return enricherYaml(name, name, events, output, deadLetter, guarantee, 1);
    }

    /**
     * Application {@code name} with its state in {@code state-<stateName>} (instances of one application differ) and
     * {@code threads} stream threads (under {@code kafka:}, which passes Kafka Streams properties through).
     */
    private String enricherYaml(String name, String stateName, String events, String output, String deadLetter,
                                String guarantee, int threads) {
        return """
                applicationId: perf-%s-%s
                bootstrapServers: %s
                kafka:
                  processing.guarantee: %s
                  num.stream.threads: "%d"
                  state.dir: %s
                topics:
                  events: %s
                  output: %s
                  deadLetter: %s
                joins:
                  - name: customer
                    topic: %s
                    foreignKey: customerId
                    fields: [%s]
                """.formatted(runId, name, stack.settings().bootstrapServers(), guarantee, threads,
                workDir.resolve("state-" + stateName), events, output, deadLetter, ReferenceData.CUSTOMERS_TOPIC,
                String.join(", ", ReferenceData.FIELDS));
    }

    private Properties streamsProps(String mode) {
        Properties props = stack.adminProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "perf-" + runId + "-" + mode);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.guarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state-" + mode).toString());
        return props;
    }

    private void deleteRunTopics() {
        if (stack == null) {
            return;
        }
        deleteTopics(t -> t.startsWith("perf." + runId + ".") || t.startsWith("perf-" + runId + "-"));
    }

    private void deleteTopics(java.util.function.Predicate<String> which) {
        try (Admin admin = Admin.create(stack.adminProperties())) {
            List<String> mine = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream().filter(which).toList();
            if (!mine.isEmpty()) {
                admin.deleteTopics(mine).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            progress.accept("  could not delete this run's topics: " + e.getMessage());
        }
    }

    private void settings() {
        if (options.isScaleCurve()) {
            scaleSettings();
            return;
        }
        if (options.isThreadsCurve()) {
            threadsSettings();
            return;
        }
        Map<String, String> s = results.settings;
        s.put("profile", options.quick() ? "quick" : "full");
        s.put("reference rows (customers)", String.format("%,d", options.rows()));
        s.put("events (throughput)", String.format("%,d", options.events()));
        s.put("customer id distribution", options.skew() == PerfOptions.Skew.ZIPF
                ? "zipf, exponent " + options.zipfExponent() : "uniform");
        s.put("update ratio", Double.toString(options.updateRatio()));
        s.put("partitions of the events topic", Integer.toString(options.partitions()));
        s.put("stream threads", "1 per app");
        s.put("processing guarantee", options.guarantee() + " for the throughput comparison; " + options.latencyGuarantee()
                + " for latency and freshness (exactly_once_v2 is the enricher's default; Kafka Streams then commits "
                + "every 100 ms)");
        s.put("enricher join", "one global join to customers, fields " + String.join(", ", ReferenceData.FIELDS)
                + ", RocksDB store (the default)");
        s.put("enricher", "'enricher' = EnrichmentTopology in the harness JVM like the other modes (the ratios use it); "
                + "'enricher-jar' = java -Xmx512m -jar enricher.jar as its own process (EnricherProcess), started cold "
                + "for every run, which also gives bootstrap time and peak RSS and runs the latency phase");
        s.put("latency rate", options.rateText());
        s.put("latency duration", options.warmupSeconds() + " s warm-up (not recorded), then " + options.latencySeconds() + " s");
        s.put("CDC churn", options.churn() + " UPDATEs/s for " + options.churnSeconds() + " s, probes every "
                + LatencyPhase.PROBE_INTERVAL_MS + " ms");
        s.put("rpc", "injected latency " + options.rpcLatenciesMs() + " ms, " + options.rpcEvents()
                + " events per run (cap " + options.rpcMaxSeconds() + " s), HTTP server threads and JDBC pool "
                + LookupService.THREADS);
        s.put("modes", options.modes().stream().map(PerfOptions.Mode::label).toList().toString());
        List<RaceEntry> entries = RaceEntry.expand(options.modes(), options.rpcLatenciesMs());
        s.put("throughput race", String.format("warm-up: one untimed run of each of %s on the first %,d events (rpc: "
                + "%,d); then %d measured round(s) of %s, each round the list rotated (round 1 as listed)",
                labels(RaceEntry.warmUp(entries)), RaceSchedule.warmUpShare(options.events()),
                RaceSchedule.warmUpShare(Math.min(options.events(), options.rpcEvents())), options.repeats(), labels(entries)));
        s.put("too noisy", "spread = (max - min) / median above " + ModeSummary.percent(ModeSummary.MAX_SPREAD)
                + ", or the 1-minute load average above the core count (" + results.cores + ") before one of its runs");
        s.put("seed", Long.toString(options.seed()));
        s.put("results folder", options.out().toString());
    }

    private void machineFacts(String when) {
        if (when.equals("at start")) {
            machine("cores (available to the JVM)", Integer.toString(Runtime.getRuntime().availableProcessors()));
            machine("CPU", firstLine("/proc/cpuinfo", "model name").orElse("unknown"));
            machine("memory", firstLine("/proc/meminfo", "MemTotal").orElse("unknown"));
            machine("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            machine("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
            machine("harness JVM max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
            machine("Kafka (clients, Streams)", AppInfoParser.getVersion());
            machine("Kafka broker and Connect", jarVersion(layout.repoRoot().resolve("ops/kafka-dist/target/libs"), "kafka_2.13-"));
            machine("Debezium", jarVersion(layout.repoRoot().resolve("ops/debezium-plugin/target/plugins"), "debezium-api-"));
        }
        machine("load average " + when, readFile("/proc/loadavg").map(String::trim).orElse("unknown"));
    }

    private void machine(String key, String value) {
        results.machine.put(key, value);
    }

    private String mariadbVersion() {
        try (Connection db = stack.mariadb().adminConnection("");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private void notes() {
        List<String> n = results.notes;
        n.add("All parts run on this one machine: MariaDB, the KRaft broker, Connect, the harness JVM (producers, "
                + "consumers, the in-process apps) and the enricher process share its cores. Each throughput figure is "
                + "the median of " + options.repeats() + " runs; compare the modes with each other rather than with other "
                + "machines, and trust an entry only when the Throughput table says ok. Check the load averages: other "
                + "work on the machine skews the figures.");
        n.add("The race: before the measured rounds every distinct mode runs once, untimed, on the first "
                + String.format("%,d", RaceSchedule.warmUpShare(options.events())) + " events (a tenth of the input, "
                + "at least 1,000), enricher first: the harness JVM's JIT compiles the Kafka client, Streams, Jackson "
                + "and RocksDB paths every mode uses, the broker serves the input once, the warm-up enricher's output "
                + "size sets passthrough's padding, and no measured run is the harness's first. The jar starts a new JVM "
                + "for every run, so the warm-up only warms the broker and the OS file cache for it. Then each round "
                + "runs every entry once, the list rotated (round r by r, or by r x entries / rounds when there are "
                + "fewer rounds than entries, so the first places spread over the list): no entry is always first or "
                + "always last. A mode listed twice is two entries (#1, #2); their ratio is the noise alone. Each run's "
                + "output and internal topics are deleted once its figures are read.");
        n.add("Load before and after each run: the 1-minute load average of /proc/loadavg, read just before the app "
                + "starts and once its figures are read. It trails by about a minute, so the load before a run includes "
                + "the previous run (broker, app and harness together can keep " + results.cores + " core(s) busy on "
                + "their own): the flag says the cores were busy, not who kept them busy; the load averages at start "
                + "and end show the machine without the race.");
        n.add("Throughput: the events are produced before each app starts; each app drains the same input on a fresh "
                + "application id, one app at a time. records/s = output records / time between the broker append times "
                + "(LogAppendTime output topics) of the first output record after the warm-up share (the first "
                + Math.round(WARMUP_FRACTION * 100) + "% of each partition's output records are left out: JVM start, JIT, "
                + "first fetches) and the last output record. The note of each mode also gives the rate from the very "
                + "first output record. "
                + "MB/s counts output value bytes.");
        n.add("'enricher', diy, passthrough and rpc run as Kafka Streams instances inside the harness JVM, one after the "
                + "other; 'enricher-jar' is the released jar in its own, cold JVM (-Xmx512m). All use one stream thread, "
                + options.guarantee() + " and Kafka Streams' defaults otherwise"
                + (options.guarantee().equals("exactly_once_v2") ? " (a transaction per 100 ms commit; the record "
                + "counts, from end offsets, include its commit markers: a few hundred in millions)" : "")
                + ". The ratios use " + RaceRatios.BASIS_REASON + ".");
        n.add("passthrough pads each value to the enricher's average output size so that it writes as many bytes: "
                + "the ceiling for one stream thread on this broker.");
        n.add("diy is the join users write by hand: String serdes, the event parsed into a Jackson tree (once for the "
                + "foreign key, once in the joiner), the table row parsed too, the tree written back.");
        n.add("rpc processes a subset of the events (it is slow): a synchronous HTTP GET per event to a JDK HttpServer "
                + "in the harness JVM, which reads MariaDB through JDBC (pool of " + LookupService.THREADS + ") after the "
                + "injected latency.");
        n.add("Latency: open-loop producer; each event carries its intended send time, so a producer that falls behind "
                + "shows up as latency; measured when a read_committed consumer in the harness receives the enriched record "
                + "(producer linger.ms 5, acks all; with exactly_once_v2 the enricher commits every 100 ms and "
                + "read_committed sees records only then). The harness producer and consumer share the cores with the "
                + "enricher and the broker.");
        n.add("CDC freshness: time from an UPDATE's commit in MariaDB (autocommit returned) to the first enriched probe "
                + "event carrying the new value; it includes Debezium's binlog polling (poll.interval.ms 50), the table "
                + "topic, the global store update, the probe interval (" + LatencyPhase.PROBE_INTERVAL_MS + " ms) and the "
                + "event path itself. The UPDATEs run during the latency load.");
        n.add("Bootstrap: from starting the enricher process (JVM start included) until its /ready answers "
                + "true (Kafka Streams RUNNING), and until its first output record; the global store restores the whole "
                + "table topic before RUNNING.");
        n.add("Peak RSS is VmHWM of the enricher process from /proc/<pid>/status, read just before it is stopped; it "
                + "includes the JVM, the heap (max 512 MB) and RocksDB's native memory.");
    }

    /** Whether an output value says {@code "enrichment":{"customer":"hit"}}. */
    static boolean customerHit(byte[] value) {
        try {
            return "hit".equals(JSON.readTree(value).path("enrichment").path("customer").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    private String jarVersion(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return "unknown";
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith(prefix) && f.endsWith(".jar"))
                    .map(f -> f.substring(prefix.length(), f.length() - 4)).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static java.util.Optional<String> readFile(String path) {
        try {
            return java.util.Optional.of(Files.readString(Path.of(path)));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<String> firstLine(String path, String prefix) {
        return readFile(path).flatMap(text -> Arrays.stream(text.split("\n")).filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " ")).findFirst());
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }

    private void step(String text) {
        progress.accept(String.format("%n== [%.0f s] %s", (System.nanoTime() - startNanos) / 1e9, text));
    }

    private Consumer<String> indent() {
        return line -> progress.accept("  " + line);
    }
}
