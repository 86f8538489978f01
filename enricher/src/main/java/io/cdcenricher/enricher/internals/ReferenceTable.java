package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.EnrichmentMetrics;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.config.StoreType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;

/**
 * A reference table held as a store: key = canonical key text (UTF-8), value = a one-byte marker followed, for a
 * live row, by the JSON object to splice into events, and for a deleted row by the deletion time. A row or
 * deletion marker with a known {@link RowVersion} keeps it too, so a re-sent older version is never stored over a
 * newer one:
 * <pre>
 *   live row:  ROW (1) + JSON                   | VERSIONED_ROW (2) + JSON + version + version length (1 byte)
 *   deleted:   DELETED (0) [+ time (8 bytes)]   | DELETED (0) + time + kind (own or inherited, 1 byte) + version
 * </pre>
 * Values written before versions were kept (no version, or a one-byte deletion marker) are read as before and
 * have no version: the next row replaces them whatever its version.
 *
 * <p>Rows are stored already projected and serialized, so a hit costs one lookup and one array copy. A deleted
 * row keeps a {@link #DELETED} marker with the tombstone's timestamp, so a lookup can tell {@code deleted} from
 * {@code miss} for {@code deletedRetention} after the deletion; later it reports {@code miss}. The marker also
 * disappears when compaction removes the tombstone from the topic and the store is rebuilt from it.
 */
public final class ReferenceTable {

    /** Marker of a live row: the rest of the value is its JSON object. */
    static final byte ROW = 1;
    /** Marker of a live row with a version: JSON object, version bytes, then the version's length (one byte). */
    static final byte VERSIONED_ROW = 2;
    /**
     * Marker of a deleted row: followed by the deletion time (epoch millis, 8 bytes big-endian) and, when known, the
     * version of the delete (that of a rewritten delete record, else of the row it deleted).
     */
    static final byte DELETED = 0;
    /** After a deletion marker's time: the version that follows is the one of the row the tombstone deleted. */
    private static final byte INHERITED_VERSION = 0;
    /** After a deletion marker's time: the version that follows is the delete's own (a rewritten delete record). */
    private static final byte OWN_VERSION = 1;
    /** Marker plus deletion time. A one-byte marker (written before the time was kept) never expires. */
    private static final int DELETED_VALUE_LENGTH = 1 + Long.BYTES;

    private ReferenceTable() {
    }

    /** The store name of a join's table, also usable for interactive queries. */
    public static String storeName(JoinConfig join) {
        return "reference-" + join.name();
    }

    /**
     * Adds the join's table as a global store. This {@code addGlobalStore} variant re-runs
     * {@link ReferenceRowUpdater} on restore too, so the store never holds unprocessed topic bytes. Table records
     * are timestamped by their source commit time ({@link SourceTimestampExtractor}), which deletion markers keep.
     */
    static void addTo(StreamsBuilder builder, JoinConfig join) {
        addTo(builder, join, () -> RowDecoder.JSON, EnrichmentMetrics.NONE);
    }

    /**
     * As {@link #addTo(StreamsBuilder, JoinConfig)}, with rows turned into JSON by {@code decoders} first and their
     * source times reported to {@code metrics}.
     */
    static void addTo(StreamsBuilder builder, JoinConfig join, java.util.function.Supplier<RowDecoder> decoders,
                      EnrichmentMetrics metrics) {
        Topic<byte[], byte[]> topic = Topic.bytes(join.topic());
        builder.addGlobalStore(storeBuilder(join), topic.name(),
                topic.consumed().withTimestampExtractor(new SourceTimestampExtractor()),
                () -> new ReferenceRowUpdater(join, null, decoders.get(), metrics));
    }

