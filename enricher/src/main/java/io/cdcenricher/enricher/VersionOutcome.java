package io.cdcenricher.enricher;

/**
 * What the per-entity version guard ({@code event.versionField}) decided for an event; {@link #wireName()} is the
 * value of the {@link EnrichedEventContract#VERSION_HEADER} header on the output and of the {@code outcome} tag of
 * {@code enricher_version_total}. An event whose version fields cannot be read is a dead letter
 * ({@link DeadLetter.Reason#INVALID_VERSION}) and never reaches the guard's decision.
 */
public enum VersionOutcome {
    /** The version follows the entity's last accepted one (and the expectation, if any, matched): stored. */
    ACCEPTED("accepted"),
    /** The event expects a version other than the entity's last accepted one (0 when it has none). */
    VERSION_CONFLICT("version-conflict"),
    /**
     * A redelivery: the entity's last accepted event again (same version and bytes), or, for an event without an
     * expectation, a version at or below the entity's last accepted one (a redelivery or a stale replay).
     */
    DUPLICATE("duplicate"),
    /** An event (not a redelivery of the delete itself) of an entity whose delete was accepted. */
    ENTITY_DELETED("entity-deleted");

    private final String wireName;

    VersionOutcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
