package io.cdcenricher.enricher.internals;

/**
 * What the enrichment processor decided for one record: the value to write and to which topic. The
 * {@code dlq.*} headers travel on the record itself.
 */
sealed interface Outcome {

    /** The value bytes to write; {@code null} for a passed-through tombstone. */
    byte[] value();

    /** An enriched event (or a passed-through tombstone) for the output topic. */
    record Output(byte[] value) implements Outcome {
    }

    /** The original event for the dead-letter topic. */
    record DeadLettered(byte[] value) implements Outcome {
    }
}
