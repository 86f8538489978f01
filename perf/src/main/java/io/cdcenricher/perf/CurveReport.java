package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the reports of the curves ({@link ScaleReport}, {@link ThreadsReport}) share: the files, the sections every
 * report starts and ends with, and the CSV cells.
 */
final class CurveReport {

    private CurveReport() {
    }

    static void write(Path dir, String markdown, String csv) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown);
            Files.writeString(dir.resolve("results.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The title, then the sections Command, Machine and Settings. */
    static StringBuilder head(String title, RunResults base) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("## Command\n\n```\n").append(base.commandLine).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Total wall time: %.1f s.%n%n", base.totalSeconds));
        md.append("## Machine\n\n");
        ReportWriter.table(md, base.machine);
        md.append("## Settings\n\n");
        ReportWriter.table(md, base.settings);
        return md;
    }

    /** The last section: the notes, one bullet each. */
    static String withNotes(StringBuilder md, RunResults base) {
        md.append("## Method and caveats\n\n");
        base.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        return md.toString();
    }

    /** One CSV line; a cell with a comma or a quote is quoted. */
    static void line(StringBuilder csv, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            csv.append(i > 0 ? "," : "")
                    .append(cell.contains(",") || cell.contains("\"") ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        csv.append('\n');
    }

    /** A number with {@code decimals} decimals; empty where it is unknown (NaN). */
    static String d(double value, int decimals) {
        return Double.isNaN(value) ? "" : Format.decimal(value, decimals);
    }
}
