package io.cdcenricher.enricher;

/**
 * The outcome of one join for one event, written into the enriched event's {@code enrichment} object
 * so that a miss is never silent.
 */
public enum JoinStatus {
    /** The row was found and copied into the event. */
    HIT("hit"),
    /** No row for the foreign key (or the foreign key is JSON {@code null}); the nested value is null. */
    MISS("miss"),
    /** The row was deleted (tombstoned) in the table; the nested value is null. */
    DELETED("deleted"),
    /** The join does not apply to this event type; no nested value is written. */
    SKIPPED("skipped"),
    /**
     * The row was missing when the event arrived and was found while the event waited ({@code onMiss: wait});
     * the row is copied as for a hit.
     */
    LATE("late");

    private final String wireName;

    JoinStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The value written into the {@code enrichment} object. */
    public String wireName() {
        return wireName;
    }

    /** Whether the event carries the row: {@code hit} or {@code late}. */
    public boolean found() {
        return this == HIT || this == LATE;
    }
}
