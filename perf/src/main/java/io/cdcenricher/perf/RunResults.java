package io.cdcenricher.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.HdrHistogram.Histogram;

/** Every figure of one run, filled in as the phases finish; the report, the CSV and the chart read it. */
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

    /** One labelled number, e.g. a bootstrap time in seconds or a peak RSS in MB. */
    public record Figure(String label, double value, String unit, String note) {
    }

    public String commandLine = "";
    public final Map<String, String> machine = new LinkedHashMap<>();
    public final Map<String, String> settings = new LinkedHashMap<>();
    public final List<Throughput> throughput = new ArrayList<>();
    public final List<Latency> latencies = new ArrayList<>();
    /** Bootstrap times of fresh enricher instances. */
    public final List<Figure> bootstrap = new ArrayList<>();
    /** Peak memory figures. */
    public final List<Figure> memory = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();
    public double totalSeconds;

    public Optional<Throughput> throughput(String mode) {
        return throughput.stream().filter(t -> t.mode().equals(mode)).findFirst();
    }

    /** {@code a / b} in records/s, when both modes ran. */
    public Optional<Double> ratio(String a, String b) {
        Optional<Throughput> x = throughput(a);
        Optional<Throughput> y = throughput(b);
        if (x.isEmpty() || y.isEmpty() || y.get().recordsPerSecond() <= 0) {
            return Optional.empty();
        }
        return Optional.of(x.get().recordsPerSecond() / y.get().recordsPerSecond());
    }

    /** The ratios the report shows: enricher against each other mode that ran. */
    public Map<String, Double> ratios() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (Throughput other : throughput) {
            if (!other.mode().startsWith("enricher")) {
                ratio("enricher", other.mode()).ifPresent(r -> ratios.put("enricher/" + other.mode(), r));
            }
        }
        return ratios;
    }
}
