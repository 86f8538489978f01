package io.cdcenricher.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The measured runs of one race entry, summed up: the median records/s (what the ratios use: one slow or fast run
 * cannot move it much), the range, and whether the figure can be trusted.
 *
 * @param entry  the entry's label, e.g. {@code enricher} or {@code diy#2}
 * @param runs   measured runs (the warm-up does not count)
 * @param median median records/s; of an even count, the mean of the middle two
 * @param min    slowest run, records/s
 * @param max    fastest run, records/s
 * @param spread (max - min) / median; 0 for a single run
 * @param flags  why the figure is too noisy to trust; empty when it is not
 */
public record ModeSummary(String entry, int runs, double median, double min, double max, double spread,
                          List<String> flags) {

    /** Above this spread, runs of one entry disagree more than the differences the race is meant to show. */
    public static final double MAX_SPREAD = 0.15;

    public ModeSummary {
        flags = List.copyOf(flags);
    }

    /**
     * Sums up one entry's runs. {@code loadsBefore} holds the 1-minute load average read before each run (NaN where
     * unknown); a run that started with more runnable tasks than {@code cores} shared the cores with other work.
     */
    public static ModeSummary of(String entry, List<Double> rates, List<Double> loadsBefore, int cores) {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException(entry + ": no runs");
        }
        double median = median(rates);
        double min = rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double spread = median > 0 ? (max - min) / median : 0;
        List<String> flags = new ArrayList<>();
        if (rates.size() < 2) {
            flags.add("one run: no spread to judge");
        }
        if (spread > MAX_SPREAD) {
            flags.add(String.format(Locale.ROOT, "spread %s > %s", percent(spread), percent(MAX_SPREAD)));
        }
        long busy = loadsBefore.stream().filter(load -> load > cores).count();
        if (busy > 0) {
            flags.add(String.format(Locale.ROOT, "load above %d cores before %d of %d runs", cores, busy, loadsBefore.size()));
        }
        return new ModeSummary(entry, rates.size(), median, min, max, spread, flags);
    }

    /** The median; of an even count, the mean of the middle two. */
    public static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    /** Whether nothing flags this entry. */
    public boolean trusted() {
        return flags.isEmpty();
    }

    /** {@code ok}, or {@code too noisy: } and the reasons. */
    public String verdict() {
        return trusted() ? "ok" : "too noisy: " + String.join("; ", flags);
    }

    /** A fraction as a percentage with one decimal, e.g. {@code 15.0%}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
