package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.config.StoreType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * A reference table held as a global store: key = canonical key text (UTF-8), value = a one-byte marker
 * followed, for a live row, by the JSON object to splice into events.
 *
 * <p>Rows are stored already projected and serialized, so a hit costs one lookup and one array copy. A deleted
 * row keeps a {@link #DELETED} marker so a later lookup can tell {@code deleted} from {@code miss}; the marker
 * disappears when compaction removes the tombstone from the topic and the store is rebuilt from it.
 */
public final class ReferenceTable {

    /** Marker of a live row: the rest of the value is its JSON object. */
    static final byte ROW = 1;
    /** Marker of a deleted row: the value is this single byte. */
    static final byte DELETED = 0;

    private static final byte[] DELETED_VALUE = {DELETED};

    private ReferenceTable() {
    }

    /** The store name of a join's table, also usable for interactive queries. */
    public static String storeName(JoinConfig join) {
        return "reference-" + join.name();
    }

    /**
     * Adds the join's table as a global store. This {@code addGlobalStore} variant re-runs
     * {@link ReferenceRowUpdater} on restore too, so the store never holds unprocessed topic bytes.
     */
    static void addTo(StreamsBuilder builder, JoinConfig join) {
        Topic<byte[], byte[]> topic = Topic.bytes(join.topic());
        builder.addGlobalStore(storeBuilder(join), topic.name(), topic.consumed(),
                () -> new ReferenceRowUpdater(join));
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(JoinConfig join) {
        String name = storeName(join);
        KeyValueBytesStoreSupplier supplier = join.store() == StoreType.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
        // Global stores are restored from their source topic; a changelog would only duplicate it.
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled();
    }

    static byte[] deletedValue() {
        return DELETED_VALUE;
    }

    static boolean isDeleted(byte[] stored) {
        return stored[0] == DELETED;
    }
}
