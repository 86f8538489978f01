package io.cdcenricher.perf.load;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import io.cdcenricher.perf.Format;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Writes a load test's results: {@code report.md} (the command, the settings with secrets masked, the method, one
 * row per step, the join statuses and dead letters per step, the seconds with the highest p99 and the harness's GC
 * per step, the conclusion), {@code results.csv} (kind {@code step}, {@code status} and {@code dead-letter} rows),
 * {@code timeline.csv} (one row per second, {@link LatencyTimeline}) and {@code chart.png} (rate offered and achieved
 * per step on the left, latency percentiles of the sustained steps on the right, p50 and p99 per second below), in
 * the manner of {@code perf/run}'s report.
 */
public final class LoadReport {

    /** The sections every report has, in order ({@code LoadIT} checks them). */
    public static final List<String> SECTIONS = List.of("## Result", "## Steps", "## Join statuses", "## Dead letters",
            "## Timeline", "## Settings", "## Method");
    /** How many of the slowest seconds the Timeline section lists. */
    static final int SLOWEST_SECONDS = 5;
    public static final String CSV_HEADER = "kind,step,offered_per_s,seconds,sent,sent_per_s,achieved_per_s,output,"
            + "dead_letters,not_received,duplicates,latency_count,warmup_events,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,max_backlog,"
            + "end_backlog,max_sender_lag,sustained,join,status,count";
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    /** Everything a report says about one run. */
    public record Outcome(String commandLine, String runId, Instant start, Instant end, boolean interrupted,
                          String schedule, String conclusion, OptionalDouble sustainableRate, boolean limitFound,
                          List<StepResult> steps, Map<String, String> clientConfig, String clientConfigFile,
                          String eventsTopic, String outputTopic, String deadLetterTopic, int eventsPartitions,
                          String enricherConfig, String enricherUrl, String format, String template, String sampleEvent,
                          long entities, int backlogBoundSeconds, int drainSeconds, WarmUp warmUp, long foreign,
                          long unreadable,
                          String machine, List<String> notes, List<LatencyTimeline.Second> timeline) {

        public Outcome {
            timeline = List.copyOf(timeline);
        }
    }

    private LoadReport() {
    }

    /** Writes the four files into {@code dir}; returns report.md. */
    public static Path write(Outcome outcome, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path report = dir.resolve("report.md");
        Files.writeString(report, markdown(outcome), StandardCharsets.UTF_8);
        Files.write(dir.resolve("results.csv"), csv(outcome.steps()), StandardCharsets.UTF_8);
        Files.write(dir.resolve("timeline.csv"), LatencyTimeline.csv(outcome.timeline()), StandardCharsets.UTF_8);
        chart(outcome.steps(), outcome.timeline(), dir.resolve("chart.png"));
        return report;
    }

