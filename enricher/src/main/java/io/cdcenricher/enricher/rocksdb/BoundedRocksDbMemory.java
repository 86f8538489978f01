package io.cdcenricher.enricher.rocksdb;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.Options;

/**
 * Kafka Streams' {@code rocksdb.config.setter} that bounds the memory of every RocksDB store of the process by one
 * number, the documented Kafka Streams pattern for bounded memory: all stores (global tables, partitioned tables,
 * versioned stores, the wait buffer) share one block cache that also holds their index and filter blocks (with high
 * priority), and one write buffer manager charged to that cache, so memtables count against the same
 * bound. Without it each store has its own 50 MB block cache and up to three 16 MB memtables, and memory grows with
 * the number of stores and tasks.
 *
 * <p>The bound is the streams property {@value #BOUND_CONFIG} (bytes), which {@code EnricherConfig} sets from the
 * configuration key {@code rocksdbMemory}. Kafka Streams creates one setter per store and closes it with the store;
 * the setter counts the store in and out of {@link SharedRocksDbMemory}.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The streams property holding the bound in bytes. */
    public static final String BOUND_CONFIG = "cdc.enricher.rocksdb.memory.bytes";

    private SharedRocksDbMemory memory;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        memory = SharedRocksDbMemory.acquire(boundOf(configs));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        // Index and filter blocks in the cache (not on the heap of each table reader, unbounded), with priority,
        // the top level of partitioned indexes pinned: the three settings RocksDB's memory guide pairs with a
        // shared cache.
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        // Every enrichment is a point read of one key. A hash index inside each data block finds the key without the
        // binary search over the block's restart points (RocksDB's data block hash index); range scans still use
        // the binary index, so stores that scan are unaffected.
        table.setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash);
        table.setDataBlockHashTableUtilRatio(0.75);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(memory.writeBuffers());
    }

    @Override
    public void close(String storeName, Options options) {
        if (memory != null) {
            memory.release();
            memory = null;
        }
    }

    /** How many open stores of this process share the memory of {@code boundBytes}; 0 once the last one closed. */
    public static int storesSharing(long boundBytes) {
        return SharedRocksDbMemory.storesSharing(boundBytes);
    }

    /** The shared memory this setter's store uses; {@code null} before it opened and after it closed. */
    SharedRocksDbMemory memory() {
        return memory;
    }

    /** The bound in bytes, from the streams properties. */
    static long boundOf(Map<String, Object> configs) {
        Object value = configs.get(BOUND_CONFIG);
        if (value == null) {
            throw new IllegalStateException(BoundedRocksDbMemory.class.getSimpleName() + " needs the streams "
                    + "property " + BOUND_CONFIG + " (the enricher sets it from rocksdbMemory)");
        }
        long bytes;
        try {
            bytes = Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(BOUND_CONFIG + " must be a number of bytes (was '" + value + "')", e);
        }
        if (bytes <= 0) {
            throw new IllegalStateException(BOUND_CONFIG + " must be positive (was " + bytes + ")");
        }
        return bytes;
    }
}
