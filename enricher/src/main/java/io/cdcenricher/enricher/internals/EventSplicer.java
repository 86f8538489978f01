package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.cdcenricher.enricher.EnrichedEventContract;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.JoinConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splices the joins' rows and statuses into the original event's bytes: the original event up to its closing
 * brace, then {@code ,"<as>":<row or null>} per applicable join, then
 * {@code ,"enrichment":{"<join>":"<status>",...}}, then the closing brace and whatever followed it. The original
 * bytes are kept exactly; rows are already serialized in the store. Every constant piece is encoded once, here.
 */
final class EventSplicer {

    private static final byte[] STATUS_OPEN = bytes(quoted(EnrichedEventContract.STATUS_FIELD) + ":{");
    private static final byte[] NULL = bytes("null");
    private static final byte COMMA = ',';
    private static final byte CLOSE = '}';

    /** Per join: {@code "<as>":}. */
    private final byte[][] fieldPrefixes;
    /** Per join and status ordinal: {@code "<name>":"<status>"}. */
    private final byte[][][] statusEntries;

    EventSplicer(List<JoinConfig> joins) {
        fieldPrefixes = new byte[joins.size()][];
        statusEntries = new byte[joins.size()][JoinStatus.values().length][];
        for (int i = 0; i < joins.size(); i++) {
            JoinConfig join = joins.get(i);
            fieldPrefixes[i] = bytes(quoted(join.as()) + ":");
            for (JoinStatus status : JoinStatus.values()) {
                statusEntries[i][status.ordinal()] = bytes(quoted(join.name()) + ":" + quoted(status.wireName()));
            }
        }
    }

    /**
     * The size of the enriched event, computed without building it.
     *
     * @param rows per join, the stored value (marker byte + JSON object [+ version]) for a {@code HIT}, else ignored
     */
    int length(byte[] event, int closingBrace, boolean hasFields, JoinStatus[] statuses, byte[][] rows) {
        return splice(null, event, closingBrace, hasFields, statuses, rows);
    }

    /** The enriched event; see {@link #length}. */
    byte[] write(byte[] event, int closingBrace, boolean hasFields, JoinStatus[] statuses, byte[][] rows) {
        byte[] out = new byte[length(event, closingBrace, hasFields, statuses, rows)];
        splice(out, event, closingBrace, hasFields, statuses, rows);
        return out;
    }

    /** Writes into {@code out}, or only counts when it is null, so both passes share one layout. */
    private int splice(byte[] out, byte[] event, int closingBrace, boolean hasFields, JoinStatus[] statuses,
                       byte[][] rows) {
        int pos = put(out, 0, event, 0, closingBrace);
        boolean needComma = hasFields;
        for (int i = 0; i < statuses.length; i++) {
            JoinStatus status = statuses[i];
            if (status == JoinStatus.SKIPPED) {
                continue;
            }
            if (needComma) {
                pos = put(out, pos, COMMA);
            }
            pos = put(out, pos, fieldPrefixes[i], 0, fieldPrefixes[i].length);
            pos = status.found()
                    ? put(out, pos, rows[i], 1, ReferenceTable.jsonLength(rows[i]))
                    : put(out, pos, NULL, 0, NULL.length);
            needComma = true;
        }
        if (needComma) {
            pos = put(out, pos, COMMA);
        }
        pos = put(out, pos, STATUS_OPEN, 0, STATUS_OPEN.length);
        for (int i = 0; i < statuses.length; i++) {
            if (i > 0) {
                pos = put(out, pos, COMMA);
            }
            byte[] entry = statusEntries[i][statuses[i].ordinal()];
            pos = put(out, pos, entry, 0, entry.length);
        }
        pos = put(out, pos, CLOSE);
        return put(out, pos, event, closingBrace, event.length - closingBrace);
    }

    private static int put(byte[] out, int pos, byte[] src, int from, int length) {
        if (out != null) {
            System.arraycopy(src, from, out, pos, length);
        }
        return pos + length;
    }

    private static int put(byte[] out, int pos, byte b) {
        if (out != null) {
            out[pos] = b;
        }
        return pos + 1;
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
