package io.cdcenricher.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.cdcenricher.perf.CurveReport.d;
import static io.cdcenricher.perf.CurveReport.line;

/**
 * The report of a threads curve ({@code perf/run --threads}): how the enricher jar's drain rate grows with its stream
 * threads and with a second instance, where the curve flattens and what the CPU figures say about why. Writes
 * {@code report.md} and {@code results.csv}.
 */
final class ThreadsReport {

    /** The section headings of report.md, in order. */
    static final List<String> SECTIONS = List.of("## Command", "## Machine", "## Settings", "## Threads and instances",
            "## Runs", "## Method and caveats");
    static final String CSV_HEADER = "kind,threads,instances,round,records,records_per_s,ready_s,cpu_s,"
            + "cpu_s_per_1m_records,cores_busy,machine_busy_cores,peak_rss_mb,load_before,load_after,runs,min_records_per_s,"
            + "max_records_per_s,spread,speedup,verdict,note";
    /**
     * A step up the curve that gains less than this over the point before it is where the curve flattens: doubling
     * the threads bought less than a fifth more throughput.
     */
    static final double FLAT_STEP = 1.2;
    /** The share of the machine's cores busy above which the report calls them full. */
    static final double SATURATED = 0.9;

    /** Stream threads per process and processes of one application. */
    record Setup(int threads, int instances) {

        String label() {
            String perProcess = threads + (threads == 1 ? " thread" : " threads");
            return instances == 1 ? perProcess : instances + " instances x " + perProcess;
        }

        /** For application ids and folders, e.g. {@code t2} or {@code i2t1}. */
        String slug() {
            return instances == 1 ? "t" + threads : "i" + instances + "t" + threads;
        }

        /** Every thread count in one process, then the instances; ascending. */
        static final Comparator<Setup> ORDER = Comparator.comparingInt(Setup::instances).thenComparingInt(Setup::threads);
    }

    /**
     * One drain of the events by one setup.
     *
     * @param round            1-based round
     * @param records          output records
     * @param recordsPerSecond drain rate after the warm-up share
     * @param readySeconds     process start to {@code /ready} (the last instance's)
     * @param cpuSeconds       CPU time (user + system) of the enricher process(es) from ready until drained; NaN
     *                         where unknown
     * @param drainSeconds     wall time from ready until drained
     * @param machineBusyCores cores the whole machine kept busy over that time (enricher, broker, harness and the
     *                         rest); NaN where unknown
     * @param peakRssMb        VmHWM of the largest process
     * @param loadBefore       1-minute load average before it started
     * @param loadAfter        1-minute load average once its figures were read
     */
    record Run(Setup setup, int round, long records, double recordsPerSecond, double readySeconds, double cpuSeconds,
               double drainSeconds, double machineBusyCores, double peakRssMb, double loadBefore, double loadAfter,
               String note) {

        double cpuSecondsPerMillion() {
            return records > 0 ? cpuSeconds / records * 1e6 : Double.NaN;
        }

        /** Cores the enricher kept busy on average while it drained. */
        double coresBusy() {
            return drainSeconds > 0 ? cpuSeconds / drainSeconds : Double.NaN;
        }
    }

    /**
     * One setup's runs summed up: the rate as the race sums it up (median, spread, verdict), the speed-up of the
     * median over the basis (the fewest threads in one process), and the medians of the other figures.
     */
    record Summary(Setup setup, ModeSummary rate, double speedUp, double readySeconds, double cpuSecondsPerMillion,
                   double coresBusy, double machineBusyCores, double peakRssMb) {
    }

    private ThreadsReport() {
    }

    static void write(RunResults base, List<Run> runs, Path dir) {
        CurveReport.write(dir, markdown(base, runs), csv(runs, base.cores));
    }

    static List<Summary> summaries(List<Run> runs, int cores) {
        Map<Setup, List<Run>> bySetup = runs.stream().sorted(Comparator.comparing(Run::setup, Setup.ORDER))
                .collect(Collectors.groupingBy(Run::setup, LinkedHashMap::new, Collectors.toList()));
        List<Summary> summaries = new ArrayList<>();
        double basis = Double.NaN;
        for (Map.Entry<Setup, List<Run>> e : bySetup.entrySet()) {
            List<Run> of = e.getValue();
            ModeSummary rate = ModeSummary.of(e.getKey().label(), of.stream().map(Run::recordsPerSecond).toList(),
                    of.stream().map(Run::loadBefore).toList(), cores);
            if (Double.isNaN(basis)) {
                basis = rate.median();
            }
            summaries.add(new Summary(e.getKey(), rate, basis > 0 ? rate.median() / basis : Double.NaN,
                    median(of, Run::readySeconds), median(of, Run::cpuSecondsPerMillion), median(of, Run::coresBusy),
                    median(of, Run::machineBusyCores),
                    of.stream().mapToDouble(Run::peakRssMb).max().orElse(Double.NaN)));
        }
        return summaries;
    }

