package io.cdcenricher.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's CPU time so far, from the {@code cpu} line of {@code /proc/stat} (clock ticks over all cores): two
 * readings say how many cores were busy in between, whoever kept them busy.
 *
 * @param busyTicks user, nice, system, irq, softirq and steal
 * @param allTicks  those plus idle and iowait
 */
record MachineCpu(long busyTicks, long allTicks) {

    /** Parses the first line of {@code /proc/stat}, e.g. {@code cpu  4705 356 584 3699 23 0 21 0 0 0}. */
    static MachineCpu parse(String stat) {
        String[] f = stat.lines().findFirst().orElse("").trim().split("\\s+");
        if (f.length < 8 || !f[0].equals("cpu")) {
            throw new IllegalArgumentException("not a /proc/stat cpu line: " + stat.lines().findFirst().orElse(""));
        }
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long busy = user + nice + system + irq + softirq + steal;
        return new MachineCpu(busy, busy + idle + iowait);
    }

    /** This machine's reading; empty where there is no {@code /proc/stat} (not Linux). */
    static Optional<MachineCpu> read() {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc/stat"))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Cores busy on average between {@code earlier} and this reading, of {@code cores}; NaN when no time passed. */
    double busyCoresSince(MachineCpu earlier, int cores) {
        long all = allTicks - earlier.allTicks;
        return all > 0 ? (double) (busyTicks - earlier.busyTicks) / all * cores : Double.NaN;
    }
}
