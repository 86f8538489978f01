package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.BrokerCheckException;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reads, at start-up, where the partitioned joins' tables end and where the application left them: the offsets a
 * {@link StartupGate} waits for. For each table partition, the offset of its last data record now (below the
 * read_committed end offset; transaction markers are skipped) and the application's committed offset on it.
 * Failures are {@link BrokerCheckException}s.
 */
public final class StartupGateCapture {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final String CLIENT_ID = "enricher-startup-gate";

    private StartupGateCapture() {
    }

    /**
     * The start-up gate of {@code config}'s partitioned joins, open when there are none.
     *
     * @param admin        an Admin client the caller owns
     * @param streamsProps the application's Kafka Streams properties (the tail of each partition is read with a
     *                     consumer configured like the application's global consumer)
     */
    public static StartupGate capture(Admin admin, Properties streamsProps, EnricherConfig config) {
        List<String> tables = config.joins().stream().filter(JoinConfig::isPartitioned).map(JoinConfig::topic)
                .distinct().toList();
        if (tables.isEmpty()) {
            return StartupGate.open();
        }
        Map<TopicPartition, Long> begin = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        Map<TopicPartition, Long> committed = new HashMap<>();
        try {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(tables).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((topic, description) -> description.partitions().forEach(p -> {
                        earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                        latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                    }));
            ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin
                    .listOffsets(earliest, readCommitted).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet()) {
                begin.put(e.getKey(), e.getValue().offset());
            }
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin
                    .listOffsets(latest, readCommitted).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet()) {
                end.put(e.getKey(), e.getValue().offset());
            }
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = admin
                    .listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            groupOffsets.forEach((partition, offset) -> {
                if (offset != null) {
                    committed.put(partition, offset.offset());
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerCheckException("cannot read the end offsets of the partitioned tables " + tables + ": "
                    + (e.getCause() != null ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerCheckException("interrupted while reading the end offsets of the partitioned tables");
        }
        Map<TopicPartition, Long> lastData = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(tailReaderProperties(streamsProps),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                Long last = lastDataOffset(consumer, e.getKey(), begin.getOrDefault(e.getKey(), 0L), e.getValue());
                if (last != null) {
                    lastData.put(e.getKey(), last);
                }
            }
        }
        return StartupGate.atStartup(lastData, committed);
    }

    /** A read_committed consumer outside the application's group: it must not commit or join anything. */
    private static Properties tailReaderProperties(Properties streamsProps) {
        Properties consumerProps = new Properties();
        consumerProps.putAll(new StreamsConfig(streamsProps).getGlobalConsumerConfigs(CLIENT_ID));
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return consumerProps;
    }

    /**
     * The offset of the last record a read_committed consumer delivers below {@code end}, or null when there is
     * none. Reads a growing tail window ({@code 1, 16, 256, ...} offsets) so that trailing transaction markers and
     * aborted records are stepped over without reading the whole partition.
     */
    private static Long lastDataOffset(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long begin,
                                       long end) {
        if (end <= begin) {
            return null;
        }
        consumer.assign(List.of(partition));
        long window = 1;
        while (true) {
            long from = Math.max(begin, end - window);
            consumer.seek(partition, from);
            Long last = null;
            long deadline = System.currentTimeMillis() + ADMIN_TIMEOUT.toMillis();
            while (consumer.position(partition) < end) {
                if (System.currentTimeMillis() > deadline) {
                    throw new BrokerCheckException("cannot read the tail of table partition " + partition);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                    if (record.offset() < end) {
                        last = record.offset();
                    }
                }
            }
            if (last != null || from == begin) {
                return last;
            }
            window *= 16;
        }
    }
}
