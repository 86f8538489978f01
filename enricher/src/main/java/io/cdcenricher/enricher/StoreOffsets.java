package io.cdcenricher.enricher;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads where a stopped RocksDB store would resume reading its topic, without Kafka Streams.
 *
 * <p>Since Kafka 4.3 (KIP-1035) a RocksDB store keeps its changelog offsets itself, in a column family named
 * {@code offsets}: key = {@code TopicPartition.toString()} in UTF-8, value = the offset as 8 bytes big-endian (Kafka's
 * {@code LongSerializer}); other keys there hold the store's status and position. Opened read-only, while the state
 * directory's lock is held, so no running instance can be disturbed. A store written by an older Kafka (offsets in a
 * {@code .checkpoint} file) has no such column family and yields nothing.
 */
final class StoreOffsets {

    private static final byte[] OFFSETS_COLUMN_FAMILY = "offsets".getBytes(StandardCharsets.UTF_8);

    private StoreOffsets() {
    }

    /** The stored offset per topic partition of the RocksDB store in {@code storeDir}; empty when it has none. */
    static Map<TopicPartition, Long> read(Path storeDir) throws RocksDBException {
        if (!Files.isRegularFile(storeDir.resolve("CURRENT"))) {
            return Map.of();
        }
        RocksDB.loadLibrary();
        List<byte[]> families;
        try (Options options = new Options()) {
            families = RocksDB.listColumnFamilies(options, storeDir.toString());
        }
        int offsetsIndex = -1;
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] family : families) {
            if (Arrays.equals(family, OFFSETS_COLUMN_FAMILY)) {
                offsetsIndex = descriptors.size();
            }
            descriptors.add(new ColumnFamilyDescriptor(family));
        }
        if (offsetsIndex < 0) {
            return Map.of();
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.openReadOnly(options, storeDir.toString(), descriptors, handles)) {
            try (RocksIterator it = db.newIterator(handles.get(offsetsIndex))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    TopicPartition partition = topicPartition(new String(it.key(), StandardCharsets.UTF_8));
                    if (partition != null && it.value().length == Long.BYTES) {
                        offsets.put(partition, ByteBuffer.wrap(it.value()).getLong());
                    }
                }
            }
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
        return offsets;
    }

    /** {@code topic-3} as a partition, or null for the column family's other keys. */
    static TopicPartition topicPartition(String key) {
        int dash = key.lastIndexOf('-');
        if (dash <= 0 || dash == key.length() - 1) {
            return null;
        }
        try {
            return new TopicPartition(key.substring(0, dash), Integer.parseInt(key.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
