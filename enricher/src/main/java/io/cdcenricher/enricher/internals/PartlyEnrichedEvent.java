package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;

/**
 * An event between the first pass and the output when partitioned joins need it to travel through repartition
 * topics: the original key and value, what the first pass found (closing brace, statuses and rows of the joins
 * resolved so far), the foreign keys the partitioned joins route by, and where the event was read from, so that
 * a later dead letter names the events topic, not a repartition topic. Serialized by {@link PartlyEnrichedEventSerde}.
 *
 * <p>Mutable on purpose: a lookup fills in its join's status and row and forwards the same object.
 */
final class PartlyEnrichedEvent {

    final byte[] entityKey;
    /** The original event; {@code null} for an entity tombstone, which only travels to keep its place. */
    final byte[] value;
    final int closingBrace;
    final boolean hasFields;
    /** Per join: the status, {@code null} while a partitioned lookup is still to come. */
    final JoinStatus[] statuses;
    /** Per join: the stored row of a hit, else {@code null}. */
    final byte[][] rows;
    /** Per join: the canonical foreign key text (UTF-8) to route by, {@code null} when the event has none. */
    final byte[][] foreignKeys;
    /** Where the event was read from; {@code null} when unknown. */
    final DeadLetter.Source source;
    /**
     * The event time (from {@code event.timestampField}) that versioned lookups use and deletion markers are
     * measured against; {@link #RECORD_TIME} to use the record timestamp.
     */
    final long eventTime;

    /** {@link #eventTime} of an event timed by its record timestamp. */
    static final long RECORD_TIME = Long.MIN_VALUE;

    PartlyEnrichedEvent(byte[] entityKey, byte[] value, int closingBrace, boolean hasFields, JoinStatus[] statuses,
                 byte[][] rows, byte[][] foreignKeys, DeadLetter.Source source) {
        this(entityKey, value, closingBrace, hasFields, statuses, rows, foreignKeys, source, RECORD_TIME);
    }

    PartlyEnrichedEvent(byte[] entityKey, byte[] value, int closingBrace, boolean hasFields, JoinStatus[] statuses,
                 byte[][] rows, byte[][] foreignKeys, DeadLetter.Source source, long eventTime) {
        this.entityKey = entityKey;
        this.value = value;
        this.closingBrace = closingBrace;
        this.hasFields = hasFields;
        this.statuses = statuses;
        this.rows = rows;
        this.foreignKeys = foreignKeys;
        this.source = source;
        this.eventTime = eventTime;
    }

    /** The time lookups are made as of: the event time, or {@code recordTimestamp} when the event has none. */
    long eventTime(long recordTimestamp) {
        return eventTime == RECORD_TIME ? recordTimestamp : eventTime;
    }

    /**
     * The key to re-key by for a partitioned join: the foreign key, so the event meets the table partition
     * holding that row (the table topic's key is the same canonical text, hashed the same way); the entity id
     * when there is no foreign key, which keeps such records in entity order among themselves.
     */
    byte[] routingKey(int join) {
        return foreignKeys[join] != null ? foreignKeys[join] : entityKey;
    }
}
