package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code report.md} and {@code results.csv} from a run's results. */
public final class ReportWriter {

    /** The section headings of report.md, in order; the tests check for each. */
    public static final List<String> SECTIONS = List.of(
            "## Command", "## Machine", "## Settings", "## Summary", "## Throughput", "## Throughput runs", "## Ratios",
            "## End-to-end latency", "## CDC freshness", "## Bootstrap", "## Peak memory", "## Method and caveats");

    /**
     * The columns of results.csv. Kinds: {@code throughput} (one row per race entry: the median in records_per_s,
     * with runs, min, max, spread and verdict), {@code throughput-run} and {@code warmup} (one row per run, with its
     * round, position and load averages), {@code ratio} (value, unit x), {@code latency}, {@code freshness},
     * {@code bootstrap}, {@code memory}.
     */
    public static final String CSV_HEADER = "kind,name,records,window_records,seconds,records_per_s,mb_per_s,avg_value_bytes,"
            + "p50_ms,p95_ms,p99_ms,p999_ms,max_ms,value,unit,round,position,load_before,load_after,runs,"
            + "min_records_per_s,max_records_per_s,spread,verdict,note";
    private static final List<String> COLUMNS = List.of(CSV_HEADER.split(","));

    private ReportWriter() {
    }

    public static void write(RunResults results, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown(results));
            Files.writeString(dir.resolve("results.csv"), csv(results));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String markdown(RunResults r) {
        StringBuilder md = new StringBuilder();
        md.append("# cdc-enricher performance report\n\n");
        md.append("## Command\n\n```\n").append(r.commandLine).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Total wall time: %.1f s.%n%n", r.totalSeconds));

        md.append("## Machine\n\n");
        table(md, r.machine);
        md.append("## Settings\n\n");
        table(md, r.settings);

        md.append("## Summary\n\n```\n");
        r.summaries().forEach(s -> md.append(Format.summaryLine(s, r.avgValueBytes(s.entry()))).append('\n'));
        r.latencies.forEach(l -> md.append(Format.summaryLine(l)).append('\n'));
        md.append("```\n\n");

        throughput(md, r);
        throughputRuns(md, r);
        ratios(md, r);

        md.append("## End-to-end latency\n\n");
        latencyTable(md, r.latencies.stream().filter(l -> !l.name().startsWith("freshness")).toList(),
                "Not measured in this run.");
        md.append("## CDC freshness\n\n");
        latencyTable(md, r.latencies.stream().filter(l -> l.name().startsWith("freshness")).toList(),
                "Not measured in this run.");

        md.append("## Bootstrap\n\n");
        figures(md, r.bootstrap);
        md.append("## Peak memory\n\n");
        figures(md, r.memory);

        md.append("## Method and caveats\n\n");
        r.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append("\n![throughput and latency](chart.png)\n");
        return md.toString();
    }

