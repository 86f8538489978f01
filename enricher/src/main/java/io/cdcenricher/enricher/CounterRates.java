package io.cdcenricher.enricher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-second rates of monotonic counters over a sliding window (about a minute), from samples of their totals taken
 * whenever someone asks ({@link #sample}): the status page asks every two seconds while it is open, and nothing runs
 * while nobody looks. The rate of a counter is its increase since the baseline sample divided by the time since
 * then; the baseline is the newest sample at or before the window's start, so after a quiet spell the span is longer
 * than the window, and {@link Window#seconds()} says how long it really is rather than pretending.
 *
 * <p>The same rates could be had from Prometheus; the page must work without one. Thread-safe.
 *
 * @param <K> what names a counter
 */
final class CounterRates<K> {

    /** Samples closer together than this replace nothing and add nothing: two tabs polling must not fill memory. */
    static final Duration MIN_SPACING = Duration.ofSeconds(1);

    private record Sample<K>(long at, Map<K, Double> totals) {
    }

    /**
     * Rates over a span.
     *
     * @param seconds   the span the rates cover, 0 when there is no earlier sample to measure against
     * @param perSecond increase per second of every counter asked about; empty when {@code seconds} is 0
     */
    record Window<K>(double seconds, Map<K, Double> perSecond) {
        boolean isEmpty() {
            return seconds == 0;
        }
    }

    private final long windowMillis;
    private final LongSupplier clock;
    private final Deque<Sample<K>> samples = new ArrayDeque<>();

    CounterRates(Duration window, LongSupplier clock) {
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Records {@code totals} as of now and answers the rates of its counters up to now. */
    synchronized Window<K> sample(Map<K, Double> totals) {
        long now = clock.getAsLong();
        Sample<K> last = samples.peekLast();
        if (last == null || now - last.at() >= MIN_SPACING.toMillis()) {
            samples.addLast(new Sample<>(now, Map.copyOf(totals)));
        }
        long start = now - windowMillis;
        while (samples.size() >= 2 && second().at() <= start) {
            samples.removeFirst();
        }
        Sample<K> baseline = samples.peekFirst();
        long span = now - baseline.at();
        if (span < MIN_SPACING.toMillis()) {
            // Against a sample a few milliseconds old a single event would read as hundreds per second.
            return new Window<>(0, Map.of());
        }
        double seconds = span / 1000.0;
        Map<K, Double> rates = new LinkedHashMap<>();
        totals.forEach((key, total) -> {
            double increase = total - baseline.totals().getOrDefault(key, 0.0);
            // Counters only grow; a smaller total means a counter that was replaced: no rate rather than a negative one.
            rates.put(key, Math.max(0, increase) / seconds);
        });
        return new Window<>(seconds, rates);
    }

    private Sample<K> second() {
        Iterator<Sample<K>> it = samples.iterator();
        it.next();
        return it.next();
    }

    /** How many samples are kept: bounded by the window over {@link #MIN_SPACING}, plus the baseline. */
    synchronized int retained() {
        return samples.size();
    }
}
