package io.cdcenricher.perf.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.JoinConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Keeps a load test on a shared cluster from doing harm. It never creates or deletes a topic unless asked
 * ({@code --create-topics}, and then only the missing ones among events, output and dead letters; it never deletes),
 * and it refuses to write to a topic the enricher reads as a table, which three checks catch:
 * <ol>
 *   <li>with the enricher's own config ({@code --enricher-config}): the events topic must be the one the enricher
 *       reads events from, and none of its join topics, heartbeat topics, output or dead-letter topic;</li>
 *   <li>always: a compacted topic ({@code cleanup.policy} with {@code compact}, as every Debezium table topic here
 *       is), an internal one ({@code __...}) or a Debezium heartbeat topic is refused;</li>
 *   <li>always: the last record of each partition must not look like a CDC row (a flattened Debezium row with
 *       {@code __op}, {@code __deleted}, {@code __source_ts_ms}, ..., a Debezium envelope with {@code before},
 *       {@code after}, {@code source} and {@code op}, or a Connect JSON {@code schema}/{@code payload} pair).</li>
 * </ol>
 * With {@code --enricher-url} the running enricher's {@code /status.json} names its table topics too
 * ({@link #tableTopicsOf}); the config or the URL is the certain check, so the README asks for one of them on a shared
 * cluster; the other two catch a mistyped topic name without either.
 */
public final class TopicGuard {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DEBEZIUM_FIELDS = Set.of("__op", "__deleted", "__source_ts_ms", "__table", "__db",
            "__ts_ms", "__lsn", "__source_file", "__source_pos");

    /** The topics of the enricher's config file, as far as the load test cares. */
    public record EnricherTopics(String events, String output, String deadLetter, Map<String, String> tableOfJoin,
                                 Set<String> heartbeats) {

        /** Reads the enricher's YAML with the enricher's own loader (so it is validated as the enricher would). */
        public static EnricherTopics read(Path yaml) throws IOException {
            EnricherConfig config = EnricherConfigLoader.parse(Files.readString(yaml, StandardCharsets.UTF_8));
            Map<String, String> tables = new java.util.LinkedHashMap<>();
            Set<String> heartbeats = new LinkedHashSet<>();
            for (JoinConfig join : config.joins()) {
                tables.put(join.name(), join.topic());
                if (join.capture() != null && join.capture().heartbeatTopic() != null) {
                    heartbeats.add(join.capture().heartbeatTopic());
                }
            }
            return new EnricherTopics(config.topics().events(), config.topics().output(), config.topics().deadLetter(),
                    tables, heartbeats);
        }
    }

    private TopicGuard() {
    }

    /**
     * The reason the events topic must not be written to, or empty when it may.
     *
     * @param cleanupPolicy the topic's {@code cleanup.policy}
     * @param sampleValues  the last record value of each partition (non-null ones)
     */
    public static Optional<String> refusal(String eventsTopic, Optional<EnricherTopics> enricher, String cleanupPolicy,
                                           List<byte[]> sampleValues) {
        if (enricher.isPresent()) {
            EnricherTopics e = enricher.get();
            for (Map.Entry<String, String> join : e.tableOfJoin().entrySet()) {
                if (join.getValue().equals(eventsTopic)) {
                    return Optional.of(eventsTopic + " is the table topic of the enricher's join '" + join.getKey()
                            + "': writing events into it would corrupt the table");
                }
            }
            if (e.heartbeats().contains(eventsTopic)) {
                return Optional.of(eventsTopic + " is a Debezium heartbeat topic the enricher reads");
            }
            if (eventsTopic.equals(e.output()) || eventsTopic.equals(e.deadLetter())) {
                return Optional.of(eventsTopic + " is the enricher's " + (eventsTopic.equals(e.output()) ? "output" : "dead-letter")
                        + " topic, not its events topic (" + e.events() + ")");
            }
            if (!eventsTopic.equals(e.events())) {
                return Optional.of("the enricher reads its events from " + e.events() + ", not " + eventsTopic
                        + ": the load would never reach it");
            }
        }
        if (eventsTopic.startsWith("__")) {
            return Optional.of(eventsTopic + " is an internal topic (its name starts with __)");
        }
        if (cleanupPolicy != null && cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            return Optional.of(eventsTopic + " is compacted (cleanup.policy=" + cleanupPolicy
                    + "): a table topic, not an event stream");
        }
        for (byte[] value : sampleValues) {
            Optional<String> row = cdcRow(value);
            if (row.isPresent()) {
                return Optional.of(eventsTopic + " holds CDC rows (its last record " + row.get() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * The table topics a running enricher names in its {@code /status.json} ({@code joins[].topic}): with
     * {@code --enricher-url} and no config file, what the tool must never write to.
     */
    public static Set<String> tableTopicsOf(String statusJson) throws IOException {
        Set<String> topics = new LinkedHashSet<>();
        for (JsonNode join : JSON.readTree(statusJson).path("joins")) {
            if (join.path("topic").isTextual()) {
                topics.add(join.path("topic").asText());
            }
        }
        return topics;
    }

    /** Why a record value looks like a CDC row, or empty. */
    static Optional<String> cdcRow(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            return Optional.empty(); // not JSON (Avro, text): no verdict from the content
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        for (String field : DEBEZIUM_FIELDS) {
            if (node.has(field)) {
                return Optional.of("has Debezium's " + field + " field");
            }
        }
        if (node.has("before") && node.has("after") && node.has("source") && node.has("op")) {
            return Optional.of("is a Debezium change envelope");
        }
        if (node.has("schema") && node.has("payload")) {
            return Optional.of("is a Kafka Connect JSON record with schema and payload");
        }
        return Optional.empty();
    }

    /**
     * Makes sure the topics exist: creates the missing ones when {@code create} (with {@code partitions} and the
     * broker's default replication), fails naming them otherwise. Returns the events topic's partition count.
     */
    public static int ensureExist(Admin admin, Collection<String> topics, boolean create, int partitions,
                                  Consumer<String> progress) throws Exception {
        List<String> missing = new ArrayList<>();
        for (String topic : topics) {
            if (describe(admin, topic).isEmpty()) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            if (!create) {
                throw new IllegalArgumentException("missing topic" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                        + ": perf/load creates topics only with --create-topics");
            }
            List<NewTopic> newTopics = missing.stream().map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())).toList();
            admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
            progress.accept("created " + String.join(", ", missing) + " (" + partitions + " partition"
                    + (partitions == 1 ? "" : "s") + ", the broker's default replication), as --create-topics asked");
        }
        return describe(admin, topics.iterator().next()).orElseThrow().partitions().size();
    }

    /** The topic's {@code cleanup.policy}. */
    public static String cleanupPolicy(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        var entry = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return entry == null ? "" : entry.value();
    }

    /** The last record value of each partition of {@code topic}, read within a few seconds. */
    public static List<byte[]> lastValues(Properties clientProperties, String topic) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-enricher-load-guard");
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<TopicPartition> nonEmpty = partitions.stream().filter(tp -> end.get(tp) > begin.get(tp)).toList();
            if (nonEmpty.isEmpty()) {
                return values;
            }
            consumer.assign(nonEmpty);
            nonEmpty.forEach(tp -> consumer.seek(tp, end.get(tp) - 1));
            Set<TopicPartition> seen = new java.util.HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seen.size() < nonEmpty.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (seen.add(new TopicPartition(record.topic(), record.partition())) && record.value() != null) {
                        values.add(record.value());
                    }
                }
            }
        }
        return values;
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic) throws Exception {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
