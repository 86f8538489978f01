package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report of a scale curve ({@code perf/run --scale}): how bootstrap time, throughput, peak RSS and state disk of
 * the enricher jar grow with the table, global and partitioned, and how two instances share a partitioned table.
 * Writes {@code report.md} and {@code results.csv}.
 */
final class ScaleReport {

    /** The section headings of report.md, in order. */
    static final List<String> SECTIONS = List.of("## Command", "## Machine", "## Settings", "## Scale curve",
            "## Two instances, partitioned", "## Method and caveats");
    static final String CSV_HEADER = "kind,rows,materialization,instance,ready_s,first_output_s,records_per_s,"
            + "peak_rss_mb,state_disk_mb,rows_held,active_partitions,load_before,load_after,note";

    /**
     * One enricher process (or the sum of one application's instances) at one table size.
     *
     * @param rows             rows in the table
     * @param materialization  {@code global} or {@code partitioned}
     * @param readySeconds     process start (JVM included) to {@code /ready} answering true
     * @param firstOutputSeconds process start to the first output record's append time
     * @param recordsPerSecond drain rate of the pre-produced events after the warm-up share
     * @param peakRssMb        VmHWM of the process, read just before it stopped
     * @param stateDiskMb      bytes under its state directory once it stopped, in MB
     * @param loadBefore       1-minute load average before it started
     * @param loadAfter        1-minute load average once its figures were read
     * @param note             the throughput's note
     */
    record Point(int rows, String materialization, double readySeconds, double firstOutputSeconds,
                 double recordsPerSecond, double peakRssMb, double stateDiskMb, double loadBefore, double loadAfter,
                 String note) {
    }

    /**
     * One instance of the two-instance partitioned run: what it holds of the table.
     *
     * @param rowsHeld         the rows its {@code /status.json} reports held for the join (approximate)
     * @param activePartitions the join's table partitions it holds as active tasks
     */
    record Share(int rows, int instance, long rowsHeld, List<Integer> activePartitions, double readySeconds,
                 double peakRssMb, double stateDiskMb) {
    }

    private ScaleReport() {
    }

    static void write(RunResults base, List<Point> points, List<Share> shares, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown(base, points, shares));
            Files.writeString(dir.resolve("results.csv"), csv(points, shares));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String markdown(RunResults base, List<Point> points, List<Share> shares) {
        StringBuilder md = new StringBuilder("# cdc-enricher scale curve\n\n");
        md.append("## Command\n\n```\n").append(base.commandLine).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Total wall time: %.1f s.%n%n", base.totalSeconds));
        md.append("## Machine\n\n");
        ReportWriter.table(md, base.machine);
        md.append("## Settings\n\n");
        ReportWriter.table(md, base.settings);

        md.append("## Scale curve\n\n");
        md.append("| rows | join | start to ready | start to first output | records/s | peak RSS | state disk "
                + "| load before/after |\n|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Point p : points) {
            md.append(String.format(Locale.ROOT, "| %,d | %s | %.1f s | %.1f s | %s | %.0f MB | %.1f MB | %s / %s |%n",
                    p.rows(), p.materialization(), p.readySeconds(), p.firstOutputSeconds(),
                    Format.rate(p.recordsPerSecond()), p.peakRssMb(), p.stateDiskMb(), Format.load(p.loadBefore()),
                    Format.load(p.loadAfter())));
        }
        md.append('\n');

        md.append("## Two instances, partitioned\n\n");
        if (shares.isEmpty()) {
            md.append("Not run.\n\n");
        } else {
            md.append("| rows | instance | rows held | share | table partitions (active) | start to ready | peak RSS "
                    + "| state disk |\n|---:|---:|---:|---:|---|---:|---:|---:|\n");
            for (Share s : shares) {
                long total = shares.stream().filter(o -> o.rows() == s.rows()).mapToLong(Share::rowsHeld).sum();
                md.append(String.format(Locale.ROOT, "| %,d | %d | %,d | %.0f%% | %s | %.1f s | %.0f MB | %.1f MB |%n",
                        s.rows(), s.instance(), s.rowsHeld(), total == 0 ? 0 : 100.0 * s.rowsHeld() / total,
                        s.activePartitions(), s.readySeconds(), s.peakRssMb(), s.stateDiskMb()));
            }
            md.append('\n');
        }

        md.append("## Method and caveats\n\n");
        base.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        return md.toString();
    }

    static String csv(List<Point> points, List<Share> shares) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (Point p : points) {
            line(csv, "point", Integer.toString(p.rows()), p.materialization(), "", d(p.readySeconds(), 3),
                    d(p.firstOutputSeconds(), 3), d(p.recordsPerSecond(), 1), d(p.peakRssMb(), 1), d(p.stateDiskMb(), 2),
                    "", "", d(p.loadBefore(), 2), d(p.loadAfter(), 2), p.note());
        }
        for (Share s : shares) {
            line(csv, "instance", Integer.toString(s.rows()), "partitioned", Integer.toString(s.instance()),
                    d(s.readySeconds(), 3), "", "", d(s.peakRssMb(), 1), d(s.stateDiskMb(), 2),
                    Long.toString(s.rowsHeld()),
                    s.activePartitions().stream().map(String::valueOf).collect(Collectors.joining(" ")), "", "", "");
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            csv.append(i > 0 ? "," : "")
                    .append(cell.contains(",") || cell.contains("\"") ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        csv.append('\n');
    }

    private static String d(double value, int decimals) {
        return Double.isNaN(value) ? "" : Format.decimal(value, decimals);
    }
}
