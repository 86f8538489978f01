package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import org.apache.kafka.common.header.Headers;

/**
 * An event held in a changelogged buffer: everything needed to process it later as if it had just arrived (the
 * original key, value, timestamp and headers) and to dead-letter it with the {@code dlq.source.*} of the events
 * topic, plus why it waits. Serialized by {@link BufferedEventSerde}.
 *
 * <p>Used by the wait buffer ({@code onMiss: wait}: {@code value} is the original event, {@code null} for an
 * entity tombstone queued behind held events), and by the start-up gate and the grace buffer of a partitioned join
 * ({@code value} is a serialized {@link PartlyEnrichedEvent}).
 */
final class BufferedEvent {

    final byte[] key;
    final byte[] value;
    final long timestamp;
    final Headers headers;
    /** Where the event was read from; {@code null} when unknown. */
    final DeadLetter.Source source;
    /** Wall-clock time (epoch millis) when the event was held. */
    final long heldAt;
    /**
     * Per join: the canonical foreign key of a wait join whose row was missing when the event arrived, else
     * {@code null}. All null: the event only queues behind its entity's earlier held events.
     */
    final byte[][] waitKeys;

    BufferedEvent(byte[] key, byte[] value, long timestamp, Headers headers, DeadLetter.Source source, long heldAt,
              byte[][] waitKeys) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.headers = headers;
        this.source = source;
        this.heldAt = heldAt;
        this.waitKeys = waitKeys;
    }

    /** Whether the event waits for a row itself (rather than only behind its entity's earlier events). */
    boolean waitsForRow() {
        for (byte[] key : waitKeys) {
            if (key != null) {
                return true;
            }
        }
        return false;
    }
}
