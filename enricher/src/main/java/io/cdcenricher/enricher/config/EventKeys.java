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

    public static final ConfigKey<String> VERSION_FIELD = SECTION.key("versionField", ValueType.TEXT)
            .defaultDescription("none: no version guard")
            .check(Check.fieldPath())
            .doc("dotted path of the version (a positive whole number) each event gives its entity; turns on the "
                    + "per-entity version guard (see \"Per-entity version guard\")")
            .define();
    public static final ConfigKey<String> EXPECTED_VERSION_FIELD = SECTION.key("expectedVersionField",
                    ValueType.TEXT)
            .defaultDescription("none: events carry no expectation")
            .check(Check.fieldPath())
            .doc("with `versionField`: dotted path of the version the event expects its entity to be at (`0`: the "
                    + "entity must not exist yet; below the event's version); absent or `null` in an event: no "
                    + "expectation")
            .define();
    public static final ConfigKey<String> DELETE_TYPE = SECTION.key("deleteType", ValueType.TEXT)
            .defaultValue("delete")
            .doc("with `versionField`: the event type whose acceptance deletes the entity; one of `event.types`")
            .define();
    public static final ConfigKey<VersionAction> ON_VERSION_CONFLICT = SECTION.key("onVersionConflict",
                    ValueType.oneOf(VersionAction.class, VersionAction::yamlName))
            .defaultValue(VersionAction.DEAD_LETTER)
            .doc("with `versionField`: an event whose expected version is not the entity's: `dead-letter` "
                    + "(reason `version-conflict`), `output` (header `enricher.version`) or `drop`")
            .define();
    public static final ConfigKey<VersionAction> ON_DUPLICATE = SECTION.key("onDuplicate",
                    ValueType.oneOf(VersionAction.class, VersionAction::yamlName))
            .defaultValue(VersionAction.DROP)
            .doc("with `versionField`: a redelivery (the entity's last accepted event again or, without an "
                    + "expectation, a version at or below the last accepted one): `drop`, `dead-letter` (reason "
                    + "`duplicate`) or `output`")
            .define();
    public static final ConfigKey<VersionAction> ON_ENTITY_DELETED = SECTION.key("onEntityDeleted",
                    ValueType.oneOf(VersionAction.class, VersionAction::yamlName))
            .defaultValue(VersionAction.DEAD_LETTER)
            .doc("with `versionField`: a later event of an entity whose delete was accepted: `dead-letter` "
                    + "(reason `entity-deleted`), `output` or `drop`")
            .define();

    private EventKeys() {
    }
}
