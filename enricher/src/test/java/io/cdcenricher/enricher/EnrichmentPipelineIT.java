package io.cdcenricher.enricher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product end to end on real processes: MariaDB INSERT, UPDATE and DELETE travel through the Debezium MariaDB
 * connector into compacted topics, the enricher (the same topology the jar runs, with exactly-once) joins them into
 * order events, and the enriched topic shows each change in the events that follow it.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class EnrichmentPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private String database;
    private String events;
    private String output;
    private String deadLetter;

    @TempDir
    Path stateDir;

    private Stack stack;
    private KafkaStreams streams;
    private KafkaProducer<String, String> producer;
    private int probe;

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
    }

    /** Both materializations on the same real data: global stores and co-partitioned local stores. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"global", "partitioned"})
    void insertUpdateAndDeleteInMariaDbShowInTheEventsThatFollow(String materialization, Stack stack) throws Exception {
        this.stack = stack;
        database = "pipeline_" + materialization;
        events = database + ".orders";
        output = database + ".orders.enriched";
        deadLetter = database + ".orders.dlq";
        String serverId = materialization.equals("global") ? "5402" : "5403";
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db,
                    "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "CREATE TABLE " + database + ".products (id VARCHAR(20) PRIMARY KEY, title VARCHAR(50), price DECIMAL(10,2))",
                    "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'gold')",
                    "INSERT INTO " + database + ".products VALUES ('p-1', 'Lamp', 12.50)");
        }
        stack.connectors(Map.of("CDC_DATABASE_NAME", database, "CDC_TOPIC_PREFIX", "pipeline",
                        "CDC_DATABASE_SERVER_ID", serverId))
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), Duration.ofSeconds(90));
        stack.createTopics(2, Map.of(), events, output, deadLetter);
        stack.awaitTopics(Duration.ofSeconds(60), "pipeline." + database + ".customers", "pipeline." + database + ".products");

        startEnricher(stack, materialization);
        producer = new KafkaProducer<>(stack.producerProperties(), new StringSerializer(), new StringSerializer());

        try (TopicReader enriched = new TopicReader(stack.settings().bootstrapServers(), output)) {
            send("o-1", "create", 1, "p-1");
            send("o-1", "update", 1, "p-1");
            List<JsonNode> first = values(enriched.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 2));
            JsonNode created = first.get(0);
            assertThat(created.path("id").asText()).isEqualTo("o-1");
            assertThat(created.path("customer").path("name").asText()).isEqualTo("Ada");
            assertThat(created.path("customer").path("tier").asText()).isEqualTo("gold");
            assertThat(created.path("product").path("title").asText()).isEqualTo("Lamp");
            assertThat(created.path("enrichment").path("customer").asText()).isEqualTo("hit");
            assertThat(created.path("enrichment").path("product").asText()).isEqualTo("hit");
            JsonNode updated = first.get(1);
            assertThat(updated.path("type").asText()).as("order per entity").isEqualTo("update");
            assertThat(updated.path("enrichment").path("product").asText()).isEqualTo("skipped");

            execute("UPDATE customers SET tier = 'platinum' WHERE id = 1");
            List<JsonNode> afterUpdate = probeUntil(enriched,
                    e -> "platinum".equals(e.path("customer").path("tier").asText()));
            assertMonotonic(afterUpdate, e -> "platinum".equals(e.path("customer").path("tier").asText()));

            execute("DELETE FROM customers WHERE id = 1");
            List<JsonNode> afterDelete = probeUntil(enriched,
                    e -> "deleted".equals(e.path("enrichment").path("customer").asText()));
            JsonNode gone = afterDelete.get(afterDelete.size() - 1);
            assertThat(gone.path("customer").isNull()).as("no stale row after the DELETE").isTrue();
            assertThat(gone.path("enrichment").path("product").asText()).isEqualTo("hit");
        }
        try (TopicReader deadLetters = new TopicReader(stack.settings().bootstrapServers(), deadLetter)) {
            assertThat(deadLetters.readUntil(Duration.ofSeconds(2), seen -> true)).isEmpty();
        }
    }

    /**
     * CDC is eventually consistent: send a create event every 200 ms until one shows the change. All probes are
     * read back, so a stale row reappearing after the change would be seen by {@link #assertMonotonic}.
     */
    private List<JsonNode> probeUntil(TopicReader output, Predicate<JsonNode> changed) throws Exception {
        List<JsonNode> probes = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String id = "probe-" + (++probe);
            send(id, "create", 1, "p-1");
            List<JsonNode> all = values(output.readUntil(Duration.ofSeconds(30),
                    seen -> seen.stream().anyMatch(r -> new String(r.key(), StandardCharsets.UTF_8).equals(id))));
            probes.clear();
            all.stream().filter(e -> e.path("id").asText().startsWith("probe-")).forEach(probes::add);
            return changed.test(probes.get(probes.size() - 1));
        });
        return List.copyOf(probes);
    }

    /** Once an event has seen the change, no later event (in produce order) may see the old row again. */
    private static void assertMonotonic(List<JsonNode> events, Predicate<JsonNode> changed) {
        boolean seen = false;
        for (JsonNode event : events) {
            seen |= changed.test(event);
            if (seen) {
                assertThat(changed.test(event)).as("stale enrichment after the change: " + event).isTrue();
            }
        }
    }

    private void startEnricher(Stack stack, String materialization) throws Exception {
        EnricherConfig config = EnricherConfigLoader.parse("""
                applicationId: pipeline-it-%s
                bootstrapServers: %s
                kafka:
                  state.dir: %s
                  commit.interval.ms: 100
                topics:
                  events: %s
                  output: %s
                  deadLetter: %s
                joins:
                  - name: customer
                    topic: pipeline.%s.customers
                    foreignKey: customerId
                    fields: [name, tier]
                    materialization: %s
                  - name: product
                    topic: pipeline.%s.products
                    foreignKey: productId
                    fields: [title, price]
                    materialization: %s
                    appliesTo: [create]
                """.formatted(materialization, stack.settings().bootstrapServers(), stateDir, events, output, deadLetter,
                database, materialization, database, materialization));
        assertThat(config.streamsProperties().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        // The jar's start-up path: topics checked, partitioned joins given the broker's partition counts.
        config = BrokerChecks.requireTopics(config.streamsProperties(), config);
        streams = new KafkaStreams(EnrichmentTopology.build(config, TopologyOptions.defaults()), config.streamsProperties());
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    private void send(String key, String type, int customerId, String productId) throws Exception {
        String event = "{\"type\":\"%s\",\"id\":\"%s\",\"customerId\":%d,\"productId\":\"%s\",\"amount\":12.5}"
                .formatted(type, key, customerId, productId);
        producer.send(new ProducerRecord<>(events, key, event)).get(10, TimeUnit.SECONDS);
    }

    private void execute(String statement) throws Exception {
        try (Connection db = stack.mariadb().adminConnection(database)) {
            Sql.execute(db, statement);
        }
    }

    private static List<JsonNode> values(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(JSON.readTree(record.value()));
        }
        return values;
    }
}
