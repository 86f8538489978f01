package io.cdcenricher.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The age of the newest record on each of a connector's topics, read from the data itself (the last offset of every
 * partition), for the person judging whether changes still arrive. It is shown, not judged: a table nobody changes
 * has an old last record and is fine.
 */
final class TopicAges {

    private TopicAges() {
    }

    /** One line per topic: {@code topic T: last record 4 s ago (2026-12-02T03:50:01Z)}, {@code empty}, or why unknown. */
    static List<String> describe(String bootstrapServers, List<String> topics, Instant now) {
        List<String> lines = new ArrayList<>();
        if (topics.isEmpty()) {
            lines.add("topics: Connect lists none written by this connector yet");
            return lines;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (String topic : topics) {
                lines.add("topic " + topic + ": " + lastRecord(consumer, topic, now));
            }
        } catch (KafkaException e) {
            lines.add("topics: cannot read " + bootstrapServers + " (" + e.getMessage() + ")");
        }
        return lines;
    }

    private static String lastRecord(KafkaConsumer<byte[], byte[]> consumer, String topic, Instant now) {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(5))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
            Map<TopicPartition, Long> last = new HashMap<>();
            ends.forEach((partition, end) -> {
                if (end > 0) {
                    last.put(partition, end - 1);
                }
            });
            if (last.isEmpty()) {
                return "empty";
            }
            consumer.assign(last.keySet());
            last.forEach(consumer::seek);
            Map<TopicPartition, Long> newestOf = new HashMap<>();
            // Best effort: whatever was read within 5 s is shown, the rest is "unknown".
            Poll.upTo("the last record of every partition of " + topic, Duration.ofSeconds(5), Duration.ZERO, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    newestOf.merge(new TopicPartition(record.topic(), record.partition()), record.timestamp(),
                            Math::max);
                }
                return newestOf.size();
            }, seen -> seen >= last.size());
            long newest = newestOf.values().stream().mapToLong(Long::longValue).max().orElse(-1);
            if (newest < 0) {
                return "unknown (the last record could not be read within 5 s)";
            }
            Instant at = Instant.ofEpochMilli(newest);
            return "last record " + age(Duration.between(at, now)) + " ago (" + at + ")";
        } catch (KafkaException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        return seconds / 3600 + " h";
    }
}
