package io.cdcenricher.perf;

import java.util.List;

/**
 * Reading option values off a command line, for {@code perf/run} and {@code perf/faults}: every failure is an
 * IllegalArgumentException whose message starts with the option's name, which the commands print as usage errors.
 */
public final class OptionValues {

    private OptionValues() {
    }

    /** The argument after option {@code name} at {@code index}, or an error saying the option needs one. */
    public static String value(List<String> args, int index, String name) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args.get(index);
    }

    public static double number(String name, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: " + text);
        }
    }

    /** A whole number of at least 1; {@code 10_000} is accepted. */
    public static int positiveInt(String name, String text) {
        double value = number(name, text.replace("_", ""));
        if (value < 1 || value != Math.rint(value) || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": a positive whole number, not " + text);
        }
        return (int) value;
    }

    public static double positiveDouble(String name, String text) {
        double value = number(name, text);
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": must be positive, not " + text);
        }
        return value;
    }
}
