package io.cdcenricher.enricher.config;

import java.util.List;

/**
 * How events are recognised.
 *
 * @param typeField      dotted path of the event type field (default {@code type})
 * @param types          the known event types; any other type is dead-lettered
 * @param timestampField dotted path of the event time (ISO-8601 text or epoch millis) that versioned joins look
 *                       up as of and deletion markers are measured against; {@code null}: the record timestamp
 * @param versionGuard   the per-entity version guard; {@code null}: off
 */
public record EventConfig(String typeField, List<String> types, String timestampField,
                          VersionGuardConfig versionGuard) {

    public EventConfig {
        types = List.copyOf(types);
    }

    /** The same events, checked by {@code guard} ({@code null}: unchecked). */
    public EventConfig withVersionGuard(VersionGuardConfig guard) {
        return new EventConfig(typeField, types, timestampField, guard);
    }

    /** Events without a version guard. */
    public EventConfig(String typeField, List<String> types, String timestampField) {
        this(typeField, types, timestampField, null);
    }

    /** Events timed by their record timestamp. */
    public EventConfig(String typeField, List<String> types) {
        this(typeField, types, null, null);
    }
}
