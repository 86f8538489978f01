package io.cdcenricher.enricher.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.config.JoinConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Debezium heartbeat topics the joins name and reports each heartbeat's time to {@link CaptureLag}, on
 * its own thread with its own consumer (no group, no committed offsets: only the newest heartbeat matters, so each
 * partition is read from its last record on).
 *
 * <p>Why outside the topology: every instance must see every heartbeat (a partitioned table is spread over the
 * instances, the heartbeat topic is not), and a heartbeat topic appears only after the connector's first
 * heartbeat, which must not keep the enricher from starting. A topic that does not exist yet is looked for again
 * every few seconds and named in {@code /health} meanwhile.
 *
 * <p>It also logs each change of a join's verdict (lag beyond its bound, and back), once per change.
 */
public final class HeartbeatReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatReader.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CaptureLag lag;
    private final Map<String, List<String>> joinsByTopic = new LinkedHashMap<>();
    private final Set<String> missing = new LinkedHashSet<>();
    private final Set<String> exceeded = new HashSet<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;

    private HeartbeatReader(Map<String, Object> consumerProperties, List<JoinConfig> joins, CaptureLag lag) {
        this.lag = lag;
        for (JoinConfig join : joins) {
            if (join.capture().hasHeartbeats()) {
                joinsByTopic.computeIfAbsent(join.capture().heartbeatTopic(), t -> new ArrayList<>()).add(join.name());
            }
        }
        missing.addAll(joinsByTopic.keySet());
        this.consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "enricher-heartbeats");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the heartbeat topics of {@code joins} with the client settings of {@code streamsProperties}
     * (bootstrap servers, security); empty when no join names a heartbeat topic.
     */
    public static Optional<HeartbeatReader> start(List<JoinConfig> joins, Properties streamsProperties,
                                                  String clientId, CaptureLag lag) {
        if (joins.stream().noneMatch(join -> join.capture().hasHeartbeats())) {
            return Optional.empty();
        }
        HeartbeatReader reader = new HeartbeatReader(consumerProperties(streamsProperties, clientId), joins, lag);
        reader.thread.start();
        return Optional.of(reader);
    }

    /** The consumer settings among the streams properties, for a consumer that belongs to no group. */
    static Map<String, Object> consumerProperties(Properties streamsProperties, String clientId) {
        Map<String, Object> props = new LinkedHashMap<>();
        Set<String> known = ConsumerConfig.configNames();
        streamsProperties.forEach((key, value) -> {
            if (known.contains(key.toString())) {
                props.put(key.toString(), value);
            }
        });
        for (String groupKey : List.of(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG)) {
            props.remove(groupKey);
        }
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return props;
    }

    private void run() {
        long lookAgainAt = 0;
        try {
            while (!closed) {
                if (!missing.isEmpty() && System.currentTimeMillis() >= lookAgainAt) {
                    assignTopicsThatExist();
                    lookAgainAt = System.currentTimeMillis() + LOOK_AGAIN.toMillis();
                }
                if (consumer.assignment().isEmpty()) {
                    closing.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    pollOnce();
                }
                logVerdictChanges();
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Heartbeat reader stopped; capture lag now counts rows only", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                long time = heartbeatTime(record.value(), record.timestamp());
                for (String join : joinsByTopic.getOrDefault(record.topic(), List.of())) {
                    lag.observed(join, time);
                }
            }
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // The broker gone or a topic deleted: the lag grows meanwhile, which is what /health should see.
            log.warn("Reading heartbeats failed ({}); retrying", e.toString());
            awaitClosing(LOOK_AGAIN);
        }
    }

    private void assignTopicsThatExist() {
        Set<TopicPartition> added = new HashSet<>();
        for (String topic : List.copyOf(missing)) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, LOOK_AGAIN);
            } catch (KafkaException e) {
                partitions = List.of();
            }
            if (partitions == null || partitions.isEmpty()) {
                String problem = "heartbeat topic '" + topic + "' does not exist (yet): is heartbeat.interval.ms set "
                        + "in the connector, and is this its topic?";
                joinsByTopic.get(topic).forEach(join -> lag.heartbeatProblem(join, problem));
                continue;
            }
            partitions.forEach(p -> added.add(new TopicPartition(p.topic(), p.partition())));
            missing.remove(topic);
            joinsByTopic.get(topic).forEach(join -> lag.heartbeatProblem(join, null));
            log.info("Reading heartbeats of join(s) {} from {}", joinsByTopic.get(topic), topic);
        }
        if (added.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>(consumer.assignment());
        all.addAll(added);
        consumer.assign(all);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(added);
        consumer.endOffsets(added).forEach((partition, end) ->
                consumer.seek(partition, Math.max(begin.getOrDefault(partition, 0L), end - 1)));
    }

    /** A Debezium heartbeat's {@code ts_ms} (JSON value), else the record's timestamp (e.g. an Avro value). */
    static long heartbeatTime(byte[] value, long recordTimestamp) {
        if (value != null) {
            try {
                JsonNode time = JSON.readTree(value).path("ts_ms");
                if (time.canConvertToLong() && time.asLong() > 0) {
                    return time.asLong();
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: the record time is when Connect wrote it, close enough for a heartbeat
            }
        }
        return recordTimestamp;
    }

    private void logVerdictChanges() {
        Set<String> now = new HashSet<>();
        for (CaptureLag.Exceeded e : lag.exceeded()) {
            now.add(e.join());
            if (!exceeded.contains(e.join())) {
                log.warn("Join '{}': capture lag {} exceeds maxCaptureLag {} ({}); /health reports DEGRADED",
                        e.join(), CaptureLag.seconds(e.lag()), CaptureLag.seconds(e.bound()), e.reason());
            }
        }
        for (String join : exceeded) {
            if (!now.contains(join)) {
                log.info("Join '{}': capture lag back within bound ({})", join, CaptureLag.seconds(lag.lag(join)));
            }
        }
        exceeded.clear();
        exceeded.addAll(now);
    }

    private void awaitClosing(Duration timeout) {
        try {
            closing.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
