package io.cdcenricher.enricher.internals;

import java.math.BigDecimal;

/**
 * The canonical text of a key value, shared by the event side (foreign keys) and the table side (primary
 * keys) so that {@code 42}, {@code "42"}, {@code 42.0} and the table key {@code {"id":42}} meet in one store
 * key.
 */
final class KeyText {

    /** Integral decimals with more digits than this are left as written rather than expanded. */
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
        BigDecimal value = new BigDecimal(jsonText).stripTrailingZeros();
        // An exponent like 1e999999999 would expand to a billion characters: keep such text as written.
        if (value.precision() - value.scale() > MAX_PLAIN_DIGITS) {
            return jsonText;
        }
        return value.signum() == 0 ? "0" : value.toPlainString();
    }
}
