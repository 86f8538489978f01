package io.cdcenricher.enricher.internals;

import java.util.OptionalLong;

import io.cdcenricher.enricher.config.JoinConfig;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How many entries a join's store holds on this instance, through interactive queries as
 * {@link StoreTableQueries} reaches the stores: the whole table for a global join, the partitions of this
 * instance's tasks for a partitioned one.
 */
public final class StoreSizes {

    private StoreSizes() {
    }

    /**
     * Kafka Streams' {@code approximateNumEntries} of {@code join}'s store: exact in memory; RocksDB's estimate
     * otherwise, which counts deletion markers and may count a key written twice until compaction merges it.
     * Counting exactly would read the whole store on every look. Empty while the store cannot be queried
     * (starting, rebalancing) and for a versioned store, which offers no count.
     */
    public static OptionalLong approximateEntries(KafkaStreams streams, JoinConfig join) {
        if (join.isVersioned()) {
            return OptionalLong.empty();
        }
        try {
            ReadOnlyKeyValueStore<Bytes, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ReferenceTable.storeName(join), QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
            return OptionalLong.of(store.approximateNumEntries());
        } catch (InvalidStateStoreException e) {
            return OptionalLong.empty();
        }
    }
}