    /** The median of the known values; NaN when none is known. */
    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
        List<Double> known = runs.stream().map(figure::applyAsDouble).filter(v -> !Double.isNaN(v)).toList();
        return known.isEmpty() ? Double.NaN : ModeSummary.median(known);
    }

    static String markdown(RunResults base, List<Run> runs) {
        StringBuilder md = CurveReport.head("cdc-enricher threads and instances", base);
        List<Summary> summaries = summaries(runs, base.cores);
        md.append("## Threads and instances\n\n");
        if (summaries.isEmpty()) {
            md.append("Not run.\n\n");
        } else {
            md.append(String.format(Locale.ROOT, "This machine: **%d cores** (available to the JVM), shared by the "
                    + "enricher, the broker, Connect, MariaDB and the harness. %s%n%n", base.cores,
                    flattening(summaries, base.cores)));
            md.append(String.format(Locale.ROOT, "| threads x instances | runs | median records/s | spread | speed-up "
                    + "vs %s | CPU s per 1M records | cores busy: enricher / machine | start to ready | peak RSS | verdict |%n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|%n", summaries.get(0).setup().label()));
            for (Summary s : summaries) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        s.setup().label(), s.rate().runs(), Format.rate(s.rate().median()),
                        ModeSummary.percent(s.rate().spread()), ratio(s.speedUp()), figure(s.cpuSecondsPerMillion(), 1, ""),
                        busy(s.coresBusy(), s.machineBusyCores()), figure(s.readySeconds(), 1, " s"), rss(s),
                        s.rate().trusted() ? "ok" : "**" + s.rate().verdict() + "**"));
            }
            md.append('\n');
        }
        md.append("## Runs\n\n");
        if (!runs.isEmpty()) {
            md.append("| round | threads x instances | records/s | output records | start to ready | CPU s | CPU s per 1M "
                    + "records | cores busy: enricher / machine | peak RSS | load before/after | note |\n"
                    + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (Run r : runs) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %,d | %.1f s | %s | %s | %s | %.0f MB | %s / %s "
                                + "| %s |%n", r.round(), r.setup().label(), Format.rate(r.recordsPerSecond()), r.records(),
                        r.readySeconds(), figure(r.cpuSeconds(), 1, ""), figure(r.cpuSecondsPerMillion(), 1, ""),
                        busy(r.coresBusy(), r.machineBusyCores()), r.peakRssMb(), Format.load(r.loadBefore()),
                        Format.load(r.loadAfter()), r.note()));
            }
            md.append('\n');
        }
        return CurveReport.withNotes(md, base);
    }

    /**
     * Where the curve of one process flattens (the first step up in threads whose median gains less than
     * {@link #FLAT_STEP} over the step before), what the CPU figures say there, and how a second instance compares.
     * Every figure comes from {@code summaries}.
     */
    static String flattening(List<Summary> summaries, int cores) {
        List<Summary> oneProcess = summaries.stream().filter(s -> s.setup().instances() == 1).toList();
        StringBuilder text = new StringBuilder();
        if (oneProcess.size() < 2) {
            text.append("One thread count ran: no curve to judge.");
        } else {
            Optional<Integer> flat = Optional.empty();
            for (int i = 1; i < oneProcess.size() && flat.isEmpty(); i++) {
                if (oneProcess.get(i).rate().median() < FLAT_STEP * oneProcess.get(i - 1).rate().median()) {
                    flat = Optional.of(i);
                }
            }
            if (flat.isPresent()) {
                Summary from = oneProcess.get(flat.get() - 1);
                Summary at = oneProcess.get(flat.get());
                text.append(String.format(Locale.ROOT, "The curve flattens at **%s**: from %s the median went from %s to "
                                + "%s records/s, %s (a step below %s counts as flat).", at.setup().label(),
                        from.setup().label(), Format.rate(from.rate().median()), Format.rate(at.rate().median()),
                        ratio(at.rate().median() / from.rate().median()), ratio(FLAT_STEP)));
                text.append(why(oneProcess.get(0), from, at, cores));
            } else {
                Summary last = oneProcess.get(oneProcess.size() - 1);
                text.append(String.format(Locale.ROOT, "The curve did not flatten up to %s: every step gained at least "
                        + "%s (%s over %s in all).", last.setup().label(), ratio(FLAT_STEP), ratio(last.speedUp()),
                        oneProcess.get(0).setup().label()));
            }
        }
        summaries.stream().filter(s -> s.setup().instances() > 1).findFirst().ifPresent(pair -> {
            text.append(String.format(Locale.ROOT, " %s: %s of %s", pair.setup().label(), ratio(pair.speedUp()),
                    summaries.get(0).setup().label()));
            oneProcess.stream().filter(s -> s.setup().threads() == pair.setup().threads() * pair.setup().instances())
                    .findFirst().ifPresent(same -> text.append(String.format(Locale.ROOT,
                            " (%s in one process: %s)", same.setup().label(), ratio(same.speedUp()))));
            text.append('.');
        });
        long noisy = summaries.stream().filter(s -> !s.rate().trusted()).count();
        if (noisy > 0) {
            text.append(String.format(Locale.ROOT, " %d of %d setups are too noisy to trust (see the verdicts): so is "
                    + "this reading.", noisy, summaries.size()));
        }
        return text.toString();
    }

    /**
     * What the CPU figures say at the flat step, where they are known: how busy the machine's cores were (full cores
     * leave more threads nothing to run on), how much of that was the enricher, and its CPU per record.
     */
    private static String why(Summary first, Summary from, Summary at, int cores) {
        StringBuilder text = new StringBuilder();
        if (!Double.isNaN(at.machineBusyCores())) {
            text.append(String.format(Locale.ROOT, " Why: during the drain at %s the machine kept %s of its %d cores "
                    + "busy", at.setup().label(), Format.decimal(at.machineBusyCores(), 2), cores));
            if (!Double.isNaN(at.coresBusy())) {
                text.append(String.format(Locale.ROOT, ", the enricher %s of them (%s at %s)",
                        Format.decimal(at.coresBusy(), 2), figure(from.coresBusy(), 2, ""), from.setup().label()));
            }
            text.append(at.machineBusyCores() >= SATURATED * cores
                    ? ": the cores were full, so a further thread only shares them with the broker and the harness "
                    + "the records pass through."
                    : ": cores were left idle, so CPU alone does not explain the flat step.");
        }
        if (!Double.isNaN(first.cpuSecondsPerMillion()) && !Double.isNaN(at.cpuSecondsPerMillion())) {
            text.append(String.format(Locale.ROOT, " The enricher's CPU per 1M records: %s s at %s, %s s at %s.",
                    Format.decimal(first.cpuSecondsPerMillion(), 1), first.setup().label(),
                    Format.decimal(at.cpuSecondsPerMillion(), 1), at.setup().label()));
        }
        return text.toString();
    }

    static String csv(List<Run> runs, int cores) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (Run r : runs) {
            line(csv, "threads-point", Integer.toString(r.setup().threads()), Integer.toString(r.setup().instances()),
                    Integer.toString(r.round()), Long.toString(r.records()), d(r.recordsPerSecond(), 1),
                    d(r.readySeconds(), 3), d(r.cpuSeconds(), 2), d(r.cpuSecondsPerMillion(), 2), d(r.coresBusy(), 3),
                    d(r.machineBusyCores(), 3), d(r.peakRssMb(), 1), d(r.loadBefore(), 2), d(r.loadAfter(), 2), "", "", "", "", "", "", r.note());
        }
        for (Summary s : summaries(runs, cores)) {
            line(csv, "threads", Integer.toString(s.setup().threads()), Integer.toString(s.setup().instances()), "", "",
                    d(s.rate().median(), 1), d(s.readySeconds(), 3), "", d(s.cpuSecondsPerMillion(), 2),
                    d(s.coresBusy(), 3), d(s.machineBusyCores(), 3), d(s.peakRssMb(), 1), "", "", Integer.toString(s.rate().runs()),
                    d(s.rate().min(), 1), d(s.rate().max(), 1), d(s.rate().spread(), 4), d(s.speedUp(), 3),
                    s.rate().verdict(), "median of " + s.rate().runs() + " runs");
        }
        return csv.toString();
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : Format.ratio(value);
    }

    private static String figure(double value, int decimals, String unit) {
        return Double.isNaN(value) ? "n/a" : Format.decimal(value, decimals) + unit;
    }

    /** Cores busy, the enricher's and the machine's, e.g. {@code 0.98 / 1.95}. */
    private static String busy(double enricher, double machine) {
        return figure(enricher, 2, "") + " / " + figure(machine, 2, "");
    }

    /** The largest process's peak RSS, per process where there are several. */
    private static String rss(Summary s) {
        String mb = figure(s.peakRssMb(), 0, " MB");
        return s.setup().instances() == 1 ? mb : mb + " each (largest)";
    }
}
