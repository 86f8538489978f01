package io.cdcenricher.perf.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cdcenricher.perf.Format;
import org.HdrHistogram.Histogram;

/**
 * The run second by second, so that a stall the step's percentiles only hint at can be located: when it happened,
 * and whether the load generator was behind or the harness's own JVM was collecting garbage at that moment (a
 * harness stall) or neither (the enricher or the broker). A {@link TimelineSampler} feeds it one {@link Sample} a
 * second, from the first step's start to the end of the drain; each becomes one {@link Second}: the counters'
 * increase since the previous sample, the backlog and the latencies of the events received in it. Pure arithmetic
 * on the samples, so it is tested without a cluster.
 *
 * <p>Its latencies are of every event received once, the warm-up's included: the timeline is where a cold start
 * shows, and where one reads how long a warm-up to choose. {@link #highestP99} leaves the warm-up's seconds out,
 * as the step's percentiles do.
 */
public final class LatencyTimeline {

    /** {@code step} of a sample taken after the last step, while draining. */
    public static final int DRAIN = 0;

    /**
     * What the sampler read at one moment: the run's totals so far, and the state of the moment.
     *
     * @param nanos        {@link System#nanoTime} of the sample
     * @param step         the step running (1-based), or {@link #DRAIN}
     * @param offeredRate  that step's rate; 0 while draining
     * @param sent         the run's events sent so far
     * @param out          the run's events received once so far (output or dead letter)
     * @param senderLag    the most events the sender was behind its schedule since the previous sample
     * @param harnessGcMs  this JVM's collection time so far ({@link HarnessGc})
     */
    public record Sample(long nanos, int step, double offeredRate, long sent, long out, long senderLag, long harnessGcMs) {
    }

    /**
     * One second of the run (the last one, at the end of the drain, may be shorter).
     *
     * @param second       its start, in whole seconds after the first step's start
     * @param step         the step running at its end, or {@link #DRAIN}
     * @param warmUp       it overlaps the warm-up
     * @param offeredRate  the step's offered rate; 0 while draining
     * @param sent         events sent in it
     * @param out          events received once in it
     * @param backlog      at its end: the run's events sent and not yet out
     * @param senderLag    the most events the sender was behind its schedule in it
     * @param latencyCount events received in it whose latency it holds (as {@code out})
     * @param p50Ms        latency percentiles and max of the events received in it; NaN when none came
     * @param harnessGcMs  this JVM's collection time in it: the harness's own pauses
     */
    public record Second(int second, int step, boolean warmUp, double offeredRate, long sent, long out, long backlog,
                         long senderLag, long latencyCount, double p50Ms, double p99Ms, double maxMs, long harnessGcMs) {

        public boolean drain() {
            return step == DRAIN;
        }

        /** {@code warmup}, {@code step} or {@code drain}: the CSV's phase column. */
        public String phase() {
            return drain() ? "drain" : warmUp ? "warmup" : "step";
        }
    }

    /**
     * The harness's collection time of one step (or of the drain), from its seconds.
     *
     * @param step        the step, or {@link #DRAIN}
     * @param seconds     its seconds in the timeline
     * @param gcMs        the harness's collection time in them
     * @param worstSecondGcMs the most in one of them
     */
    public record StepGc(int step, int seconds, long gcMs, long worstSecondGcMs) {
    }

    public static final String CSV_HEADER = "second,step,phase,offered_per_s,sent,out,backlog,sender_lag,latency_count,"
            + "p50_ms,p99_ms,max_ms,harness_gc_ms";

    private final WarmUp warmUp;
    private final List<Second> seconds = new ArrayList<>();
    private Sample origin;
    private Sample previous;

    public LatencyTimeline(WarmUp warmUp) {
        this.warmUp = warmUp;
    }

    /** The first step's start: the counters there are the baseline of the first second. */
    public synchronized void start(Sample origin) {
        this.origin = origin;
        this.previous = origin;
    }

    /** One second ends: {@code latencies} holds the latencies (µs) of the events received in it; it is only read. */
    public synchronized void add(Sample sample, Histogram latencies) {
        if (origin == null) {
            throw new IllegalStateException("start() first");
        }
        double start = (previous.nanos() - origin.nanos()) / 1e9;
        boolean any = latencies.getTotalCount() > 0;
        seconds.add(new Second((int) Math.round(start), sample.step(), sample.step() != DRAIN && warmUp.covers(start),
                sample.offeredRate(), sample.sent() - previous.sent(), sample.out() - previous.out(),
                sample.sent() - sample.out(), sample.senderLag(), latencies.getTotalCount(),
                any ? latencies.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? latencies.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                any ? latencies.getMaxValue() / 1000.0 : Double.NaN,
                Math.max(0, sample.harnessGcMs() - previous.harnessGcMs())));
        previous = sample;
    }

    public synchronized List<Second> seconds() {
        return List.copyOf(seconds);
    }

    /**
     * The {@code n} seconds with the highest p99 (of the events received in them), highest first; seconds of the
     * warm-up and seconds in which nothing came out are left out.
     */
    public static List<Second> highestP99(List<Second> seconds, int n) {
        return seconds.stream().filter(s -> !s.warmUp() && s.latencyCount() > 0)
                .sorted(Comparator.comparingDouble(Second::p99Ms).reversed().thenComparingInt(Second::second))
                .limit(n).toList();
    }

    /** The harness's collection time per step, in the steps' order, then the drain's. */
    public static List<StepGc> gcPerStep(List<Second> seconds) {
        Map<Integer, long[]> byStep = new LinkedHashMap<>(); // {seconds, gc ms, worst second}
        for (Second s : seconds) {
            long[] sum = byStep.computeIfAbsent(s.step(), k -> new long[3]);
            sum[0]++;
            sum[1] += s.harnessGcMs();
            sum[2] = Math.max(sum[2], s.harnessGcMs());
        }
        List<StepGc> out = new ArrayList<>();
        byStep.entrySet().stream().sorted(Comparator.comparingInt(e -> e.getKey() == DRAIN ? Integer.MAX_VALUE : e.getKey()))
                .forEach(e -> out.add(new StepGc(e.getKey(), (int) e.getValue()[0], e.getValue()[1], e.getValue()[2])));
        return out;
    }

    /** {@code timeline.csv}: one row per second, {@link #CSV_HEADER}. */
    public static List<String> csv(List<Second> seconds) {
        List<String> lines = new ArrayList<>();
        lines.add(CSV_HEADER);
        for (Second s : seconds) {
            lines.add(String.join(",", Integer.toString(s.second()), s.drain() ? "" : Integer.toString(s.step()), s.phase(),
                    decimal(s.offeredRate()), Long.toString(s.sent()), Long.toString(s.out()), Long.toString(s.backlog()),
                    Long.toString(s.senderLag()), Long.toString(s.latencyCount()), decimal(s.p50Ms()), decimal(s.p99Ms()),
                    decimal(s.maxMs()), Long.toString(s.harnessGcMs())));
        }
        return lines;
    }

    private static String decimal(double value) {
        return Double.isNaN(value) ? "" : Format.decimal(value, 3);
    }
}
