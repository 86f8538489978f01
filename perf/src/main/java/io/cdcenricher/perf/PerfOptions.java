package io.cdcenricher.perf;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.cdcenricher.enricher.config.KafkaKeys;
import org.apache.kafka.streams.StreamsConfig;

import static io.cdcenricher.perf.OptionValues.number;
import static io.cdcenricher.perf.OptionValues.positiveDouble;
import static io.cdcenricher.perf.OptionValues.positiveInt;
import static io.cdcenricher.perf.OptionValues.value;

/**
 * The command line of {@code perf/run}: a profile ({@code --quick} or the full one) and the settings that override it.
 *
 * @param quick            the small CI profile
 * @param rows             reference rows in the customers table
 * @param events           events produced for the throughput comparison
 * @param rate             latency-phase producer rate in events/s; 0 = half the enricher's measured max; -1 = unthrottled
 * @param skew             how customer ids are drawn
 * @param zipfExponent     exponent of the zipf distribution
 * @param updateRatio      fraction of events that are updates of an earlier entity
 * @param churn            CDC freshness: customer rows updated per second
 * @param churnSeconds     CDC freshness: how long the updates run
 * @param warmupSeconds    open-loop load before the latency measurement starts
 * @param latencySeconds   duration of the open-loop latency measurement
 * @param guarantee        processing guarantee of every throughput mode of the race
 * @param latencyGuarantee processing guarantee of the enricher in the latency and freshness phase
 * @param rpcLatenciesMs   injected latency of the lookup service, one rpc run per value
 * @param rpcEvents        events the rpc mode processes (a subset: it is slow)
 * @param rpcMaxSeconds    time cap per rpc run
 * @param partitions       partitions of the events and output topics (one stream thread either way)
 * @param modes            the throughput modes, in the order given; a mode listed twice runs as two entries
 * @param repeats          measured rounds of the throughput race (each entry runs once per round)
 * @param out              the results folder
 * @param keepStack        reuse a running perf stack and leave it running
 * @param stackDir         the stack's run directory (default perf/target/stack)
 * @param seed             random seed of the event generator and the samplers
 * @param commandLine      the command line as given, for the report
 * @param scaleRows        {@code --scale}: the table sizes of a scale curve, ascending; empty for the race
 * @param threadCounts     {@code --threads}: the stream thread counts of a threads curve, ascending; empty otherwise
 */
