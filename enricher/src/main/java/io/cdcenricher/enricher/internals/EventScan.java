package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonToken;

/**
 * What one pass over an event found: the values at the configured paths, which reserved top-level names the
 * event already uses, and where its closing brace is.
 */
final class EventScan {

    /** Per path: the value's first token, {@code null} when the path is absent. */
    final JsonToken[] tokens;
    /** Per path: the canonical text of a string or number value, else {@code null}. */
    final String[] texts;
    /** Per reserved output name: whether the event already has a top-level field of that name. */
    final boolean[] reservedSeen;
    /** Byte offset of the root object's closing brace. */
    int closingBrace = -1;
    /** Whether the root object has at least one field (so an addition needs a leading comma). */
    boolean hasFields;

    EventScan(int pathCount, int reservedCount) {
        tokens = new JsonToken[pathCount];
        texts = new String[pathCount];
        reservedSeen = new boolean[reservedCount];
    }

    JsonToken token(int pathIndex) {
        return tokens[pathIndex];
    }

    String text(int pathIndex) {
        return texts[pathIndex];
    }
}
