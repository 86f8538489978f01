package io.cdcenricher.enricher.internals;

import java.math.BigDecimal;

/**
 * The canonical text of a key value, shared by the event side (foreign keys) and the table side (primary
 * keys) so that {@code 42}, {@code "42"}, {@code 42.0} and the table key {@code {"id":42}} meet in one store
 * key.
 */
final class KeyText {

    /**
     * Decimals whose plain form would have more integer digits, or more zeros after the decimal point, than this
     * are left as written rather than expanded.
     */
    private static final int MAX_PLAIN_DIGITS = 64;

    private KeyText() {
    }

    /**
     * Canonical text of a JSON number: integers as written, integral decimals ({@code 42.0}, {@code 4.2e1})
     * as the integer, other decimals without trailing zeros.
     */
    static String ofNumber(String jsonText, boolean isInteger) {
        if (isInteger) {
            return jsonText;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(jsonText).stripTrailingZeros();
        } catch (NumberFormatException e) {
            // Valid JSON whose exponent does not fit a BigDecimal (1e-9999999999): a key nothing can equal but itself.
            return jsonText;
        }
        // An exponent like 1e999999999 or 1e-999999999 would expand to a billion characters (an OutOfMemoryError
        // that kills the stream thread, and again on every restart): keep such text as written. In long, since
        // precision - scale overflows an int for 1e2147483647.
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_PLAIN_DIGITS || -integerDigits > MAX_PLAIN_DIGITS) {
            return jsonText;
        }
        return value.signum() == 0 ? "0" : value.toPlainString();
    }
}
