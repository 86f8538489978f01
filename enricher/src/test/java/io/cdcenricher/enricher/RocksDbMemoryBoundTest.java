package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.rocksdb.BoundedRocksDbMemory;
import java.nio.file.Path;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real topology's RocksDB stores, global and partitioned (versioned) alike, share the one memory of
 * {@code rocksdbMemory}, and closing the application frees it: a process that starts many clients (a rebuild, the
 * tests) keeps no native cache of the clients it closed.
 */
class RocksDbMemoryBoundTest {

    /** A bound no other test uses, so that the count below is this topology's stores only. */
    private static final long BOUND = 17L * 1024 * 1024;

    private static final String YAML = """
            applicationId: enricher-test
            bootstrapServers: 127.0.0.1:9
            rocksdbMemory: 17MB
            topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
            joins:
              - {name: customer, topic: demo.shop.customers, foreignKey: customerId, fields: [name]}
              - {name: product, topic: demo.shop.products, foreignKey: productId, fields: [title],
                 materialization: partitioned, partitions: 3, versioned: {historyRetention: 7d}}
            """;

    @TempDir
    Path stateDir;

    @Test
    void globalAndPartitionedStoresShareTheBoundUntilTheApplicationCloses() {
        try (EnricherFixture fixture = new EnricherFixture(YAML, stateDir)) {
            fixture.customer("42", "{\"id\":42,\"name\":\"Ada\"}")
                    .table(EnricherFixture.PRODUCTS, "p-9", "{\"id\":\"p-9\",\"title\":\"Lamp\"}")
                    .event("o-1", "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\"}");

            assertThat(fixture.output()).containsExactly(KeyValue.pair("o-1",
                    "{\"type\":\"create\",\"customerId\":42,\"productId\":\"p-9\",\"customer\":{\"name\":\"Ada\"},"
                            + "\"product\":{\"title\":\"Lamp\"},\"enrichment\":{\"customer\":\"hit\",\"product\":\"hit\"}}"));
            assertThat(BoundedRocksDbMemory.storesSharing(BOUND))
                    .as("the global customer store and the partitioned, versioned product store")
                    .isGreaterThanOrEqualTo(2);
        }
        assertThat(BoundedRocksDbMemory.storesSharing(BOUND)).as("after the application closed").isZero();
    }
}
