package io.cdcenricher.enricher.internals;

/**
 * What a processor decided for one record: the value to write and to which topic, or, with partitioned joins,
 * an event still on its way. The {@code dlq.*} headers travel on the record itself.
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

    /** An event that still has partitioned lookups or the final splice ahead of it. */
    record Pending(PendingEvent event) implements Outcome {
        @Override
        public byte[] value() {
            return event.value;
        }
    }
}
