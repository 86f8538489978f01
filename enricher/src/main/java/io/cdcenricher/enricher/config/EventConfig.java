package io.cdcenricher.enricher.config;

import java.util.List;

/**
 * How events are recognised.
 *
 * @param typeField dotted path of the event type field (default {@code type})
 * @param types     the known event types; any other type is dead-lettered
 */
public record EventConfig(String typeField, List<String> types) {

    public static final String DEFAULT_TYPE_FIELD = "type";
    public static final List<String> DEFAULT_TYPES = List.of("create", "update", "delete");

    public EventConfig {
        types = List.copyOf(types);
    }
}
