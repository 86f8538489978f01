package io.cdcenricher.perf;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static io.cdcenricher.perf.CurveReport.d;
import static io.cdcenricher.perf.CurveReport.line;

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
        CurveReport.write(dir, markdown(base, points, shares), csv(points, shares));
    }

    static String markdown(RunResults base, List<Point> points, List<Share> shares) {
        StringBuilder md = CurveReport.head("cdc-enricher scale curve", base);

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

        return CurveReport.withNotes(md, base);
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
}
