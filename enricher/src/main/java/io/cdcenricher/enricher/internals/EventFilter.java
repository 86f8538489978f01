package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonToken;
import io.cdcenricher.enricher.config.FilterConfig;
import io.cdcenricher.enricher.config.FilterOp;
import java.math.BigDecimal;
import java.util.List;

/**
 * The configured filter, evaluated on the values the event scan already picked up (no second parse). A field
 * that is missing, or of the wrong type for the comparison (a string compared with a number, a number with a
 * string, an object or array with anything), makes the predicate false, whatever the operator; so does JSON
 * {@code null}, except that {@code exists} is simply false for it.
 */
final class EventFilter {

    private final FilterConfig config;
    private final int path;
    private final boolean[] appliesToType;

    EventFilter(FilterConfig config, EventScanner scanner, List<String> types) {
        this.config = config;
        this.path = scanner.addPath(config.field());
        this.appliesToType = new boolean[types.size()];
        for (int t = 0; t < types.size(); t++) {
            appliesToType[t] = config.appliesTo(types.get(t));
        }
    }

    /** Whether the event (of known type index {@code type}) goes on; false means it is filtered out. */
    boolean keeps(EventScan scan, int type) {
        return !appliesToType[type] || matches(scan.token(path), scan.text(path));
    }

    private boolean matches(JsonToken token, String text) {
        if (token == null || token == JsonToken.VALUE_NULL) {
            return false;
        }
        switch (config.op()) {
            case EXISTS:
                return true;
            case EQ:
            case NE:
                boolean comparable = config.text() != null ? token == JsonToken.VALUE_STRING : isNumber(token);
                if (!comparable) {
                    return false;
                }
                boolean equal = config.text() != null ? config.text().equals(text) : compare(text) == 0;
                return equal == (config.op() == FilterOp.EQ);
            default:
                if (!isNumber(token)) {
                    return false;
                }
                int cmp = compare(text);
                switch (config.op()) {
                    case GT:
                        return cmp > 0;
                    case GTE:
                        return cmp >= 0;
                    case LT:
                        return cmp < 0;
                    default:
                        return cmp <= 0;
                }
        }
    }

    private static boolean isNumber(JsonToken token) {
        return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    /** The event's number compared with the configured one; exact, so 10 equals 10.0. */
    private int compare(String numberText) {
        return new BigDecimal(numberText).compareTo(config.number());
    }
}