    static String markdown(Outcome o) {
        StringBuilder md = new StringBuilder();
        md.append("# Load test of a deployed enricher\n\n");
        md.append("```\n").append(o.commandLine()).append("\n```\n\n");
        md.append("Run `").append(o.runId()).append("`, ").append(o.start()).append(" to ").append(o.end())
                .append(o.interrupted() ? " (**interrupted**: stopped by a signal; this report is partial)" : "")
                .append(".\n\n");

        md.append("## Result\n\n");
        md.append("**").append(o.conclusion()).append("**. Schedule: ").append(o.schedule()).append(".\n\n");
        long sent = o.steps().stream().mapToLong(StepResult::sent).sum();
        long out = o.steps().stream().mapToLong(StepResult::output).sum();
        long dead = o.steps().stream().mapToLong(StepResult::deadLetters).sum();
        long missing = o.steps().stream().mapToLong(StepResult::notReceived).sum();
        long dup = o.steps().stream().mapToLong(StepResult::duplicates).sum();
        md.append(String.format(Locale.ROOT, "%,d events sent, %,d enriched, %,d dead letters, %,d not out when the run "
                + "ended (after a drain of at most %d s), %,d read twice.%n%n", sent, out, dead, missing, o.drainSeconds(), dup));
        for (StepResult s : o.steps()) {
            String warmUp = s.step() == 1 && o.warmUp().any() ? String.format(Locale.ROOT, " (first %s s not recorded: "
                    + "%,d events)", seconds(o.warmUp().seconds()), s.warmupEvents()) : "";
            if (!Double.isNaN(s.p99Ms())) {
                md.append(String.format(Locale.ROOT, "- step %d, %s events/s offered: achieved %s/s, p50 %s, p99 %s, "
                                + "p99.9 %s%s; %s%n", s.step(), Format.rate(s.offeredRate()), Format.rate(s.achievedRate()),
                        Format.ms(s.p50Ms()), Format.ms(s.p99Ms()), Format.ms(s.p999Ms()), warmUp, s.verdict()));
            } else if (s.warmupEvents() > 0) {
                md.append(String.format(Locale.ROOT, "- step %d, %s events/s offered: achieved %s/s, no latency recorded%s; "
                                + "%s%n", s.step(), Format.rate(s.offeredRate()), Format.rate(s.achievedRate()), warmUp,
                        s.verdict()));
            } else {
                md.append(String.format(Locale.ROOT, "- step %d, %s events/s offered: nothing came out; %s%n", s.step(),
                        Format.rate(s.offeredRate()), s.verdict()));
            }
        }
        md.append('\n');
        for (String note : o.notes()) {
            md.append("- ").append(note).append('\n');
        }
        if (!o.notes().isEmpty()) {
            md.append('\n');
        }

        md.append("## Steps\n\n");
        md.append("Latency is from each event's intended send time to its arrival on the output or dead-letter topic "
                + "(read_committed). Achieved: events out (any step's) per second while the step ran. Backlog: events "
                + "of the run sent and not yet out." + (o.warmUp().any() ? " Step 1's latencies leave out the events due "
                + "in its first " + seconds(o.warmUp().seconds()) + " s (the warm-up); they count in every other column."
                : "") + "\n\n");
        md.append("| step | offered/s | s | sent | sent/s | achieved/s | out | dead letters | not out | dup | p50 | p90 | p99 "
                + "| p99.9 | max | max backlog | end backlog | sender lag | verdict |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (StepResult s : o.steps()) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %,d | %s | %s | %,d | %,d | %,d | %,d | %s | %s | %s | %s | %s "
                            + "| %,d | %,d | %,d | %s |%n", s.step(), Format.rate(s.offeredRate()), s.seconds(), s.sent(),
                    Format.rate(s.sentRate()), Format.rate(s.achievedRate()), s.output(), s.deadLetters(), s.notReceived(),
                    s.duplicates(), ms(s.p50Ms()), ms(s.p90Ms()), ms(s.p99Ms()), ms(s.p999Ms()), ms(s.maxMs()),
                    s.maxBacklog(), s.endBacklog(), s.maxSenderLag(), s.verdict()));
        }
        md.append('\n');

        md.append("## Join statuses\n\n");
        TreeSet<String> columns = new TreeSet<>();
        o.steps().forEach(s -> s.statuses().forEach((join, counts) -> counts.keySet().forEach(st -> columns.add(join + ": " + st))));
        if (columns.isEmpty()) {
            md.append("No enriched event was read.\n\n");
        } else {
            md.append("Enriched events per join and status (`enrichment` object of each output record).\n\n");
            md.append("| step |");
            columns.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append("\n|---:|");
            columns.forEach(c -> md.append("---:|"));
            md.append('\n');
            for (StepResult s : o.steps()) {
                md.append("| ").append(s.step()).append(" |");
                for (String c : columns) {
                    int colon = c.indexOf(": ");
                    long n = s.statuses().getOrDefault(c.substring(0, colon), Map.of()).getOrDefault(c.substring(colon + 2), 0L);
                    md.append(String.format(Locale.ROOT, " %,d |", n));
                }
                md.append('\n');
            }
            md.append('\n');
        }

        md.append("## Dead letters\n\n");
        if (o.deadLetterTopic() == null) {
            md.append("Not read (no dead-letter topic).\n\n");
        } else {
            TreeSet<String> reasons = new TreeSet<>();
            o.steps().forEach(s -> reasons.addAll(s.deadLetterReasons().keySet()));
            if (reasons.isEmpty()) {
                md.append("None of this run's events was dead-lettered.\n\n");
            } else {
                md.append("| step |");
                reasons.forEach(r -> md.append(' ').append(r).append(" |"));
                md.append("\n|---:|");
                reasons.forEach(r -> md.append("---:|"));
                md.append('\n');
                for (StepResult s : o.steps()) {
                    md.append("| ").append(s.step()).append(" |");
                    reasons.forEach(r -> md.append(String.format(Locale.ROOT, " %,d |", s.deadLetterReasons().getOrDefault(r, 0L))));
                    md.append('\n');
                }
                md.append('\n');
            }
        }

        timeline(md, o);

        md.append("## Settings\n\n");
        md.append("| setting | value |\n|---|---|\n");
        row(md, "events topic", o.eventsTopic() + " (" + o.eventsPartitions() + " partition" + (o.eventsPartitions() == 1 ? "" : "s") + ")");
        row(md, "output topic", o.outputTopic());
        row(md, "dead-letter topic", o.deadLetterTopic() == null ? "not read" : o.deadLetterTopic());
        row(md, "enricher config", o.enricherConfig() == null ? "not given (table topics recognised by compaction and content only)" : o.enricherConfig());
        row(md, "enricher /ready checked", o.enricherUrl() == null ? "no" : o.enricherUrl());
        row(md, "format", o.format());
        row(md, "template", o.template());
        row(md, "a sample event", "`" + o.sampleEvent().strip().replace("\n", " ").replace("|", "\\|") + "`");
        row(md, "entities", o.entities() == 0 ? "a new entity id per event" : String.format(Locale.ROOT, "%,d, cycled", o.entities()));
        row(md, "backlog bound", o.backlogBoundSeconds() + " s");
        row(md, "drain", "at most " + o.drainSeconds() + " s");
        row(md, "warm-up", o.warmUp().any() ? "the first " + seconds(o.warmUp().seconds()) + " s of step 1: its events "
                + "sent, matched and counted, their latencies not recorded" : "none: every event's latency is recorded");
        row(md, "client config", o.clientConfigFile());
        o.clientConfig().forEach((k, v) -> row(md, "&nbsp;&nbsp;" + k, v));
        row(md, "records of other runs or traffic seen", String.format(Locale.ROOT, "%,d (ignored)", o.foreign()));
        row(md, "output records whose statuses could not be read", String.format(Locale.ROOT, "%,d", o.unreadable()));
        row(md, "machine running perf/load", o.machine());
        md.append('\n');

        md.append("## Method\n\n");
        md.append("""
                - **Open loop.** Event i of a step at rate R is due at the step's start + i/R. Its intended send time goes \
                into the header `cdc-enricher-load-intended-us`, the record timestamp and `{{now}}`, and latency is \
                measured from it. When anything stalls (producer, broker, enricher), the events due meanwhile are sent \
                as soon as possible with their own due times, so the stall shows in their latency rather than being \
                slept away (no coordinated omission). For the same reason the histogram (HdrHistogram, 3 digits) records \
                each event once, without HdrHistogram's expected-interval correction, which would count the stall twice.
                - **Matching.** Every event carries `cdc-enricher-load-id: <run id>/<sequence>`; the enricher keeps an \
                event's headers on its output and dead letters, so a `read_committed` consumer (no group: nothing is \
                committed) on both topics, positioned at their ends before the first event, matches each record to its \
                event and step. Records without this run's id are counted as foreign and ignored. Each event counts \
                once; a second copy counts as a duplicate.
                - **Sustained.** The backlog (events of the run sent and not yet out) is sampled every second. A step is \
                not sustained when the backlog stays above one second of the step's rate and grows for longer than the \
                backlog bound (a stretch that began in an earlier step counts from there); the schedule stops there \
                (later steps would measure the queue). The sustainable rate is the highest offered rate before the \
                step in which the growing stretch began.
                - **Warm-up.** With `--warmup-seconds S`, the events due in the first S s of step 1 (by their \
                intended send time) are sent, matched and counted like the others, but their latencies stay out of the \
                step's histogram, so a cold enricher's first seconds do not set its percentiles. A stall after the \
                warm-up counts in full, whatever it delays.
                - **Timeline.** Once a second, from step 1's start to the end of the drain, the sender's and the \
                matcher's counters, the sender's lag, the latencies of the events received in that second (warm-up \
                included: the timeline is where a cold start shows) and this JVM's GC time (the collectors' beans, \
                concurrent cycles left out) go into `timeline.csv`.
                - **Sender lag.** The most events the sender was behind its own schedule: the load generator's limit \
                (one thread, this machine), not the deployment's. Their latency still counts from the due time.
                - **Caveats.** Both ends of every latency (the intended send time and the receipt) are read on the \
                machine running perf/load, so no clock sync between machines matters; the latency includes the \
                producer's and the consumer's network paths and the consumer's fetch wait. A short step is dominated \
                by warm-up (JIT, connections, the first transactions): quote steps of 30 s or more.
                """);
        return md.toString();
    }

    /** The slowest seconds and the harness's GC per step, to tell a harness stall from the deployment's. */
    private static void timeline(StringBuilder md, Outcome o) {
        md.append("## Timeline\n\n");
        List<LatencyTimeline.Second> seconds = o.timeline();
        if (seconds.isEmpty()) {
            md.append("No second was sampled.\n\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "Second by second in `timeline.csv` (%d rows from step 1's start to the end "
                + "of the drain): offered rate, sent, out, backlog, sender lag, p50, p99 and max latency of the events "
                + "received in that second, and this harness's own GC time (the JVM that sends and reads).%n%n",
                seconds.size()));
        List<LatencyTimeline.Second> slowest = LatencyTimeline.highestP99(seconds, SLOWEST_SECONDS);
        if (slowest.isEmpty()) {
            md.append("No event came out after the warm-up.\n\n");
        } else {
            md.append("The ").append(slowest.size()).append(slowest.size() == 1 ? " second" : " seconds")
                    .append(" with the highest p99").append(o.warmUp().any() ? " after the warm-up" : "").append(":\n\n");
            md.append("| second | step | p99 | max | out | backlog | sender lag | harness GC |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (LatencyTimeline.Second s : slowest) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %,d | %,d | %,d | %,d ms |%n", s.second(),
                        s.drain() ? "drain" : Integer.toString(s.step()), ms(s.p99Ms()), ms(s.maxMs()), s.out(), s.backlog(),
                        s.senderLag(), s.harnessGcMs()));
            }
            md.append('\n');
        }
        md.append("The harness's GC time (collector pauses of the JVM running perf/load):\n\n");
        md.append("| step | seconds | harness GC | most in one second |\n|---:|---:|---:|---:|\n");
        for (LatencyTimeline.StepGc gc : LatencyTimeline.gcPerStep(seconds)) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %,d ms | %,d ms |%n",
                    gc.step() == LatencyTimeline.DRAIN ? "drain" : Integer.toString(gc.step()), gc.seconds(), gc.gcMs(),
                    gc.worstSecondGcMs()));
        }
        md.append('\n');
        md.append("""
                A second's latencies are of the events that came out in it; what delayed them may lie up to that \
                latency earlier, so read the seconds before it in `timeline.csv` too. Harness GC up then: the harness \
                paused (sending and reading late). Sender lag up without GC: the sender's thread could not keep up, or \
                its producer was blocked on a full buffer by a broker not taking the events. Neither: the time went in \
                the broker or the enricher.

                """);
    }

    static List<String> csv(List<StepResult> steps) {
        List<String> lines = new ArrayList<>();
        lines.add(CSV_HEADER);
        for (StepResult s : steps) {
            lines.add(String.join(",", "step", Integer.toString(s.step()), d(s.offeredRate()), d(s.seconds()),
                    Long.toString(s.sent()), d(s.sentRate()), d(s.achievedRate()), Long.toString(s.output()),
                    Long.toString(s.deadLetters()), Long.toString(s.notReceived()), Long.toString(s.duplicates()),
                    Long.toString(s.latencyCount()), Long.toString(s.warmupEvents()), d(s.p50Ms()), d(s.p90Ms()), d(s.p99Ms()), d(s.p999Ms()), d(s.maxMs()),
                    Long.toString(s.maxBacklog()), Long.toString(s.endBacklog()), Long.toString(s.maxSenderLag()),
                    Boolean.toString(s.sustained()), "", "", ""));
        }
        String blanks = ",".repeat(20);
        for (StepResult s : steps) {
            new TreeMap<>(s.statuses()).forEach((join, counts) -> new TreeMap<>(counts).forEach((status, n) ->
                    lines.add("status," + s.step() + blanks + "," + join + "," + status + "," + n)));
            new TreeMap<>(s.deadLetterReasons()).forEach((reason, n) ->
                    lines.add("dead-letter," + s.step() + blanks + ",," + reason + "," + n));
        }
        return lines;
    }

    static void chart(List<StepResult> steps, List<LatencyTimeline.Second> timeline, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> labels = new ArrayList<>();
        List<Double> offered = new ArrayList<>();
        List<Double> achieved = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> p999 = new ArrayList<>();
        List<String> latencyLabels = new ArrayList<>();
        for (StepResult s : steps) {
            labels.add(s.step() + (s.sustained() ? "" : " (not sustained)"));
            offered.add((double) Math.round(s.offeredRate()));
            achieved.add((double) Math.round(s.achievedRate()));
            if (s.sustained()) {
                // A step that was not sustained measures seconds of queue, which would flatten the others' bars.
                latencyLabels.add(Integer.toString(s.step()));
                p50.add(round1(s.p50Ms()));
                p99.add(round1(s.p99Ms()));
                p999.add(round1(s.p999Ms()));
            }
        }
        if (latencyLabels.isEmpty()) {
            latencyLabels.add("none");
            List.of(p50, p99, p999).forEach(l -> l.add(0.0));
        }
        if (labels.isEmpty()) {
            labels.add("none");
            List.of(offered, achieved).forEach(l -> l.add(0.0));
        }
        CategoryChart rates = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Rate per step (events/s)")
                .xAxisTitle("step").yAxisTitle("events/s").build();
        style(rates);
        rates.addSeries("offered", labels, offered);
        rates.addSeries("achieved", labels, achieved);
        CategoryChart latency = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("End-to-end latency of the sustained steps (ms, from the intended send time)").xAxisTitle("step")
                .yAxisTitle("ms").build();
        style(latency);
        latency.addSeries("p50", latencyLabels, p50);
        latency.addSeries("p99", latencyLabels, p99);
        latency.addSeries("p99.9", latencyLabels, p999);
        XYChart perSecond = perSecond(timeline);
        BufferedImage image = new BufferedImage(2 * WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2 * WIDTH, 2 * HEIGHT);
        rates.paint(g, WIDTH, HEIGHT);
        g.translate(WIDTH, 0);
        latency.paint(g, WIDTH, HEIGHT);
        g.translate(-WIDTH, HEIGHT);
        perSecond.paint(g, 2 * WIDTH, HEIGHT);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** The bottom panel: p50 and p99 of the events received in each second, across the whole run. */
    private static XYChart perSecond(List<LatencyTimeline.Second> timeline) {
        XYChart chart = new XYChartBuilder().width(2 * WIDTH).height(HEIGHT)
                .title("Latency of the events received in each second (ms; warm-up included)")
                .xAxisTitle("second of the run").yAxisTitle("ms").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setDecimalPattern("#,##0.#");
        List<LatencyTimeline.Second> withLatency = timeline.stream().filter(s -> s.latencyCount() > 0).toList();
        if (withLatency.isEmpty()) {
            chart.addSeries("none", new double[] {0}, new double[] {0});
            return chart;
        }
        double[] x = withLatency.stream().mapToDouble(LatencyTimeline.Second::second).toArray();
        chart.addSeries("p50", x, withLatency.stream().mapToDouble(LatencyTimeline.Second::p50Ms).toArray());
        chart.addSeries("p99", x, withLatency.stream().mapToDouble(LatencyTimeline.Second::p99Ms).toArray());
        return chart;
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#,##0.#");
        chart.getStyler().setAvailableSpaceFill(0.7);
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "n/a" : Format.ms(value);
    }

    /** Seconds as given: {@code 10}, or {@code 2.5}. */
    private static String seconds(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Format.decimal(value, 3).replaceAll("0+$", "");
    }

    private static String d(double value) {
        return Double.isNaN(value) ? "" : Format.decimal(value, 3);
    }

    private static double round1(double value) {
        return Double.isNaN(value) ? 0.0 : Math.round(value * 10) / 10.0;
    }
}
