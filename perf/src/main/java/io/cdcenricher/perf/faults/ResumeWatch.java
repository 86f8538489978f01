package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.Poll;
import io.cdcenricher.ops.PollTimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a user sees after an enricher fault: how long until the output flows again. Opened on the output topic before
 * the fault (at its committed end, read_committed as a downstream consumer reads), it waits until every output
 * partition holds a committed record of an event sent after the fault, and reports the worst partition's delay.
 * The delay is the record's timestamp, which is the broker's LogAppendTime on the output topic, minus the moment of
 * the fault, so how often this reader polls, or that it reads only after the victim is back, does not inflate it.
 * Every partition must be covered: the instance that survived keeps its own partitions flowing, so the figure is set
 * by the partitions that had to move or wait for the restarted instance.
 */
final class ResumeWatch implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    private ResumeWatch(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        this.consumer = consumer;
        this.partitions = partitions;
    }

    /** A reader at the committed end of {@code topic} now: call it before the fault, so nothing after it is missed. */
    static ResumeWatch atEndOf(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy: resolve the positions now, before the fault, not at the first poll after it
            partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
            return new ResumeWatch(consumer, partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * Waits until every partition has a committed record of an event sent after {@code sinceMs}; returns the largest
     * delay over the partitions (a record's LogAppendTime minus {@code sinceMs}). Throws after {@code timeout} naming
     * the partitions still silent; {@code what} says which fault, for that message. {@code meanwhile} runs between
     * polls (the harness standing in for the instances' supervisor).
     */
    long awaitResumed(long sinceMs, Duration timeout, String what, Runnable meanwhile) {
        Resumption resumption = new Resumption(sinceMs, partitions.size());
        try {
            Poll.until(what + ": a committed record on every output partition", timeout, Duration.ZERO, () -> {
                meanwhile.run();
                return resumption.complete() || readOnce(resumption);
            });
        } catch (PollTimeoutException e) {
            throw new IllegalStateException(what + ": output partitions other than " + resumption.resumed()
                    + " got no committed record of an event sent after it within " + timeout.toSeconds() + " s", e);
        }
        return resumption.worstDelayMs();
    }

    /** One poll's records offered to {@code resumption}; false, so that the next look judges them. */
    private boolean readOnce(Resumption resumption) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
                throw new IllegalStateException(record.topic() + " has " + record.timestampType()
                        + ": the resume time needs LogAppendTime (the broker's clock, not the producer's)");
            }
            resumption.offer(record.partition(), record.timestamp(), record.value());
        }
        return false;
    }

    @Override
    public void close() {
        consumer.close();
    }

    /**
     * The book-keeping of one wait, apart from the broker so it can be tested on its own: per partition, the append
     * time of its first record of an event sent after the fault.
     */
    static final class Resumption {
        private final long sinceMs;
        private final int partitionCount;
        private final Map<Integer, Long> firstAppendMs = new TreeMap<>();

        Resumption(long sinceMs, int partitionCount) {
            this.sinceMs = sinceMs;
            this.partitionCount = partitionCount;
        }

        /** One output record; records of events sent before the fault, and values that are no event, are skipped. */
        void offer(int partition, long appendMs, byte[] value) {
            OptionalLong sent = sentOf(value);
            if (sent.isPresent() && sent.getAsLong() > sinceMs) {
                firstAppendMs.putIfAbsent(partition, appendMs);
            }
        }

        boolean complete() {
            return firstAppendMs.size() >= partitionCount;
        }

        TreeSet<Integer> resumed() {
            return new TreeSet<>(firstAppendMs.keySet());
        }

        /** The delay of the partition that resumed last; only meaningful once {@link #complete()}. */
        long worstDelayMs() {
            return firstAppendMs.values().stream().mapToLong(at -> at - sinceMs).max().orElse(-1);
        }
    }

    /** The {@code sent} field (epoch ms) of an event or of its enriched form; empty for anything else. */
    static OptionalLong sentOf(byte[] value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            JsonNode event = JSON.readTree(value);
            if (event == null) {
                return OptionalLong.empty();
            }
            JsonNode sent = event.path("sent");
            return sent.isIntegralNumber() && sent.canConvertToLong() ? OptionalLong.of(sent.asLong())
                    : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
