package io.cdcenricher.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The load averages from {@code /proc/loadavg}: runnable and waiting tasks averaged over 1, 5 and 15 minutes. The race
 * reads the 1-minute figure before and after each run; it trails the present by about a minute, so it also carries the
 * load of the previous run.
 */
public record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes) {

    /** Parses the first three fields of a {@code /proc/loadavg} line, e.g. {@code 2.05 1.80 1.62 3/412 9911}. */
    public static LoadAverage parse(String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 3) {
            throw new IllegalArgumentException("not a /proc/loadavg line: " + line);
        }
        return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
    }

    /** This machine's load averages; empty where there is no {@code /proc/loadavg} (not Linux). */
    public static Optional<LoadAverage> read() {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc/loadavg"))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2f %.2f %.2f", oneMinute, fiveMinutes, fifteenMinutes);
    }
}
