package io.cdcenricher.perf.load;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * The running count of one step, written by the {@link OutputMatcher}'s thread and read by the progress line and
 * the report, so every access is synchronized. Events are known by their offset in the step (sequence number minus
 * the step's first), which a bit set turns into duplicate detection at one bit per event. The step's first
 * {@code warmupEvents} (see {@link WarmUp}) are counted like the others, but their latencies are not recorded.
 */
public final class StepTally {

    /** Up to an hour, 3 significant digits: what HdrHistogram needs for latencies in microseconds. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    private final int step;
    private final double offeredRate;
    private final long firstSeq;
    private final long warmupEvents;
    private volatile long sent;
    private final Histogram latencyMicros = latencyHistogram();
    private final BitSet seen = new BitSet();
    private long output;
    private long deadLetters;
    private long duplicates;
    private long warmupReceived;
    private final Map<String, Map<String, Long>> statuses = new TreeMap<>();
    private final Map<String, Long> deadLetterReasons = new TreeMap<>();

    public StepTally(int step, double offeredRate, long firstSeq) {
        this(step, offeredRate, firstSeq, 0);
    }

    /** {@code warmupEvents}: how many of the step's leading events are in the warm-up ({@link WarmUp#events}). */
    public StepTally(int step, double offeredRate, long firstSeq, long warmupEvents) {
        this.step = step;
        this.offeredRate = offeredRate;
        this.firstSeq = firstSeq;
        this.warmupEvents = warmupEvents;
    }

    public int step() {
        return step;
    }

    public double offeredRate() {
        return offeredRate;
    }

    public long firstSeq() {
        return firstSeq;
    }

    public long sent() {
        return sent;
    }

    void sent(long count) {
        this.sent = count;
    }

    /** Whether {@code seq} was sent in this step (so far). */
    public boolean holds(long seq) {
        return seq >= firstSeq && seq < firstSeq + sent;
    }

    /**
     * One received event: an output record with its join statuses, or a dead letter with its reason.
     * A duplicate is counted as such and nowhere else; an event of the warm-up everywhere but in the latencies.
     * Returns whether this was the event's first copy.
     */
    public synchronized boolean record(long seq, long latencyMicros, Map<String, String> joinStatuses,
                                       String deadLetterReason) {
        int offset = (int) (seq - firstSeq);
        if (seen.get(offset)) {
            duplicates++;
            return false;
        }
        seen.set(offset);
        if (offset < warmupEvents) {
            warmupReceived++;
        } else {
            this.latencyMicros.recordValue(clamp(latencyMicros));
        }
        if (deadLetterReason != null) {
            deadLetters++;
            deadLetterReasons.merge(deadLetterReason, 1L, Long::sum);
        } else {
            output++;
            joinStatuses.forEach((join, status) ->
                    statuses.computeIfAbsent(join, j -> new TreeMap<>()).merge(status, 1L, Long::sum));
        }
        return true;
    }

    /** A latency as the histograms take it: 0 to an hour (a clock step could make one negative). */
    static long clamp(long latencyMicros) {
        return Math.min(HIGHEST_MICROS, Math.max(0, latencyMicros));
    }

    /** A histogram for latencies in microseconds, the same range and precision as the step's. */
    static Histogram latencyHistogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** Events of this step received once (output + dead letters). */
    public synchronized long received() {
        return output + deadLetters;
    }

    /** The 99th percentile so far, in ms; NaN before the first event. */
    public synchronized double p99Ms() {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(99) / 1000.0;
    }

    /** The final figures; {@code seconds}, rates and backlog come from the runner, which saw the clock. */
    public synchronized StepResult result(double seconds, double achievedRate, long maxBacklog, long endBacklog,
                                          long maxSenderLag, boolean sustained, String verdict) {
        boolean any = latencyMicros.getTotalCount() > 0;
        return new StepResult(step, offeredRate, seconds, sent, seconds > 0 ? sent / seconds : 0, achievedRate,
                output, deadLetters, duplicates, Math.max(0, sent - output - deadLetters), latencyMicros.getTotalCount(),
                warmupReceived,
                any ? latencyMicros.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? latencyMicros.getValueAtPercentile(90) / 1000.0 : Double.NaN,
                any ? latencyMicros.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                any ? latencyMicros.getValueAtPercentile(99.9) / 1000.0 : Double.NaN,
                any ? latencyMicros.getMaxValue() / 1000.0 : Double.NaN,
                maxBacklog, endBacklog, maxSenderLag, sustained, verdict, copy(statuses), Map.copyOf(deadLetterReasons));
    }

    private static Map<String, Map<String, Long>> copy(Map<String, Map<String, Long>> statuses) {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        statuses.forEach((join, counts) -> copy.put(join, Map.copyOf(counts)));
        return copy;
    }
}
