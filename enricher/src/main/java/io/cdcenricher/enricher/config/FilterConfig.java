package io.cdcenricher.enricher.config;

import java.math.BigDecimal;
import java.util.Set;

/**
 * Drops events of some types that fail one predicate, on purpose: they go to neither the output nor the
 * dead-letter topic, and are counted instead.
 *
 * @param appliesTo   event types the filter applies to; other types pass straight through
 * @param field       dotted path of the compared field
 * @param op          the comparison
 * @param number      the value to compare with when it is a number, else {@code null}
 * @param text        the value to compare with when it is a string, else {@code null}
 */
public record FilterConfig(Set<String> appliesTo, String field, FilterOp op, BigDecimal number, String text) {

    public FilterConfig {
        appliesTo = Set.copyOf(appliesTo);
    }

    public boolean appliesTo(String eventType) {
        return appliesTo.contains(eventType);
    }
}
