package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;

/**
 * What a processor decided for one record: the value to write and to which topic, or, with partitioned joins,
 * an event still on its way. The {@code dlq.*} headers travel on the record itself.
 */
sealed interface Outcome {

    /** The value bytes to write; {@code null} for a passed-through tombstone. */
    byte[] value();

    /**
     * An enriched event for the output topic, with the status of each join (in config order), or a passed-through
     * tombstone ({@code statuses} null).
     */
    record Output(byte[] value, JoinStatus[] statuses) implements Outcome {
        Output(byte[] value) {
            this(value, null);
        }
    }

    /** The original event for the dead-letter topic, and why it is there. */
    record DeadLettered(byte[] value, DeadLetter.Reason reason) implements Outcome {
    }

    /** An event that still has partitioned lookups or the final splice ahead of it. */
    record Pending(PartlyEnrichedEvent event) implements Outcome {
        @Override
        public byte[] value() {
            return event.value;
        }
    }
}
