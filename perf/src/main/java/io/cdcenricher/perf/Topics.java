package io.cdcenricher.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.ops.Poll;
import io.cdcenricher.ops.PollTimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Topic facts the harness measures with: end offsets, the first and last record times, sampled value sizes. */
final class Topics {

    private Topics() {
    }

    /** Sum of the end offsets of all partitions; -1 when the topic does not exist (yet). */
    static long endOffsetSum(Admin admin, String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return -1;
            }
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out reading the end offsets of " + topic, e);
        }
    }

    /** Records between the first and the last record of a window over all partitions of a topic, and their times. */
    record Window(long records, long firstMillis, long lastMillis) {
        double seconds() {
            return Math.max(1, lastMillis - firstMillis) / 1000.0;
        }
    }

    /** The whole topic. */
    static Window window(String bootstrap, String topic) {
        return window(bootstrap, topic, 0);
    }

    /**
     * The topic without the first {@code skipFraction} of each partition's records (the warm-up): the window starts
     * at the record at that offset and ends at the last record.
     */
    static Window window(String bootstrap, String topic, double skipFraction) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "read_uncommitted")) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long records = 0;
            for (TopicPartition tp : partitions) {
                if (end.get(tp) <= begin.get(tp)) {
                    continue;
                }
                long from = begin.get(tp) + (long) Math.floor((end.get(tp) - begin.get(tp)) * skipFraction);
                from = Math.min(from, end.get(tp) - 1);
                records += end.get(tp) - from;
                first = Math.min(first, readOne(consumer, tp, from, false).timestamp());
                last = Math.max(last, readLast(consumer, tp, begin.get(tp), end.get(tp)).timestamp());
            }
            if (first == Long.MAX_VALUE) {
                throw new IllegalStateException(topic + " is empty");
            }
            return new Window(records, first, last);
        }
    }

    /** Up to {@code max} values from the start of the topic. */
    static List<byte[]> sample(String bootstrap, String topic, int max) {
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "read_uncommitted")) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // A sample: whatever was read within 20 s will do.
            Poll.upTo("a sample of " + topic, Duration.ofSeconds(20), Duration.ZERO, () -> {
                if (values.size() >= max || partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    return true;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (values.size() < max && record.value() != null) {
                        values.add(record.value());
                    }
                }
                return false;
            }, enough -> enough);
        }
        return values;
    }

    static double averageSize(List<byte[]> values) {
        return values.stream().mapToInt(v -> v.length).average().orElse(0);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** How far before the end {@link #readLast} starts: more than the commit markers that can end a partition. */
    private static final int LAST_RECORD_TAIL = 1_000;

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "perf-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static ConsumerRecord<byte[], byte[]> readOne(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
                                                          long offset, boolean lastOne) {
        consumer.seek(tp, offset);
        try {
            return Poll.until(tp + " at offset " + offset, Duration.ofSeconds(20), Duration.ZERO,
                    () -> pick(consumer.poll(Duration.ofMillis(200)).records(tp), lastOne), Objects::nonNull);
        } catch (PollTimeoutException e) {
            throw new IllegalStateException("cannot read " + tp + " at offset " + offset, e);
        }
    }

    /**
     * The last record before {@code end}. A transactional producer (exactly-once) ends a partition with commit
     * markers, which take offsets but no poll returns, so the tail is read up to the end instead of one offset.
     */
    private static ConsumerRecord<byte[], byte[]> readLast(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
                                                           long begin, long end) {
        consumer.seek(tp, Math.max(begin, end - LAST_RECORD_TAIL));
        List<ConsumerRecord<byte[], byte[]>> last = new ArrayList<>(1);
        try {
            Poll.until(tp + " up to offset " + end, Duration.ofSeconds(20), Duration.ZERO, () -> {
                ConsumerRecord<byte[], byte[]> newest = pick(consumer.poll(Duration.ofMillis(200)).records(tp), true);
                if (newest != null) {
                    last.clear();
                    last.add(newest);
                }
                return !last.isEmpty() && consumer.position(tp) >= end;
            }, Boolean::booleanValue);
        } catch (PollTimeoutException e) {
            throw new IllegalStateException("cannot read " + tp + " up to offset " + end, e);
        }
        return last.get(0);
    }

    /** The first record of a poll, or its last one; {@code null} when the poll returned none. */
    private static ConsumerRecord<byte[], byte[]> pick(List<ConsumerRecord<byte[], byte[]>> records, boolean last) {
        return records.isEmpty() ? null : records.get(last ? records.size() - 1 : 0);
    }
}