    /**
     * Adds a partitioned join's table as a per-task store fed by {@link ReferenceRowUpdater} from the table topic,
     * and gives {@code lookupProcessor} access to it (which puts the table topic and the join's repartition topic
     * in one sub-topology: partition i of both lands in task i).
     *
     * <p>Why {@code addReadOnlyStateStore}: it uses the compacted table topic itself as the store's changelog, so
     * there is no second copy of the table, and a lost store (a new instance, a task moved, EOS wiping a dirty
     * store) is rebuilt from the table topic up to the committed offset before any event of the task is
     * processed, after which the updater resumes from that offset: nothing is missed. The alternative,
     * {@code addStateStore(...withLoggingDisabled())} plus {@code stream(table).process(updater)}, is NOT correct:
     * a lost store would come back empty while the table topic's committed offset stays where it was, so every
     * row written before it would be missing until it changed again. (With logging enabled it would be correct but
     * would write a changelog topic that duplicates the table.)
     *
     * <p>The price: restoration copies the topic's raw records into the store without running the updater. For a
     * partitioned join that is still usable, because co-partitioning already requires plain-text table keys (so
     * the raw key is the canonical key text) and a lookup projects a raw row on the fly ({@link #isRawRow}); a
     * raw tombstone deletes the key instead of leaving a marker, so after a restore a deleted row reports
     * {@code miss}, as it would once compaction removed the tombstone.
     */
    static void addPartitionedTo(Topology topology, JoinConfig join, String lookupProcessor, StartupGate gate,
                                 EnrichmentMetrics metrics) {
        String updater = updaterName(join);
        topology.addStateStore(PartitionedLookupProcessor.gateStoreBuilder(join), lookupProcessor);
        if (join.isVersioned()) {
            addVersionedTo(topology, join, lookupProcessor, gate, metrics);
            return;
        }
        topology.addReadOnlyStateStore(storeBuilder(join), "table-source-" + join.name(),
                new SourceTimestampExtractor(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), join.topic(),
                updater, () -> new ReferenceRowUpdater(join, gate, RowDecoder.JSON, metrics));
        topology.connectProcessorAndStateStores(lookupProcessor, storeName(join));
    }

    /** The processor that writes a partitioned table's store (it runs in the lookup's task). */
    static String updaterName(JoinConfig join) {
        return "table-update-" + join.name();
    }