public record PerfOptions(
        boolean quick,
        int rows,
        long events,
        double rate,
        Skew skew,
        double zipfExponent,
        double updateRatio,
        int churn,
        int churnSeconds,
        int warmupSeconds,
        int latencySeconds,
        String guarantee,
        String latencyGuarantee,
        List<Integer> rpcLatenciesMs,
        int rpcEvents,
        int rpcMaxSeconds,
        int partitions,
        List<Mode> modes,
        int repeats,
        Path out,
        boolean keepStack,
        Path stackDir,
        long seed,
        String commandLine,
        List<Integer> scaleRows,
        List<Integer> threadCounts) {

    public static final double RATE_AUTO = 0;
    /** The table size of a threads curve unless {@code --rows} says otherwise. */
    public static final int THREADS_CURVE_ROWS = 100_000;
    /**
     * Options only the race reads: a curve ({@code --scale}, {@code --threads}) runs no race, so it refuses them
     * rather than ignore them.
     */
    static final List<String> RACE_ONLY = List.of("--quick", "--modes", "--partitions", "--rate", "--churn",
            "--churn-seconds", "--warmup-seconds", "--latency-seconds", "--guarantee", "--latency-guarantee",
            "--rpc-latency-ms",
            "--rpc-events", "--rpc-max-seconds");
    public static final double RATE_MAX = -1;
    /** The enricher's shipped processing guarantee, read from its config keys so the harness follows a change. */
    static final String SHIPPED_GUARANTEE = KafkaKeys.PROCESSING_GUARANTEE.defaultValue();
    /** Kafka Streams' processing guarantees the harness runs. */
    static final List<String> GUARANTEES = List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);

    public enum Skew { UNIFORM, ZIPF }

    /** The throughput modes; the default list runs them in this order. */
    public enum Mode {
        ENRICHER("enricher"), PARTITIONED("enricher-partitioned"), DIY("diy"), PASSTHROUGH("passthrough"), RPC("rpc"),
        /**
         * The in-JVM enricher with its table in Kafka Streams' in-memory store ({@code store: in-memory}): not in
         * the default list; beside {@code enricher} it shows what the RocksDB lookup costs.
         */
        IN_MEMORY("enricher-in-memory");

        /** The modes a race runs unless {@code --modes} says otherwise, in this order. */
        static final List<Mode> DEFAULTS = List.of(ENRICHER, PARTITIONED, DIY, PASSTHROUGH, RPC);

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Mode parse(String text) {
            for (Mode mode : values()) {
                if (mode.label.equals(text.trim())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--modes: unknown mode '" + text
                    + "' (passthrough, enricher, enricher-partitioned, enricher-in-memory, diy, rpc)");
        }
    }

    static final String USAGE = """
            Usage: perf/run [--quick] [options]

            Measures the enricher against a pass-through Kafka Streams app (the ceiling), the do-it-yourself
            KStream-GlobalKTable join and a per-event HTTP lookup (the RPC baseline), on the real local stack
            (MariaDB -> Debezium -> Kafka). Then end-to-end latency under an open-loop load, CDC freshness,
            the enricher's bootstrap time and peak RSS. Writes report.md, results.csv and chart.png.

            The throughput modes race fairly: one untimed warm-up run of each, then --repeats rounds in
            rotating order; the report gives each mode's median, min, max and spread, flags a mode too noisy
            to trust (spread above 15%, or the 1-minute load above the core count before a run), and takes
            the ratios from the medians.

            Options (full profile defaults; --quick defaults in brackets):
              --quick                 small profile for CI: fewer rows and events, two rounds
              --rows N                reference rows in the customers table          1000000 [10000]
              --events M              events for the throughput comparison           5000000 [200000]
              --rate R|max            latency-phase rate (events/s); default: half the enricher's measured
                                      max; 'max' = unthrottled
              --skew uniform|zipf     customer id distribution of the events         uniform
              --zipf-exponent S       exponent of the zipf distribution              0.99
              --update-ratio F        fraction of events that update an earlier entity   0.2
              --churn K               CDC freshness: customer UPDATEs per second      20
              --churn-seconds S       CDC freshness: how long the UPDATEs run         30 [10]
              --warmup-seconds S      open-loop load before latency is recorded       20 [5]
              --latency-seconds S     recorded duration of the open-loop latency phase    60 [10]
              --guarantee G           processing guarantee of every throughput mode: exactly_once_v2
                                      (the enricher's shipped default; Kafka Streams commits every
                                      100 ms) or at_least_once                  exactly_once_v2
              --latency-guarantee G   the same for the latency and freshness phase   --guarantee's
              --rpc-latency-ms L,...  injected lookup-service latency, one run each   0,1,5 [0,1]
              --rpc-events N          events the rpc mode processes per run           10000 [1000]
              --rpc-max-seconds S     time cap per rpc run                            60 [15]
              --partitions P          partitions of the events topic (one stream thread)   1
              --modes LIST            throughput modes, round 1's order       enricher,enricher-partitioned,
                                      (each mode once, or twice or more)      diy,passthrough,rpc
                                      'enricher' is two entries: the jar as its own process and the
                                      in-JVM enricher (the ratios use the latter); a mode listed twice
                                      runs as two entries (enricher#1, enricher#2): their ratio is noise;
                                      'enricher-in-memory' (not by default) is the in-JVM enricher with
                                      its table in the in-memory store: what the RocksDB lookup costs
              --repeats N             measured rounds: every entry runs once a round, after one
                                      untimed warm-up run of each; rounds in rotating order    3 [2]
              --scale SIZES           a scale curve instead of the race: for each table size (e.g.
                                      10k,100k,1m; 10m on demand) the enricher jar, global and partitioned,
                                      drains --events events [200000]: bootstrap time, throughput, peak
                                      RSS, state disk; then two instances share the partitioned table
              --threads LIST          a threads curve instead of the race: for each stream thread count
                                      (e.g. 1,2,4; at most the 4 events partitions) the enricher jar drains
                                      --events events [200000] with a global join on a --rows table
                                      [100000], then two instances of one thread each; each --repeats
                                      times [2]: records/s, speed-up, CPU s per 1M records, peak RSS
              --seed N                random seed                                     42
              --out DIR               results folder                                  perf/results/<timestamp>
              --keep-stack            reuse the perf stack if it runs, and leave it running at the end
              --stack-dir DIR         the stack's run directory                       perf/target/stack
              --help                  this text

            The stack runs on free ports in its own run directory, so it never collides with ops/stack.
            With STACK_RUN_DIR set, the stack of that run directory (and the ports of the environment) is used.
            """;

    /** Parses the arguments; {@code repoRoot} anchors the default folders. Throws IllegalArgumentException. */
    public static PerfOptions parse(List<String> args, Path repoRoot) {
        boolean quick = args.contains("--quick");
        Integer rows = null;
        Long events = null;
        double rate = RATE_AUTO;
        Skew skew = Skew.UNIFORM;
        double zipfExponent = 0.99;
        double updateRatio = 0.2;
        int churn = 20;
        Integer churnSeconds = null;
        Integer latencySeconds = null;
        Integer warmupSeconds = null;
        String guarantee = SHIPPED_GUARANTEE;
        String latencyGuarantee = null;
        List<Integer> rpcLatencies = null;
        Integer rpcEvents = null;
        Integer rpcMaxSeconds = null;
        int partitions = 1;
        List<Mode> modes = Mode.DEFAULTS;
        Integer repeats = null;
        Path out = null;
        boolean keepStack = false;
        Path stackDir = null;
        long seed = 42;
        List<Integer> scaleRows = List.of();
        List<Integer> threadCounts = List.of();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> { }
                case "--keep-stack" -> keepStack = true;
                case "--rows" -> rows = positiveInt(arg, value(args, ++i, arg));
                case "--events" -> events = (long) positiveInt(arg, value(args, ++i, arg));
                case "--rate" -> {
                    String v = value(args, ++i, arg);
                    rate = v.equals("max") ? RATE_MAX : positiveDouble(arg, v);
                }
                case "--skew" -> skew = switch (value(args, ++i, arg)) {
                    case "uniform" -> Skew.UNIFORM;
                    case "zipf" -> Skew.ZIPF;
                    default -> throw new IllegalArgumentException("--skew: uniform or zipf");
                };
                case "--zipf-exponent" -> zipfExponent = positiveDouble(arg, value(args, ++i, arg));
                case "--update-ratio" -> {
                    updateRatio = number(arg, value(args, ++i, arg));
                    if (updateRatio < 0 || updateRatio >= 1) {
                        throw new IllegalArgumentException("--update-ratio: a fraction in [0, 1)");
                    }
                }
                case "--churn" -> churn = positiveInt(arg, value(args, ++i, arg));
                case "--churn-seconds" -> churnSeconds = positiveInt(arg, value(args, ++i, arg));
                case "--latency-seconds" -> latencySeconds = positiveInt(arg, value(args, ++i, arg));
                case "--guarantee" -> guarantee = guarantee(arg, value(args, ++i, arg));
                case "--latency-guarantee" -> latencyGuarantee = guarantee(arg, value(args, ++i, arg));
                case "--warmup-seconds" -> warmupSeconds = (int) number(arg, value(args, ++i, arg));
                case "--rpc-latency-ms" -> {
                    rpcLatencies = new ArrayList<>();
                    for (String part : value(args, ++i, arg).split(",")) {
                        int ms = (int) number(arg, part.trim());
                        if (ms < 0) {
                            throw new IllegalArgumentException("--rpc-latency-ms: milliseconds >= 0");
                        }
                        rpcLatencies.add(ms);
                    }
                }
                case "--rpc-events" -> rpcEvents = positiveInt(arg, value(args, ++i, arg));
                case "--rpc-max-seconds" -> rpcMaxSeconds = positiveInt(arg, value(args, ++i, arg));
                case "--partitions" -> partitions = positiveInt(arg, value(args, ++i, arg));
                case "--modes" -> {
                    List<Mode> listed = new ArrayList<>();
                    for (String part : value(args, ++i, arg).split(",")) {
                        listed.add(Mode.parse(part));
                    }
                    modes = List.copyOf(listed);
                }
                case "--repeats" -> repeats = positiveInt(arg, value(args, ++i, arg));
                case "--scale" -> scaleRows = scaleSizes(value(args, ++i, arg));
                case "--threads" -> threadCounts = threadCounts(value(args, ++i, arg));
                case "--seed" -> seed = (long) number(arg, value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--stack-dir" -> stackDir = Path.of(value(args, ++i, arg)).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        curveExclusions(args, !scaleRows.isEmpty(), !threadCounts.isEmpty());
        boolean curve = !scaleRows.isEmpty() || !threadCounts.isEmpty();
        if (out == null) {
            out = repoRoot.resolve("perf/results")
                    .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        if (stackDir == null) {
            stackDir = repoRoot.resolve("perf/target/stack");
        }
        return new PerfOptions(quick,
                rows != null ? rows : quick ? 10_000 : !threadCounts.isEmpty() ? THREADS_CURVE_ROWS : 1_000_000,
                events != null ? events : quick || curve ? 200_000 : 5_000_000,
                rate, skew, zipfExponent, updateRatio, churn,
                churnSeconds != null ? churnSeconds : quick ? 10 : 30,
                Math.max(0, warmupSeconds != null ? warmupSeconds : quick ? 5 : 20),
                latencySeconds != null ? latencySeconds : quick ? 10 : 60,
                guarantee,
                latencyGuarantee != null ? latencyGuarantee : guarantee,
                rpcLatencies != null ? List.copyOf(rpcLatencies) : quick ? List.of(0, 1) : List.of(0, 1, 5),
                rpcEvents != null ? rpcEvents : quick ? 1_000 : 10_000,
                rpcMaxSeconds != null ? rpcMaxSeconds : quick ? 15 : 60,
                partitions, modes, repeats != null ? repeats : quick || !threadCounts.isEmpty() ? 2 : 3, out,
                keepStack, stackDir, seed, "perf/run " + String.join(" ", args), scaleRows, threadCounts);
    }

    private static String guarantee(String option, String value) {
        if (!GUARANTEES.contains(value)) {
            throw new IllegalArgumentException(option + ": " + String.join(" or ", GUARANTEES) + ", not '" + value + "'");
        }
        return value;
    }

    /** A curve is one kind of run: {@code --scale} and {@code --threads} exclude each other and the race's options. */
    private static void curveExclusions(List<String> args, boolean scale, boolean threads) {
        if (scale && threads) {
            throw new IllegalArgumentException("--threads: a threads curve and a scale curve (--scale) are separate "
                    + "runs; give one of them");
        }
        if (!scale && !threads) {
            return;
        }
        String curve = scale ? "--scale" : "--threads";
        for (String raceOnly : RACE_ONLY) {
            if (args.contains(raceOnly)) {
                throw new IllegalArgumentException(curve + ": runs no race, so " + raceOnly + " (an option of the race) "
                        + "does not apply");
            }
        }
    }

    /** Whether this run is a scale curve ({@code --scale}) rather than the race. */
    public boolean isScaleCurve() {
        return !scaleRows.isEmpty();
    }

    /** {@code 10k,100k,1m}: row counts with an optional k (thousand) or m (million), returned ascending. */
    static List<Integer> scaleSizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            String size = part.trim().toLowerCase(java.util.Locale.ROOT);
            int unit = size.endsWith("k") ? 1_000 : size.endsWith("m") ? 1_000_000 : 1;
            String digits = unit == 1 ? size : size.substring(0, size.length() - 1);
            long rows = (long) positiveInt("--scale", digits) * unit;
            if (rows > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--scale: " + part.trim() + " rows is too many");
            }
            if (sizes.contains((int) rows)) {
                throw new IllegalArgumentException("--scale: " + part.trim() + " is listed twice");
            }
            sizes.add((int) rows);
        }
        sizes.sort(null);
        return List.copyOf(sizes);
    }

    /** Whether this run is a threads curve ({@code --threads}) rather than the race. */
    public boolean isThreadsCurve() {
        return !threadCounts.isEmpty();
    }

    /**
     * {@code 1,2,4}: stream thread counts, returned ascending. At most {@link PerfRun#SCALE_PARTITIONS}: the events
     * topic has that many partitions, so a further thread would get no task.
     */
    static List<Integer> threadCounts(String text) {
        List<Integer> counts = new ArrayList<>();
        for (String part : text.split(",")) {
            int threads = positiveInt("--threads", part.trim());
            if (threads > PerfRun.SCALE_PARTITIONS) {
                throw new IllegalArgumentException("--threads: " + threads + " threads, but the events topic has "
                        + PerfRun.SCALE_PARTITIONS + " partitions (one task each): a thread beyond them would idle");
            }
            if (counts.contains(threads)) {
                throw new IllegalArgumentException("--threads: " + threads + " is listed twice");
            }
            counts.add(threads);
        }
        counts.sort(null);
        return List.copyOf(counts);
    }

    public boolean runs(Mode mode) {
        return modes.contains(mode);
    }

    public String rateText() {
        return rate == RATE_MAX ? "max (unthrottled)" : rate == RATE_AUTO ? "half the enricher's measured max" : fmt(rate) + " events/s";
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
