package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.EnrichmentMetrics;
import io.cdcenricher.enricher.config.JoinConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a join's store (global or partitioned) in step with its table topic: normalizes the key, projects and
 * pre-serializes the row, records tombstones as deletions with their timestamp. A row is stored only if it is newer
 * than what the store holds for its key ({@link RowVersion}): a re-sent older or equal version is skipped and
 * counted ({@code enricher_table_stale_skipped_total}), never served; a deletion keeps the version of the rewritten
 * delete or of the row it deleted, so a re-sent older row does not bring a deleted row back. A versioned store gets each
 * version (row or deletion marker) at the record's timestamp, the source commit time
 * ({@link SourceTimestampExtractor}); a version older than the store's history retention is dropped by the store.
 *
 * <p>A table record it cannot use is logged and skipped: one bad row must not stop the enrichment of every
 * event, and the global thread has no dead-letter path. The log names the record's position and the problem,
 * never its contents.
 */
final class ReferenceRowUpdater implements Processor<byte[], byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ReferenceRowUpdater.class);

    private final String joinName;
    private final String storeName;
    private final TableKeyNormalizer keyNormalizer;
    private final RowProjector projector;
    private ProcessorContext<Void, Void> context;
    private final boolean versioned;
    private KeyValueStore<Bytes, byte[]> store;
    private VersionedKeyValueStore<Bytes, byte[]> versionedStore;

    /** The start-up gate the updater of a partitioned table reports its progress to; null for a global table. */
    private final StartupGate gate;

    /** Turns the table topic's value into JSON ({@link RowDecoder#JSON} for JSON topics). */
    private final RowDecoder decoder;

    ReferenceRowUpdater(JoinConfig join) {
        this(join, null);
    }

    ReferenceRowUpdater(JoinConfig join, StartupGate gate) {
        this(join, gate, RowDecoder.JSON);
    }

    /** Where each applied row's source time goes (the capture lag). */
    private final LongConsumer rowTimes;
    /** Counts the table records skipped as re-sent older versions. */
    private final Runnable staleRows;
    /** The join's version column, or null for Debezium's source position ({@link RowVersion}). */
    private final String versionField;
    /**
     * Keys whose rewritten delete ({@code __deleted: "true"}) was skipped as stale while its tombstone, the next
     * record of the key, has not come yet. Not kept across restarts: at worst such a tombstone is then applied as
     * a delete that inherits the stored row's version, until the re-sent newer row follows it.
     */
    private final Set<Bytes> skippedDeletes = new HashSet<>();

    ReferenceRowUpdater(JoinConfig join, StartupGate gate, RowDecoder decoder) {
        this(join, gate, decoder, EnrichmentMetrics.NONE);
    }

    ReferenceRowUpdater(JoinConfig join, StartupGate gate, RowDecoder decoder, EnrichmentMetrics metrics) {
        this.rowTimes = metrics.tableRowTimes(join.name());
        this.staleRows = metrics.staleTableRows(join.name());
        this.versionField = join.versionField();
        this.gate = gate;
        this.decoder = decoder;
        this.joinName = join.name();
        this.storeName = ReferenceTable.storeName(join);
        this.keyNormalizer = new TableKeyNormalizer(join.tableKeyField());
        this.projector = new RowProjector(join.fields());
        this.versioned = join.isVersioned();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        if (versioned) {
            this.versionedStore = context.getStateStore(storeName);
        } else {
            this.store = context.getStateStore(storeName);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (gate != null) {
            // Reported first: a record the store skips still counts as read.
            context.recordMetadata().ifPresent(m -> gate.consumed(m.topic(), m.partition(), m.offset()));
        }
        if (record.key() == null) {
            skip("it has no key");
            return;
        }
        Bytes key;
        try {
            key = Bytes.wrap(keyNormalizer.normalize(record.key()).getBytes(StandardCharsets.UTF_8));
        } catch (InvalidInputException e) {
            skip(e.getMessage());
            return;
        }
        byte[] stored;
        long sourceTime = record.timestamp();
        if (record.value() == null) {
            if (!skippedDeletes.isEmpty() && skippedDeletes.remove(key)) {
                // The tombstone that follows a re-sent rewritten delete we skipped: as stale as the delete.
                staleRows.run();
                return;
            }
            // A tombstone carries no version: the delete inherits the version of what it deletes, so a re-sent
            // older row cannot bring the row back.
            stored = ReferenceTable.deletionOver(current(key, record.timestamp()), record.timestamp(), versionField);
        } else {
            RowVersion.Reader versions = new RowVersion.Reader(versionField);
            byte[] projected;
            try {
                String topic = context.recordMetadata().map(m -> m.topic()).orElse(null);
                byte[] row = decoder.toJson(topic, record.headers(), record.value());
                projected = projector.project(row, versions);
            } catch (InvalidInputException e) {
                skip(e.getMessage());
                return;
            }
            if (gate == null && versions.sourceTime() > 0) {
                // A global store's records keep their Kafka timestamp (Kafka Streams does not apply the
                // timestamp extractor to global topics): the source time comes from the row itself.
                sourceTime = versions.sourceTime();
            }
            byte[] version = versions.version();
            if (version != null && ReferenceTable.isStale(version, current(key, record.timestamp()), versionField)) {
                if (versions.deleted()) {
                    skippedDeletes.add(key);
                }
                staleRows.run();
                return;
            }
            if (!skippedDeletes.isEmpty()) {
                skippedDeletes.remove(key);
            }
            stored = versions.deleted() ? ReferenceTable.deletedValue(record.timestamp(), version, true) : projected;
        }
        if (versioned) {
            versionedStore.put(key, stored, record.timestamp());
        } else {
            store.put(key, stored);
        }
        rowTimes.accept(sourceTime);
    }

    /**
     * What the store holds for {@code key}: the latest value, or for a versioned store the version valid at
     * {@code time} (a re-sent row is put at its original time, where it would replace a newer version of the same
     * commit second).
     */
    private byte[] current(Bytes key, long time) {
        if (!versioned) {
            return store.get(key);
        }
        VersionedRecord<byte[]> version = versionedStore.get(key, time);
        return version == null ? null : version.value();
    }

    private void skip(String why) {
        String position = context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown position");
        log.warn("Join '{}': skipped table record {} because {}; the store is unchanged",
                joinName, position, why);
    }
}