    /**
     * Adds a versioned partitioned table (KIP-889): a RocksDB versioned store with the join's history retention,
     * fed by {@link ReferenceRowUpdater} at each record's source commit time, looked up as of the event time.
     *
     * <p>Why not {@code addReadOnlyStateStore} (the table topic as the changelog) as for the latest-row table:
     * restoring a versioned store from its changelog stamps each version with the changelog record's Kafka
     * timestamp. Restored from the table topic itself, the versions would be valid from when Connect wrote them, not
     * from {@code __source_ts_ms} (our extractor's time is not applied on restore), and a restore would copy raw
     * rows. So this store has its own changelog topic ({@code <applicationId>-reference-<join>-changelog}), which
     * the updater's puts write with the source commit time as the record timestamp: a restored store answers
     * as-of lookups exactly like the store it replaces. The price is a second copy of the table on the broker (the
     * changelog is compacted; the versioned store also keeps history in RocksDB up to {@code historyRetention}).
     * A lost store is rebuilt from that changelog, and the table topic's committed offset resumes after it: nothing
     * is missed.
     */
    private static void addVersionedTo(Topology topology, JoinConfig join, String lookupProcessor,
                                       StartupGate gate, EnrichmentMetrics metrics) {
        String source = "table-source-" + join.name();
        topology.addSource(AutoOffsetReset.earliest(), source, new SourceTimestampExtractor(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), join.topic());
        topology.addProcessor(updaterName(join), () -> new ReferenceRowUpdater(join, gate, RowDecoder.JSON, metrics),
                source);
        topology.addStateStore(Stores.versionedKeyValueStoreBuilder(
                        Stores.persistentVersionedKeyValueStore(storeName(join), join.versioned().historyRetention()),
                        Serdes.Bytes(), Serdes.ByteArray()),
                updaterName(join), lookupProcessor);
        // Present with grace 0 too (it stays empty): lowering the grace to 0 then releases what is still held.
        topology.addStateStore(GraceBuffer.storeBuilder(join), lookupProcessor);
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(JoinConfig join) {
        String name = storeName(join);
        KeyValueBytesStoreSupplier supplier = join.store() == StoreType.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
        // Both kinds are restored from their source topic; a changelog would only duplicate it.
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled();
    }

    /** The stored value for a row deleted by a tombstone with this timestamp. */
    static byte[] deletedValue(long deletedAt) {
        return deletedValue(deletedAt, null, false);
    }

    /**
     * The stored value for a row deleted at {@code deletedAt}: with the delete's own {@code version} (a rewritten
     * delete record, {@code ownVersion}), or the version of the row it deleted (a tombstone), or none (null).
     */
    static byte[] deletedValue(long deletedAt, byte[] version, boolean ownVersion) {
        int length = DELETED_VALUE_LENGTH + (version == null ? 0 : 1 + version.length);
        ByteBuffer value = ByteBuffer.allocate(length).put(DELETED).putLong(deletedAt);
        if (version != null) {
            value.put(ownVersion ? OWN_VERSION : INHERITED_VERSION).put(version);
        }
        return value.array();
    }

    /**
     * The deletion a tombstone at {@code deletedAt} leaves over {@code stored}: it keeps the version (and its kind)
     * of a deletion marker (the rewritten delete the tombstone follows), or inherits the version of the row it
     * deletes (raw rows included, read with {@code versionField}).
     */
    static byte[] deletionOver(byte[] stored, long deletedAt, String versionField) {
        boolean own = isDeletion(stored) && stored.length > DELETED_VALUE_LENGTH
                && stored[DELETED_VALUE_LENGTH] == OWN_VERSION;
        return deletedValue(deletedAt, versionOf(stored, versionField), own);
    }

    /**
     * Whether a table record of {@code version} is a re-sent older version of what {@code stored} holds, and must
     * not replace it. An equal version is stale against a row and against a delete's own version; against the
     * version a tombstone inherited from the row it deleted, only an older one is: the same version again is either
     * that row re-sent before its tombstone is re-sent too, or the row inserted again after a re-sent tombstone,
     * and only the second must stay.
     */
    static boolean isStale(byte[] version, byte[] stored, String versionField) {
        if (version == null || stored == null || stored.length == 0) {
            return false;
        }
        boolean inherited = isDeletion(stored) && stored.length > DELETED_VALUE_LENGTH
                && stored[DELETED_VALUE_LENGTH] == INHERITED_VERSION;
        return RowVersion.isStale(version, versionOf(stored, versionField), !inherited);
    }

    private static boolean isDeletion(byte[] stored) {
        return stored != null && stored.length > 0 && stored[0] == DELETED;
    }

    /**
     * The version kept with a stored value: a versioned row's or a deletion marker's; a raw row's (a partitioned
     * store restored from its table topic) read from its JSON with {@code versionField}; null when there is none.
     */
    static byte[] versionOf(byte[] stored, String versionField) {
        if (stored == null || stored.length == 0) {
            return null;
        }
        if (stored[0] == VERSIONED_ROW) {
            int length = stored[stored.length - 1] & 0xff;
            return Arrays.copyOfRange(stored, stored.length - 1 - length, stored.length - 1);
        }
        if (stored[0] == DELETED) {
            return stored.length > DELETED_VALUE_LENGTH + 1
                    ? Arrays.copyOfRange(stored, DELETED_VALUE_LENGTH + 1, stored.length) : null;
        }
        return stored[0] == ROW ? null : RowVersion.of(stored, versionField);
    }

    /** The length of the JSON object of a projected stored row (it starts at index 1). */
    static int jsonLength(byte[] stored) {
        return stored[0] == VERSIONED_ROW ? stored.length - 2 - (stored[stored.length - 1] & 0xff)
                : stored.length - 1;
    }

    /**
     * The status of a stored value for an event with timestamp {@code eventTime}: {@code miss} when there is no
     * value or a deletion marker older than {@code deletedRetentionMs}, {@code deleted} for a newer marker,
     * {@code hit} for a row (projected, or raw after a restore: see {@link #isRawRow}).
     */
    static JoinStatus statusOf(byte[] stored, long eventTime, long deletedRetentionMs) {
        if (stored == null || stored.length == 0) {
            return JoinStatus.MISS;
        }
        if (stored[0] != DELETED) {
            return JoinStatus.HIT;
        }
        if (stored.length < DELETED_VALUE_LENGTH) {
            return JoinStatus.DELETED;
        }
        long deletedAt = ByteBuffer.wrap(stored, 1, Long.BYTES).getLong();
        return eventTime - deletedAt > deletedRetentionMs ? JoinStatus.MISS : JoinStatus.DELETED;
    }

    /**
     * Whether a row is the table topic's raw value rather than our projected form: a partitioned store restored
     * from its source topic holds raw values until the row changes again. A JSON text never starts with the
     * marker bytes 0, 1 or 2.
     */
    static boolean isRawRow(byte[] stored) {
        return stored[0] != ROW && stored[0] != DELETED && stored[0] != VERSIONED_ROW;
    }
}
