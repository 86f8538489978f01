package io.cdcenricher.enricher.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The setter on real RocksDB options and databases: every store gets the one shared cache and write buffer
 * manager, memtables are charged to that cache and stay within the bound, and the last store to close frees it.
 */
class BoundedRocksDbMemoryTest {

    private static final long MB = 1024L * 1024;

    static {
        RocksDB.loadLibrary();
    }

    /** Options as Kafka Streams hands them to the setter: with a block-based table config already set. */
    private static Options storeOptions() {
        return new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig());
    }

    private static Map<String, Object> configs(long bound) {
        return Map.of(BoundedRocksDbMemory.BOUND_CONFIG, Long.toString(bound));
    }

    @Test
    void everyStoreSharesOneCacheAndWriteBufferManagerWithIndexAndFilterBlocksInIt() {
        long bound = 16 * MB + 1;
        BoundedRocksDbMemory first = new BoundedRocksDbMemory();
        BoundedRocksDbMemory second = new BoundedRocksDbMemory();
        try (Options firstOptions = storeOptions(); Options secondOptions = storeOptions()) {
            first.setConfig("customer", firstOptions, configs(bound));
            second.setConfig("product", secondOptions, configs(bound));

            assertThat(first.memory()).isSameAs(second.memory());
            assertThat(first.memory().boundBytes()).isEqualTo(bound);
            assertThat(firstOptions.writeBufferManager()).isSameAs(secondOptions.writeBufferManager())
                    .isSameAs(first.memory().writeBuffers());
            BlockBasedTableConfig table = (BlockBasedTableConfig) firstOptions.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            assertThat(BoundedRocksDbMemory.storesSharing(bound)).isEqualTo(2);

            first.close("customer", firstOptions);
            second.close("product", secondOptions);
        }
    }

    @Test
    void theLastStoreToCloseFreesTheMemoryAndTheNextStoreGetsAFreshOne() {
        long bound = 16 * MB + 2;
        BoundedRocksDbMemory first = new BoundedRocksDbMemory();
        BoundedRocksDbMemory second = new BoundedRocksDbMemory();
        try (Options firstOptions = storeOptions(); Options secondOptions = storeOptions()) {
            first.setConfig("a", firstOptions, configs(bound));
            second.setConfig("b", secondOptions, configs(bound));
            SharedRocksDbMemory shared = first.memory();

            first.close("a", firstOptions);
            assertThat(shared.isClosed()).as("still used by the second store").isFalse();
            first.close("a", firstOptions);
            assertThat(shared.stores()).as("a second close of the same store counts once").isEqualTo(1);

            second.close("b", secondOptions);
            assertThat(shared.isClosed()).isTrue();
            assertThat(BoundedRocksDbMemory.storesSharing(bound)).isZero();

            BoundedRocksDbMemory reopened = new BoundedRocksDbMemory();
            try (Options reopenedOptions = storeOptions()) {
                reopened.setConfig("a", reopenedOptions, configs(bound));
                assertThat(reopened.memory()).isNotSameAs(shared);
                assertThat(reopened.memory().isClosed()).isFalse();
                reopened.close("a", reopenedOptions);
            }
        }
    }

    @Test
    void memtablesOfSeveralDatabasesAreChargedToTheSharedCacheAndStayWithinTheBound(@TempDir Path dir)
            throws RocksDBException {
        long bound = 16 * MB + 3;
        List<BoundedRocksDbMemory> setters = new ArrayList<>();
        List<Options> options = new ArrayList<>();
        List<RocksDB> databases = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
                Options storeOptions = storeOptions();
                setter.setConfig("store-" + i, storeOptions, configs(bound));
                setters.add(setter);
                options.add(storeOptions);
                databases.add(RocksDB.open(storeOptions, dir.resolve("store-" + i).toString()));
            }
            SharedRocksDbMemory shared = setters.get(0).memory();
            byte[] value = new byte[1024];
            Arrays.fill(value, (byte) 'x');

            writeRows(databases.get(0), 0, 2_000, value);
            assertThat(shared.cache().getUsage()).as("2 MB in a memtable is charged to the shared cache")
                    .isGreaterThanOrEqualTo(MB);

            long peak = 0;
            for (int round = 0; round < 16; round++) {
                writeRows(databases.get(round % 3), round * 2_000, 2_000, value);
                peak = Math.max(peak, shared.cache().getUsage());
            }
            assertThat(peak).as("48 MB written into three databases with a 16 MB bound").isLessThanOrEqualTo(bound);
        } finally {
            databases.forEach(RocksDB::close);
            for (int i = 0; i < setters.size(); i++) {
                setters.get(i).close("store-" + i, options.get(i));
                options.get(i).close();
            }
        }
        assertThat(BoundedRocksDbMemory.storesSharing(bound)).isZero();
    }

    private static void writeRows(RocksDB db, int from, int count, byte[] value) throws RocksDBException {
        for (int i = from; i < from + count; i++) {
            db.put(("row-" + i).getBytes(StandardCharsets.UTF_8), value);
        }
    }

    @Test
    void theBoundComesFromTheStreamsPropertiesAndIsRequired() {
        assertThat(BoundedRocksDbMemory.boundOf(Map.of(BoundedRocksDbMemory.BOUND_CONFIG, "268435456")))
                .isEqualTo(256 * MB);
        assertThat(BoundedRocksDbMemory.boundOf(Map.of(BoundedRocksDbMemory.BOUND_CONFIG, 1024L))).isEqualTo(1024);
        assertThatThrownBy(() -> BoundedRocksDbMemory.boundOf(Map.of()))
                .hasMessageContaining(BoundedRocksDbMemory.BOUND_CONFIG).hasMessageContaining("rocksdbMemory");
        assertThatThrownBy(() -> BoundedRocksDbMemory.boundOf(Map.of(BoundedRocksDbMemory.BOUND_CONFIG, "lots")))
                .hasMessageContaining("must be a number of bytes (was 'lots')");
        assertThatThrownBy(() -> BoundedRocksDbMemory.boundOf(Map.of(BoundedRocksDbMemory.BOUND_CONFIG, "0")))
                .hasMessageContaining("must be positive");
    }
}
