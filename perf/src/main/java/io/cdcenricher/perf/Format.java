package io.cdcenricher.perf;

import java.util.Locale;

/** Number formatting shared by the console lines, the report and the CSV (always '.' as the decimal point). */
public final class Format {

    private Format() {
    }

    /** Milliseconds: two decimals below 10 ms, one below 1000 ms, none above. */
    public static String ms(double millis) {
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.2f ms", millis);
        }
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", millis);
        }
        return String.format(Locale.ROOT, "%.0f ms", millis);
    }

    /** A rate with thousands separators and one decimal, e.g. {@code 95,123.4}. */
    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.1f", perSecond);
    }

    public static String decimal(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    public static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }

    /** The console line of one throughput mode, in the manner of Kafka's ProducerPerformance. */
    public static String summaryLine(RunResults.Throughput t) {
        return String.format(Locale.ROOT, "%-12s %,d records, %s records/sec (%.2f MB/sec, %.0f B/record; steady state: %,d records in %.2f s)%s",
                t.mode(), t.records(), rate(t.recordsPerSecond()), t.megabytesPerSecond(), t.avgValueBytes(), t.windowRecords(), t.seconds(),
                t.note().isEmpty() ? "" : "  [" + t.note() + "]");
    }

    /**
     * The console line of one race entry: its median, range and verdict, e.g. {@code enricher  median 66,641.1
     * records/sec of 3 runs (23.31 MB/sec; min 60,000.0, max 68,000.0, spread 12.0%): ok}.
     */
    public static String summaryLine(ModeSummary s, double avgValueBytes) {
        return String.format(Locale.ROOT, "%-12s median %s records/sec of %d run%s (%.2f MB/sec; min %s, max %s, spread %s): %s",
                s.entry(), rate(s.median()), s.runs(), s.runs() == 1 ? "" : "s", s.median() * avgValueBytes / 1e6,
                rate(s.min()), rate(s.max()), ModeSummary.percent(s.spread()), s.verdict());
    }

    /** A load average with two decimals, or {@code n/a} where the machine has none. */
    public static String load(double load) {
        return Double.isNaN(load) ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }

    /** The console line of one latency distribution. */
    public static String summaryLine(RunResults.Latency l) {
        return String.format(Locale.ROOT, "%-12s %,d records%s: p50 %s, p95 %s, p99 %s, p99.9 %s, max %s",
                l.name(), l.count(),
                l.ratePerSecond() > 0 ? " at " + rate(l.ratePerSecond()) + " records/sec" : "",
                ms(l.p50()), ms(l.p95()), ms(l.p99()), ms(l.p999()), ms(l.max()));
    }
}
