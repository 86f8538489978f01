package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * Which local state survives a start against a cluster, decided on real folders and real RocksDB stores written in
 * Kafka Streams 4.3's layout ({@code <state.dir>/<app>/global/rocksdb/<store>}, task folders {@code 0_0}, offsets in
 * the {@code offsets} column family). The real-stack proof is {@code LocalStateRecoveryIT}.
 */
class LocalStateGuardTest {

    private static final String CUSTOMERS = "shop.customers";
    private static final String PRODUCTS = "shop.products";
    private static final String CHANGELOG = "guard-test-gate-product-changelog";
    private static final Uuid CUSTOMERS_ID = Uuid.randomUuid();
    private static final Uuid PRODUCTS_ID = Uuid.randomUuid();
    private static final Uuid CHANGELOG_ID = Uuid.randomUuid();

    @TempDir
    Path stateDir;

    private LocalStateGuard guard;
    private Path app;

    @BeforeEach
    void setUp() {
        EnricherConfig config = EnricherConfigLoader.parse("""
                applicationId: guard-test
                bootstrapServers: 127.0.0.1:9092
                kafka: {state.dir: %s}
                topics: {events: e, output: o, deadLetter: d}
                joins:
                  - {name: customer, topic: %s, foreignKey: customerId, fields: [name]}
                  - {name: product, topic: %s, foreignKey: productId, fields: [title], materialization: partitioned}
                """.formatted(stateDir, CUSTOMERS, PRODUCTS));
        guard = new LocalStateGuard(config);
        app = stateDir.resolve("guard-test");
    }

    private static LocalStateGuard.ClusterView cluster(String id, Uuid customers, Uuid products, Uuid changelog) {
        Map<String, Uuid> ids = new java.util.HashMap<>(Map.of(CUSTOMERS, customers, PRODUCTS, products));
        if (changelog != null) {
            ids.put(CHANGELOG, changelog);
        }
        return new LocalStateGuard.ClusterView(id, ids, Map.of(
                new TopicPartition(CUSTOMERS, 0), new LocalStateGuard.OffsetRange(0, 100),
                new TopicPartition(PRODUCTS, 0), new LocalStateGuard.OffsetRange(0, 50)));
    }

    private static LocalStateGuard.ClusterView original() {
        return cluster("cluster-a", CUSTOMERS_ID, PRODUCTS_ID, CHANGELOG_ID);
    }

    /** A global store at offset {@code customersOffset} and a partitioned one at 40, recorded against cluster-a. */
    private void builtAgainstOriginal(long customersOffset) throws Exception {
        guard.verify(original());
        writeStore(app.resolve("global/rocksdb/reference-customer"),
                Map.of(new TopicPartition(CUSTOMERS, 0), customersOffset));
        writeStore(app.resolve("0_0/rocksdb/reference-product"), Map.of(new TopicPartition(PRODUCTS, 0), 40L));
    }

    @Test
    void stateThatMatchesTheClusterIsKept() throws Exception {
        builtAgainstOriginal(100);

        assertThat(guard.verify(original())).isEmpty();
        assertThat(app.resolve("global/rocksdb/reference-customer")).isDirectory();
        assertThat(app.resolve("0_0/rocksdb/reference-product")).isDirectory();
    }

