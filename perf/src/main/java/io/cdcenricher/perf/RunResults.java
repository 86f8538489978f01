package io.cdcenricher.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

/** Every figure of one perf/run, filled in as the phases finish; the report, the CSV and the chart read it. */
public final class RunResults {

    /**
     * Records drained by one mode. The rate is steady state: {@code windowRecords} output records over the
     * {@code seconds} between the first record after the warm-up share and the last output record.
     */
    public record Throughput(String mode, long records, long windowRecords, double seconds, double avgValueBytes,
                             String note) {

        public double recordsPerSecond() {
            return seconds > 0 ? windowRecords / seconds : 0;
        }

        /** Output value bytes per second, in MB (10^6 bytes). */
        public double megabytesPerSecond() {
            return recordsPerSecond() * avgValueBytes / 1e6;
        }
    }

    /** Percentiles of a latency distribution, in milliseconds. */
    public record Latency(String name, long count, double p50, double p95, double p99, double p999, double max,
                          double ratePerSecond, String note) {

        /** From a histogram recorded in microseconds. */
        public static Latency fromMicros(String name, Histogram micros, double ratePerSecond, String note) {
            if (micros.getTotalCount() == 0) {
                return new Latency(name, 0, 0, 0, 0, 0, 0, ratePerSecond, note);
            }
            return new Latency(name, micros.getTotalCount(),
                    micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(95) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0,
                    micros.getValueAtPercentile(99.9) / 1000.0,
                    micros.getMaxValue() / 1000.0,
                    ratePerSecond, note);
        }
    }

    /**
     * One run of the throughput race: an entry's drain, its place in the race and the load around it.
     *
     * @param round      1-based measured round; 0 for the warm-up, which no figure counts
     * @param position   1-based place within its round
     * @param throughput what the run measured; its mode is the entry's label
     * @param loadBefore 1-minute load average just before the app started (NaN where unknown)
     * @param loadAfter  1-minute load average once its figures were read (NaN where unknown)
     */
    public record Run(int round, int position, Throughput throughput, double loadBefore, double loadAfter) {

        public String entry() {
            return throughput.mode();
        }

        public boolean warmUp() {
            return round == 0;
        }
    }

    /** One labelled number, e.g. a bootstrap time in seconds or a peak RSS in MB. */
    public record Figure(String label, double value, String unit, String note) {
    }

    public String commandLine = "";
    public final Map<String, String> machine = new LinkedHashMap<>();
    public final Map<String, String> settings = new LinkedHashMap<>();
    /** Cores the load averages are judged against. */
    public int cores = Runtime.getRuntime().availableProcessors();
    /** Every throughput run in running order: the warm-up (round 0), then the measured rounds. */
    public final List<Run> runs = new ArrayList<>();
    public final List<Latency> latencies = new ArrayList<>();
    /** Bootstrap times of fresh enricher instances. */
    public final List<Figure> bootstrap = new ArrayList<>();
    /** Peak memory figures. */
    public final List<Figure> memory = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();
    public double totalSeconds;

    /** The measured runs (not the warm-up), in running order. */
    public List<Run> measured() {
        return runs.stream().filter(run -> !run.warmUp()).toList();
    }

    /** The warm-up runs. */
    public List<Run> warmUps() {
        return runs.stream().filter(Run::warmUp).toList();
    }

    /** Measured rounds: the highest round number. */
    public int rounds() {
        return runs.stream().mapToInt(Run::round).max().orElse(0);
    }

    /** One summary per entry, in the order the entries first ran (round 1 runs the --modes list as given). */
    public List<ModeSummary> summaries() {
        Map<String, List<Run>> byEntry = measured().stream()
                .collect(Collectors.groupingBy(Run::entry, LinkedHashMap::new, Collectors.toList()));
        return byEntry.entrySet().stream().map(e -> ModeSummary.of(e.getKey(),
                e.getValue().stream().map(run -> run.throughput().recordsPerSecond()).toList(),
                e.getValue().stream().map(Run::loadBefore).toList(), cores)).toList();
    }

    public Optional<ModeSummary> summary(String entry) {
        return summaries().stream().filter(s -> s.entry().equals(entry)).findFirst();
    }

    /** Mean output value size of an entry's measured runs; they drain the same input, so it barely varies. */
    public double avgValueBytes(String entry) {
        return measured().stream().filter(run -> run.entry().equals(entry))
                .mapToDouble(run -> run.throughput().avgValueBytes()).average().orElse(0);
    }

    /** The ratios the report shows, from medians: see {@link RaceRatios}. */
    public List<RaceRatios.Ratio> ratios() {
        return RaceRatios.of(summaries());
    }
}
