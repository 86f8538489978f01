package io.cdcenricher.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenricher.enricher.rocksdb.BoundedRocksDbMemory;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** {@code rocksdbMemory}: one key bounds RocksDB's memory, and the enricher wires the bound into Kafka Streams. */
class RocksDbMemoryConfigTest {

    private static final String MINIMAL = """
            applicationId: enricher-demo
            bootstrapServers: 127.0.0.1:9092
            topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
            joins:
              - {name: customer, topic: demo.shop.customers, foreignKey: customerId}
            """;

    @Test
    void defaultsTo256MbAndWiresTheSetterWithTheBound() {
        EnricherConfig config = EnricherConfigLoader.parse(MINIMAL);
        Properties props = config.streamsProperties();

        assertThat(config.rocksdbMemory()).isEqualTo(256L * 1024 * 1024);
        assertThat(props).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
                        BoundedRocksDbMemory.class.getName())
                .containsEntry(BoundedRocksDbMemory.BOUND_CONFIG, Long.toString(256L * 1024 * 1024));
    }

    @Test
    void readsASizeWithItsUnit() {
        EnricherConfig config = EnricherConfigLoader.parse(MINIMAL + "rocksdbMemory: 1GB\n");

        assertThat(config.rocksdbMemory()).isEqualTo(1024L * 1024 * 1024);
        assertThat(config.streamsProperties()).containsEntry(BoundedRocksDbMemory.BOUND_CONFIG, "1073741824");
    }

    @Test
    void rejectsTooSmallOrUnreadableBoundsNamingTheKey() {
        assertThatThrownBy(() -> EnricherConfigLoader.parse(MINIMAL + "rocksdbMemory: 8MB\n"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("rocksdbMemory: must be at least 16MB");
        assertThatThrownBy(() -> EnricherConfigLoader.parse(MINIMAL + "rocksdbMemory: plenty\n"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("rocksdbMemory: must be a positive size like");
    }

    @Test
    void aConfigSetterUnderKafkaReplacesTheEnrichersOwn() {
        Properties props = EnricherConfigLoader.parse(MINIMAL + "kafka: {rocksdb.config.setter: com.example.Mine}\n")
                .streamsProperties();

        assertThat(props).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Mine");
    }
}