    public static String csv(RunResults r) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (ModeSummary s : r.summaries()) {
            double bytes = r.avgValueBytes(s.entry());
            row(csv, "kind", "throughput", "name", s.entry(), "records_per_s", d(s.median(), 1),
                    "mb_per_s", d(s.median() * bytes / 1e6, 3), "avg_value_bytes", d(bytes, 1),
                    "runs", Integer.toString(s.runs()), "min_records_per_s", d(s.min(), 1),
                    "max_records_per_s", d(s.max(), 1), "spread", d(s.spread(), 4), "verdict", s.verdict(),
                    "note", "median of " + s.runs() + " measured runs");
        }
        for (RunResults.Run run : r.runs) {
            RunResults.Throughput t = run.throughput();
            row(csv, "kind", run.warmUp() ? "warmup" : "throughput-run", "name", t.mode(),
                    "records", Long.toString(t.records()), "window_records", Long.toString(t.windowRecords()),
                    "seconds", d(t.seconds(), 3), "records_per_s", d(t.recordsPerSecond(), 1),
                    "mb_per_s", d(t.megabytesPerSecond(), 3), "avg_value_bytes", d(t.avgValueBytes(), 1),
                    "round", Integer.toString(run.round()), "position", Integer.toString(run.position()),
                    "load_before", load(run.loadBefore()), "load_after", load(run.loadAfter()), "note", t.note());
        }
        for (RaceRatios.Ratio ratio : r.ratios()) {
            row(csv, "kind", "ratio", "name", ratio.name(), "value", d(ratio.value(), 4), "unit", "x", "note", ratio.note());
        }
        for (RunResults.Latency l : r.latencies) {
            row(csv, "kind", l.name().startsWith("freshness") ? "freshness" : "latency", "name", l.name(),
                    "records", Long.toString(l.count()), "records_per_s", d(l.ratePerSecond(), 1),
                    "p50_ms", d(l.p50(), 3), "p95_ms", d(l.p95(), 3), "p99_ms", d(l.p99(), 3), "p999_ms", d(l.p999(), 3),
                    "max_ms", d(l.max(), 3), "note", l.note());
        }
        for (RunResults.Figure f : r.bootstrap) {
            row(csv, "kind", "bootstrap", "name", f.label(), "value", d(f.value(), 3), "unit", f.unit(), "note", f.note());
        }
        for (RunResults.Figure f : r.memory) {
            row(csv, "kind", "memory", "name", f.label(), "value", d(f.value(), 1), "unit", f.unit(), "note", f.note());
        }
        return csv.toString();
    }

    /** Per entry: the median and how far its runs lie apart. */
    private static void throughput(StringBuilder md, RunResults r) {
        md.append("## Throughput\n\n");
        List<ModeSummary> summaries = r.summaries();
        if (summaries.isEmpty()) {
            md.append("No throughput mode ran.\n\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "Each entry ran once per round, %d measured round(s) after an untimed warm-up "
                + "run of each (see \"Throughput runs\"). spread = (max - min) / median. An entry is **too noisy** to "
                + "trust when its spread exceeds %s or the 1-minute load average before one of its runs exceeded the %d "
                + "core(s).%n%n", r.rounds(), ModeSummary.percent(ModeSummary.MAX_SPREAD), r.cores));
        md.append("| mode | runs | median records/s | min | max | spread | MB/s at the median | avg output value (B) | verdict |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (ModeSummary s : summaries) {
            double bytes = r.avgValueBytes(s.entry());
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %.2f | %.0f | %s |%n", s.entry(), s.runs(),
                    Format.rate(s.median()), Format.rate(s.min()), Format.rate(s.max()), ModeSummary.percent(s.spread()),
                    s.median() * bytes / 1e6, bytes, s.trusted() ? "ok" : "**" + s.verdict() + "**"));
        }
        md.append('\n');
    }

    /** Every run, warm-up first, in running order. */
    private static void throughputRuns(StringBuilder md, RunResults r) {
        md.append("## Throughput runs\n\n");
        if (r.runs.isEmpty()) {
            md.append("No throughput mode ran.\n\n");
            return;
        }
        md.append("Load = the 1-minute load average of /proc/loadavg just before the app started and once its figures "
                + "were read; it trails by about a minute, so it includes the previous run.\n\n");
        md.append("| round | place | mode | records/s | output records | records in the steady-state window | window (s) "
                + "| load before | load after | note |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResults.Run run : r.runs) {
            RunResults.Throughput t = run.throughput();
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %,d | %,d | %.2f | %s | %s | %s |%n",
                    run.warmUp() ? "warm-up" : Integer.toString(run.round()), run.position(), t.mode(),
                    Format.rate(t.recordsPerSecond()), t.records(), t.windowRecords(), t.seconds(),
                    Format.load(run.loadBefore()), Format.load(run.loadAfter()), t.note()));
        }
        md.append('\n');
    }

    /** The ratios of medians, and which enricher they use. */
    private static void ratios(StringBuilder md, RunResults r) {
        md.append("## Ratios\n\n");
        List<RaceRatios.Ratio> ratios = r.ratios();
        if (ratios.isEmpty()) {
            md.append("Not available: the enricher and at least one other mode must run, or a mode be listed twice.\n\n");
            return;
        }
        md.append("Ratios of medians. ");
        RaceRatios.basis(r.summaries()).ifPresent(basis -> md.append("The enricher ratios use **").append(basis.entry())
                .append("**, ").append(RaceRatios.BASIS_REASON).append(". "));
        md.append("A ratio with a too noisy side says so in its note.\n\n");
        md.append("| ratio (median records/s) | value | note |\n|---|---:|---|\n");
        ratios.forEach(ratio -> md.append("| ").append(ratio.name()).append(" | ").append(Format.ratio(ratio.value()))
                .append(" | ").append(ratio.note()).append(" |\n"));
        md.append('\n');
    }

    private static void latencyTable(StringBuilder md, List<RunResults.Latency> rows, String empty) {
        if (rows.isEmpty()) {
            md.append(empty).append("\n\n");
            return;
        }
        md.append("| measured | samples | rate (records/s) | p50 | p95 | p99 | p99.9 | max | note |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResults.Latency l : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s | %s |%n", l.name(), l.count(),
                    l.ratePerSecond() > 0 ? Format.rate(l.ratePerSecond()) : "", Format.ms(l.p50()), Format.ms(l.p95()),
                    Format.ms(l.p99()), Format.ms(l.p999()), Format.ms(l.max()), l.note()));
        }
        md.append('\n');
    }

    private static void figures(StringBuilder md, List<RunResults.Figure> figures) {
        if (figures.isEmpty()) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        md.append("| measured | value | note |\n|---|---:|---|\n");
        for (RunResults.Figure f : figures) {
            md.append("| ").append(f.label()).append(" | ").append(d(f.value(), f.unit().equals("s") ? 2 : 0))
                    .append(' ').append(f.unit()).append(" | ").append(f.note()).append(" |\n");
        }
        md.append('\n');
    }

    /** A two-column Markdown table of names and values (machine, settings). */
    static void table(StringBuilder md, Map<String, String> rows) {
        md.append("| | |\n|---|---|\n");
        rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append('\n');
    }

    /** One CSV row from column-name/value pairs; the columns not named stay empty. */
    private static void row(StringBuilder csv, String... namesAndValues) {
        Map<String, String> cells = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!COLUMNS.contains(namesAndValues[i])) {
                throw new IllegalArgumentException("no CSV column " + namesAndValues[i]);
            }
            cells.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            String cell = cells.getOrDefault(COLUMNS.get(i), "");
            csv.append(cell.contains(",") || cell.contains("\"") ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        csv.append('\n');
    }

    private static String load(double load) {
        return Double.isNaN(load) ? "" : d(load, 2);
    }

    private static String d(double value, int decimals) {
        return Format.decimal(value, decimals);
    }
}