    @Test
    void stateFromAnotherClusterIsRemovedEvenWhenItsOffsetsFit() throws Exception {
        builtAgainstOriginal(100);

        List<String> warnings = guard.verify(cluster("cluster-b", Uuid.randomUuid(), Uuid.randomUuid(), null));

        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w)
                .contains("it was built from cluster cluster-a but the broker belongs to cluster cluster-b"));
        assertThat(warnings.get(0)).contains("store reference-customer (join customer)");
        assertThat(app.resolve("global")).doesNotExist();
        assertThat(app.resolve("0_0")).doesNotExist();
        assertThat(guard.verify(cluster("cluster-b", CUSTOMERS_ID, PRODUCTS_ID, null))).as("recorded anew").isEmpty();
    }

    @Test
    void aRecreatedGlobalTableTopicRemovesOnlyTheGlobalStores() throws Exception {
        builtAgainstOriginal(100);
        Uuid recreated = Uuid.randomUuid();

        List<String> warnings = guard.verify(cluster("cluster-a", recreated, PRODUCTS_ID, CHANGELOG_ID));

        assertThat(warnings).singleElement().asString().contains("Rebuilding global store reference-customer (join customer)")
                .contains("topic " + CUSTOMERS + " was deleted and recreated").contains(recreated.toString());
        assertThat(app.resolve("global")).doesNotExist();
        assertThat(app.resolve("0_0/rocksdb/reference-product")).isDirectory();
    }

    @Test
    void aRecreatedPartitionedTableTopicRemovesTheTaskStores() throws Exception {
        builtAgainstOriginal(100);

        List<String> warnings = guard.verify(cluster("cluster-a", CUSTOMERS_ID, Uuid.randomUuid(), CHANGELOG_ID));

        assertThat(warnings).singleElement().asString().contains("store reference-product (join product)")
                .contains("topic " + PRODUCTS + " was deleted and recreated");
        assertThat(app.resolve("0_0")).doesNotExist();
        assertThat(app.resolve("global/rocksdb/reference-customer")).isDirectory();
    }

    @Test
    void internalTopicsGoneMeanTheApplicationWasResetAndTheTaskStoresGoToo() throws Exception {
        builtAgainstOriginal(100);

        List<String> warnings = guard.verify(cluster("cluster-a", CUSTOMERS_ID, PRODUCTS_ID, null));

        assertThat(warnings).singleElement().asString().contains("internal topic " + CHANGELOG + " no longer exists");
        assertThat(app.resolve("0_0")).doesNotExist();
    }

    @Test
    void aStoreBeyondItsTopicsEndIsRemoved() throws Exception {
        builtAgainstOriginal(120);

        List<String> warnings = guard.verify(original());

        assertThat(warnings).singleElement().asString().contains("store reference-customer (join customer)")
                .contains("it resumes at offset 120 of " + CUSTOMERS + "-0, outside the topic's range [0, 100]");
        assertThat(app.resolve("global")).doesNotExist();
        assertThat(app.resolve("0_0/rocksdb/reference-product")).isDirectory();
    }

    @Test
    void stateWithoutARecordOfItsOriginIsRemoved() throws Exception {
        writeStore(app.resolve("global/rocksdb/reference-customer"), Map.of(new TopicPartition(CUSTOMERS, 0), 1L));

        assertThat(guard.verify(original())).singleElement().asString().contains("no record of the cluster");
        assertThat(app.resolve("global")).doesNotExist();
    }

    @Test
    void stateLockedByARunningInstanceIsNotTouched() throws Exception {
        builtAgainstOriginal(120);
        try (FileChannel channel = FileChannel.open(app.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            assertThat(guard.verify(cluster("cluster-b", CUSTOMERS_ID, PRODUCTS_ID, null))).isEmpty();
        }
        assertThat(app.resolve("global/rocksdb/reference-customer")).isDirectory();
    }

    @Test
    void storeOffsetsAreReadFromTheOffsetsColumnFamily() throws Exception {
        Path store = stateDir.resolve("store");
        writeStore(store, Map.of(new TopicPartition("a-b.c", 3), 42L));

        assertThat(StoreOffsets.read(store)).isEqualTo(Map.of(new TopicPartition("a-b.c", 3), 42L));
        assertThat(StoreOffsets.read(stateDir.resolve("no-store"))).isEmpty();
    }

    /** A RocksDB store as Kafka Streams 4.3 writes it: offsets, status and position in the offsets column family. */
    private static void writeStore(Path dir, Map<TopicPartition, Long> offsets) throws Exception {
        Files.createDirectories(dir);
        RocksDB.loadLibrary();
        List<ColumnFamilyDescriptor> families = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                new ColumnFamilyDescriptor("offsets".getBytes(StandardCharsets.UTF_8)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(options, dir.toString(), families, handles)) {
            db.put(handles.get(1), bytes("status"), ByteBuffer.allocate(8).putLong(0L).array());
            db.put(handles.get(1), bytes("position"), new byte[] {0, 1, 2});
            for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                db.put(handles.get(1), bytes(e.getKey().toString()), ByteBuffer.allocate(8).putLong(e.getValue()).array());
            }
            db.put(handles.get(0), bytes("row"), bytes("value"));
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
