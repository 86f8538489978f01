package io.cdcenricher.perf.load;

/**
 * The warm-up of a load test ({@code --warmup-seconds}): the events due in the first {@code seconds} of the first
 * step are sent, matched and counted like any other (sent, out, dead letters, duplicates and not-out totals stay
 * complete), but their latencies stay out of the step's histogram. A cold enricher's first seconds (JIT, fetch
 * sessions, the first transactions) would otherwise set the percentiles of a step meant to measure the warm one.
 * Which events are in it is decided by their due time with the sender's own formula, not by when they were sent or
 * came out: a stall after the warm-up still counts in full.
 *
 * @param seconds 0 (the default) = every latency is recorded
 */
public record WarmUp(double seconds) {

    /** No warm-up: every event's latency is recorded, as before the option existed. */
    public static final WarmUp NONE = new WarmUp(0);

    public WarmUp {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--warmup-seconds: a number of seconds, 0 or more, not " + seconds);
        }
    }

    public boolean any() {
        return seconds > 0;
    }

    /**
     * How many of the first step's events are in the warm-up: event i is when it is due (its offset from the step's
     * start, {@link OpenLoopSender#dueOffsetMicros}) before {@code seconds}. They are the step's leading events, so a
     * count says which ones. {@code stepEvents}: how many the step offers, the most this returns.
     */
    public long events(double rate, long stepEvents) {
        if (!any()) {
            return 0;
        }
        long endMicros = Math.round(seconds * 1e6);
        // The estimate ceil(seconds x rate) can be off by one where floating point rounds at the edge (0.1 s at
        // 30/s is 3.0000000000000004 events); the sender's formula settles it.
        long n = Math.min(stepEvents, (long) Math.ceil(seconds * rate));
        while (n > 0 && OpenLoopSender.dueOffsetMicros(n - 1, rate) >= endMicros) {
            n--;
        }
        while (n < stepEvents && OpenLoopSender.dueOffsetMicros(n, rate) < endMicros) {
            n++;
        }
        return n;
    }

    /** Whether the second of the run starting {@code secondStart} s after the first step's start overlaps the warm-up. */
    public boolean covers(double secondStart) {
        return secondStart < seconds;
    }
}
