package io.cdcenricher.enricher.config;

import java.util.List;

/** The keys of {@code event}: how events are recognised. */
public final class EventKeys {

    public static final ConfigSection SECTION = ConfigSection.of(RootKeys.EVENT);

    public static final ConfigKey<String> TYPE_FIELD = SECTION.key("typeField", ValueType.TEXT)
            .defaultValue("type")
            .check(Check.fieldPath())
            .doc("dotted path of the event type field")
            .define();
    public static final ConfigKey<List<String>> TYPES = SECTION.key("types", ValueType.TEXT_LIST)
            .defaultValue(List.of("create", "update", "delete"))
            .check(Check.notEmpty("must list at least one event type"))
            .check(Check.noDuplicates())
            .doc("the known event types; an event of any other type is dead-lettered")
            .define();
    public static final ConfigKey<String> TIMESTAMP_FIELD = SECTION.key("timestampField", ValueType.TEXT)
            .defaultDescription("the record timestamp")
            .check(Check.fieldPath())
            .doc("dotted path of the event time (ISO-8601 with offset, or epoch millis) that versioned lookups and "
                    + "deletion markers are measured against")
            .define();

    private EventKeys() {
    }
}
