package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code report.md} and {@code results.csv} from a run's results. */
public final class ReportWriter {

    /** The section headings of report.md, in order; the tests check for each. */
    public static final List<String> SECTIONS = List.of(
            "## Command", "## Machine", "## Settings", "## Summary", "## Throughput", "## Ratios",
            "## End-to-end latency", "## CDC freshness", "## Bootstrap", "## Peak memory", "## Method and caveats");

    public static final String CSV_HEADER = "kind,name,records,window_records,seconds,records_per_s,mb_per_s,avg_value_bytes,"
            + "p50_ms,p95_ms,p99_ms,p999_ms,max_ms,value,unit,note";

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
        r.throughput.forEach(t -> md.append(Format.summaryLine(t)).append('\n'));
        r.latencies.forEach(l -> md.append(Format.summaryLine(l)).append('\n'));
        md.append("```\n\n");

        md.append("## Throughput\n\n");
        if (r.throughput.isEmpty()) {
            md.append("No throughput mode ran.\n\n");
        } else {
            md.append("| mode | output records | records in the steady-state window | window (s) | records/s | MB/s (output values) | avg output value (B) | note |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
            for (RunResults.Throughput t : r.throughput) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.2f | %s | %.2f | %.0f | %s |%n", t.mode(), t.records(),
                        t.windowRecords(), t.seconds(), Format.rate(t.recordsPerSecond()), t.megabytesPerSecond(),
                        t.avgValueBytes(), t.note()));
            }
            md.append('\n');
        }

        md.append("## Ratios\n\n");
        Map<String, Double> ratios = r.ratios();
        if (ratios.isEmpty()) {
            md.append("Not available: the enricher and at least one other mode must run.\n\n");
        } else {
            md.append("| ratio (records/s) | value |\n|---|---:|\n");
            ratios.forEach((name, value) -> md.append("| ").append(name).append(" | ").append(Format.ratio(value)).append(" |\n"));
            md.append('\n');
        }

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
        for (RunResults.Throughput t : r.throughput) {
            row(csv, "throughput", t.mode(), Long.toString(t.records()), Long.toString(t.windowRecords()), d(t.seconds(), 3), d(t.recordsPerSecond(), 1),
                    d(t.megabytesPerSecond(), 3), d(t.avgValueBytes(), 1), "", "", "", "", "", "", "", t.note());
        }
        for (RunResults.Latency l : r.latencies) {
            row(csv, l.name().startsWith("freshness") ? "freshness" : "latency", l.name(), Long.toString(l.count()), "", "",
                    d(l.ratePerSecond(), 1), "", "", d(l.p50(), 3), d(l.p95(), 3), d(l.p99(), 3), d(l.p999(), 3),
                    d(l.max(), 3), "", "", l.note());
        }
        for (RunResults.Figure f : r.bootstrap) {
            row(csv, "bootstrap", f.label(), "", "", "", "", "", "", "", "", "", "", "", d(f.value(), 3), f.unit(), f.note());
        }
        for (RunResults.Figure f : r.memory) {
            row(csv, "memory", f.label(), "", "", "", "", "", "", "", "", "", "", "", d(f.value(), 1), f.unit(), f.note());
        }
        return csv.toString();
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

    private static void table(StringBuilder md, Map<String, String> rows) {
        md.append("| | |\n|---|---|\n");
        rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append('\n');
    }

    private static void row(StringBuilder csv, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            String cell = cells[i];
            csv.append(cell.contains(",") || cell.contains("\"") ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        csv.append('\n');
    }

    private static String d(double value, int decimals) {
        return Format.decimal(value, decimals);
    }
}
