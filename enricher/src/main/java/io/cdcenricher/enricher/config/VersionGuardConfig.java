package io.cdcenricher.enricher.config;

/**
 * The per-entity version guard ({@code event.versionField} and the keys next to it): each event carries the
 * version it gives its entity, and optionally the version it expects the entity to be at; the enricher keeps each
 * entity's last accepted version and rejects what does not follow it.
 *
 * @param versionField         dotted path of the version the event gives its entity (a positive whole number)
 * @param expectedVersionField dotted path of the version the event expects the entity to be at; {@code null}:
 *                             events carry no expectation (only duplicates and deleted entities are rejected)
 * @param deleteType           the event type (one of {@code event.types}) whose acceptance deletes the entity
 * @param onConflict           where a {@code version-conflict} goes
 * @param onDuplicate          where a {@code duplicate} goes
 * @param onEntityDeleted      where an {@code entity-deleted} goes
 */
public record VersionGuardConfig(String versionField, String expectedVersionField, String deleteType,
                                 VersionAction onConflict, VersionAction onDuplicate,
                                 VersionAction onEntityDeleted) {

    /** Expectations read from {@code expectedVersionField}, type {@code delete}, the default actions. */
    public static VersionGuardConfig of(String versionField, String expectedVersionField) {
        return new VersionGuardConfig(versionField, expectedVersionField, EventKeys.DELETE_TYPE.defaultValue(),
                EventKeys.ON_VERSION_CONFLICT.defaultValue(), EventKeys.ON_DUPLICATE.defaultValue(),
                EventKeys.ON_ENTITY_DELETED.defaultValue());
    }

    public VersionGuardConfig withActions(VersionAction conflict, VersionAction duplicate, VersionAction deleted) {
        return new VersionGuardConfig(versionField, expectedVersionField, deleteType, conflict, duplicate, deleted);
    }
}
