package io.cdcenricher.perf.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import io.cdcenricher.perf.Format;

/**
 * The rates to offer, one step after the other, each for {@code stepSeconds}:
 * <ul>
 *   <li>{@code constant}: one step at one rate;</li>
 *   <li>{@code steps}: the listed rates in order;</li>
 *   <li>{@code ramp}: from a start rate, each step adding a fixed amount ({@code +N}) or multiplying by a factor
 *       ({@code xF}), until a step is not sustained (see {@link SustainableRateFinder}) or the next rate would pass
 *       the maximum.</li>
 * </ul>
 * Every schedule stops at the first step that is not sustained: after it the enricher is only working off a backlog,
 * and a later step would measure the queue, not the rate.
 */
public record LoadSchedule(Kind kind, List<Double> rates, double rampStart, double rampAdd, double rampFactor,
                           double maxRate, int stepSeconds) {

    /** The default ceiling of a ramp without one: far above what one producer thread sends. */
    public static final double DEFAULT_MAX_RATE = 1_000_000;

    public enum Kind { CONSTANT, STEPS, RAMP }

    public LoadSchedule {
        rates = List.copyOf(rates);
        if (stepSeconds < 1) {
            throw new IllegalArgumentException("a step lasts at least 1 s");
        }
    }

    public static LoadSchedule constant(double rate, int seconds) {
        return new LoadSchedule(Kind.CONSTANT, List.of(positive("--rate", rate)), 0, 0, 1, rate, seconds);
    }

    /** {@code --steps 1000,2000,5000}. */
    public static LoadSchedule steps(String list, int stepSeconds) {
        List<Double> rates = new ArrayList<>();
        for (String part : list.split(",")) {
            rates.add(positive("--steps", parseRate("--steps", part)));
        }
        return new LoadSchedule(Kind.STEPS, rates, 0, 0, 1, rates.stream().mapToDouble(d -> d).max().orElse(0), stepSeconds);
    }

    /** {@code --ramp START,+N[,MAX]} or {@code --ramp START,xF[,MAX]}. */
    public static LoadSchedule ramp(String spec, int stepSeconds) {
        String[] parts = spec.split(",");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("--ramp: START,+N[,MAX] or START,xF[,MAX], e.g. 1000,+1000 or 500,x2,20000");
        }
        double start = positive("--ramp", parseRate("--ramp", parts[0]));
        String growth = parts[1].trim();
        double add = 0;
        double factor = 1;
        if (growth.startsWith("+")) {
            add = positive("--ramp", parseRate("--ramp", growth.substring(1)));
        } else if (growth.startsWith("x") || growth.startsWith("*")) {
            factor = parseRate("--ramp", growth.substring(1));
            if (factor <= 1) {
                throw new IllegalArgumentException("--ramp: the factor must be above 1, not " + growth);
            }
        } else {
            throw new IllegalArgumentException("--ramp: the growth is +N (add N events/s a step) or xF (multiply by F), not "
                    + growth);
        }
        double max = parts.length == 3 ? positive("--ramp", parseRate("--ramp", parts[2])) : DEFAULT_MAX_RATE;
        if (max < start) {
            throw new IllegalArgumentException("--ramp: the maximum " + parts[2] + " is below the start " + parts[0]);
        }
        return new LoadSchedule(Kind.RAMP, List.of(), start, add, factor, max, stepSeconds);
    }

    /**
     * The rate of step {@code index} (0-based), or empty when the schedule has no such step. A ramp's steps are
     * computed, not listed, so it has as many as fit under its maximum.
     */
    public OptionalDouble rate(int index) {
        if (kind != Kind.RAMP) {
            return index < rates.size() ? OptionalDouble.of(rates.get(index)) : OptionalDouble.empty();
        }
        double rate = rampStart;
        for (int i = 0; i < index; i++) {
            rate = rampAdd > 0 ? rate + rampAdd : rate * rampFactor;
        }
        return rate <= maxRate * (1 + 1e-9) ? OptionalDouble.of(rate) : OptionalDouble.empty();
    }

    /** The number of steps, for the ramp the most it can have. */
    public int maxSteps() {
        int n = 0;
        while (rate(n).isPresent() && n < 10_000) {
            n++;
        }
        return n;
    }

    /** One line for the report and the console, e.g. {@code ramp from 1,000.0 events/s, +1,000.0 a step, ...}. */
    public String describe() {
        return switch (kind) {
            case CONSTANT -> "constant " + Format.rate(rates.get(0)) + " events/s for " + stepSeconds + " s";
            case STEPS -> "steps of " + stepSeconds + " s at " + String.join(", ", rates.stream().map(Format::rate).toList())
                    + " events/s";
            case RAMP -> "ramp from " + Format.rate(rampStart) + " events/s, "
                    + (rampAdd > 0 ? "+" + Format.rate(rampAdd) : "x" + String.format(Locale.ROOT, "%s", rampFactor))
                    + " every " + stepSeconds + " s, up to " + Format.rate(maxRate) + " events/s, until a step is not sustained";
        };
    }

    private static double parseRate(String option, String text) {
        String t = text.trim().replace("_", "");
        double scale = 1;
        if (t.endsWith("k") || t.endsWith("K")) {
            scale = 1000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Double.parseDouble(t) * scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a rate: " + text);
        }
    }

    private static double positive(String option, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(option + ": rates must be positive");
        }
        return value;
    }
}
