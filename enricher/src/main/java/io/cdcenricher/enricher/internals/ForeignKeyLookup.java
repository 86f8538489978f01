package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.JoinConfig;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * One join's lookup of one foreign key, the same for a global and a partitioned store: the status (with the
 * deletion-marker retention measured against the event's timestamp) and the stored row to splice on a hit.
 */
final class ForeignKeyLookup {

    private final JoinConfig join;
    private final long deletedRetentionMs;
    private final RowProjector projector;

    ForeignKeyLookup(JoinConfig join) {
        this.join = join;
        this.deletedRetentionMs = join.deletedRetention().toMillis();
        this.projector = new RowProjector(join.fields());
    }

    JoinConfig join() {
        return join;
    }

    /**
     * Looks {@code key} up and fills {@code rows[index]} on a hit (else null).
     *
     * @param key       canonical key text as UTF-8, or null for a JSON null foreign key (always a miss)
     * @param eventTime the event's record timestamp, against which deletion markers expire
     */
    JoinStatus lookUp(KeyValueStore<Bytes, byte[]> store, byte[] key, long eventTime, byte[][] rows, int index) {
        return statusOf(key == null ? null : store.get(Bytes.wrap(key)), eventTime, rows, index);
    }

    /**
     * Looks {@code key} up in a versioned table as of {@code eventTime}: the row version valid at that time (the
     * latest with a timestamp at or before it). A time older than the store's history retention finds nothing:
     * {@code miss}.
     */
    JoinStatus lookUpAsOf(VersionedKeyValueStore<Bytes, byte[]> store, byte[] key, long eventTime, byte[][] rows,
                          int index) {
        VersionedRecord<byte[]> version = key == null ? null : store.get(Bytes.wrap(key), eventTime);
        return statusOf(version == null ? null : version.value(), eventTime, rows, index);
    }

    /** The status of a value already read from the store, as for an event at {@code eventTime}. */
    JoinStatus statusOfStored(byte[] stored, long eventTime, byte[][] rows, int index) {
        return statusOf(stored, eventTime, rows, index);
    }

    private JoinStatus statusOf(byte[] stored, long eventTime, byte[][] rows, int index) {
        rows[index] = null;
        JoinStatus status = ReferenceTable.statusOf(stored, eventTime, deletedRetentionMs);
        if (status != JoinStatus.HIT) {
            return status;
        }
        if (ReferenceTable.isRawRow(stored)) {
            try {
                stored = projector.project(stored);
            } catch (InvalidInputException e) {
                // The updater would have skipped this row (and logged it) when it first arrived.
                return JoinStatus.MISS;
            }
        }
        rows[index] = stored;
        return status;
    }

    /** The {@code dlq.detail} of a miss or deleted row under {@code onMiss: dead-letter}. */
    String missDetail(byte[] key, JoinStatus status) {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        return "join '" + join.name() + "': "
                + (key == null ? "the foreign key '" + join.foreignKey() + "' is null"
                : status == JoinStatus.DELETED ? "the row with key '" + keyText + "' was deleted"
                : "no row with key '" + keyText + "'") + " (onMiss: dead-letter)";
    }
}
