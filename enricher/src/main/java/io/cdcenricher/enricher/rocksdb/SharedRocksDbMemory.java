package io.cdcenricher.enricher.rocksdb;

import java.util.HashMap;
import java.util.Map;
import org.rocksdb.Cache;
import org.rocksdb.HyperClockCache;
import org.rocksdb.WriteBufferManager;

/**
 * The block cache and the write buffer manager that every RocksDB store of the process shares, one pair per bound,
 * counted by the stores that use it: the first store to open creates it, the last one to close frees it. A
 * KafkaStreams client that is closed and replaced in the same JVM (a rebuild, a test starting many) therefore leaves
 * no native cache behind, and the next client starts with a fresh one.
 *
 * <p>Closing the Java objects only drops this side's reference: RocksDB keeps the cache alive for as long as an
 * open database still uses it, so a store that is closed late never reads freed memory.
 */
final class SharedRocksDbMemory {

    /** Let RocksDB size the cache's table from the entries it sees (HyperClockCache's automatic mode). */
    private static final long AUTOMATIC_ENTRY_CHARGE = 0;
    /** Let RocksDB choose the number of shards from the capacity. */
    private static final int AUTOMATIC_SHARD_BITS = -1;
    /** Share of the bound the write buffers (memtables) of all stores may use before RocksDB flushes the largest. */
    static final double WRITE_BUFFER_SHARE = 0.5;

    private static final Map<Long, SharedRocksDbMemory> BY_BOUND = new HashMap<>();

    private final long boundBytes;
    private final Cache cache;
    private final WriteBufferManager writeBuffers;
    private int stores;
    private boolean closed;

    private SharedRocksDbMemory(long boundBytes) {
        this.boundBytes = boundBytes;
        // Not a strict limit: with one, a read that needs a block while the cache is full of pinned blocks fails
        // (RocksDB returns Incomplete), which would stop the task. The bound holds in steady state; see the README.
        // HyperClockCache, not LRUCache: every enrichment is a point read that looks up an index and a data block in
        // this cache, and the LRU cache takes a shard mutex and relinks its list on every hit. On this project's
        // machine a cached point read of a 1M-row store took 3.5-4.2 us with this cache against 5.0-6.2 us with the
        // LRU cache (perf/reports/2026-12-03-full/README.md). Index and filter blocks are still inserted with high
        // priority (cacheIndexAndFilterBlocksWithHighPriority), which this cache keeps longer than data blocks.
        this.cache = new HyperClockCache(boundBytes, AUTOMATIC_ENTRY_CHARGE, AUTOMATIC_SHARD_BITS, false);
        // Charged to the cache: memtable memory evicts cached blocks instead of coming on top of them. Stalling writes
        // while the memtables are over their share keeps them there until a flush frees it; without the stall, three
        // databases writing into a 16 MB bound reached 19 MB (BoundedRocksDbMemoryTest).
        this.writeBuffers = new WriteBufferManager((long) (boundBytes * WRITE_BUFFER_SHARE), cache, true);
    }

    /** The shared memory of {@code boundBytes}, counted for one more store. */
    static synchronized SharedRocksDbMemory acquire(long boundBytes) {
        SharedRocksDbMemory memory = BY_BOUND.computeIfAbsent(boundBytes, SharedRocksDbMemory::new);
        memory.stores++;
        return memory;
    }

    /** How many open stores use the memory of {@code boundBytes}; 0 when none does. */
    static synchronized int storesSharing(long boundBytes) {
        SharedRocksDbMemory memory = BY_BOUND.get(boundBytes);
        return memory == null ? 0 : memory.stores;
    }

    /** One store no longer uses this memory; the last one frees it. */
    void release() {
        synchronized (SharedRocksDbMemory.class) {
            if (closed) {
                return;
            }
            stores--;
            if (stores == 0) {
                BY_BOUND.remove(boundBytes);
                writeBuffers.close();
                cache.close();
                closed = true;
            }
        }
    }

    Cache cache() {
        return cache;
    }

    WriteBufferManager writeBuffers() {
        return writeBuffers;
    }

    long boundBytes() {
        return boundBytes;
    }

    /** How many open stores use this memory. */
    int stores() {
        synchronized (SharedRocksDbMemory.class) {
            return stores;
        }
    }

    /** Whether the last store has released it (its native objects are freed). */
    boolean isClosed() {
        synchronized (SharedRocksDbMemory.class) {
            return closed;
        }
    }
}
