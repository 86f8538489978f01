package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late-arriving reference data on real processes: an order event is produced before its customer row exists in
 * MariaDB. With {@code onMiss: wait} the enricher holds it (and the entity's later update, produced before the row
 * too) while other entities pass; the INSERT travels through binlog, Debezium and the table topic into the global
 * store, and both events come out {@code late}, with the row's fields, in the order they were produced.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class LateArrivalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "late_arrival";
    private static final String PREFIX = "late";
    private static final String EVENTS = DATABASE + ".orders";
    private static final String OUTPUT = DATABASE + ".orders.enriched";
    private static final String DEAD_LETTER = DATABASE + ".orders.dlq";
    private static final String CUSTOMERS = PREFIX + "." + DATABASE + ".customers";

    @TempDir
    Path stateDir;

    private KafkaStreams streams;
    private KafkaProducer<String, String> producer;

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
    }

    @Test
    void eventProducedBeforeItsRowComesOutLateWithTheRowAndTheEntityLaterUpdateFollowsInOrder(Stack stack)
            throws Exception {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db,
                    "CREATE DATABASE " + DATABASE,
                    "CREATE TABLE " + DATABASE + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "CREATE TABLE " + DATABASE + ".products (id VARCHAR(20) PRIMARY KEY, title VARCHAR(50))",
                    // Another customer, so the table topic exists before the enricher starts.
                    "INSERT INTO " + DATABASE + ".customers VALUES (1, 'Ada', 'gold')");
        }
        stack.connectors(Map.of("CDC_DATABASE_NAME", DATABASE, "CDC_TOPIC_PREFIX", PREFIX,
                        "CDC_DATABASE_SERVER_ID", "5410"))
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), Duration.ofSeconds(90));
        stack.createTopics(2, Map.of(), EVENTS, OUTPUT, DEAD_LETTER);
        try (Admin admin = Admin.create(stack.adminProperties())) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(CUSTOMERS));
        }
        EnricherReadiness readiness = startEnricher(stack);
        assertThat(readiness.isReady()).as(readiness.describe()).isTrue();
        producer = new KafkaProducer<>(stack.producerProperties(), new StringSerializer(), new StringSerializer());

        try (TopicReader enriched = new TopicReader(stack.settings().bootstrapServers(), OUTPUT)) {
            send("o-1", "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,\"v\":1}");
            send("o-1", "{\"type\":\"update\",\"id\":\"o-1\",\"customerId\":42,\"v\":2}");
            send("o-2", "{\"type\":\"create\",\"id\":\"o-2\",\"customerId\":1,\"v\":1}");

            // Another entity is not held: o-2 comes out while o-1's two events wait for customer 42.
            List<JsonNode> before = values(enriched.readUntil(Duration.ofSeconds(60), seen -> keys(seen).contains("o-2")));
            assertThat(before).extracting(e -> e.path("id").asText()).containsExactly("o-2");
            assertThat(before.get(0).path("enrichment").path("customer").asText()).isEqualTo("hit");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(WaitBufferMetrics.of(streams.metrics()).heldRecords()).isEqualTo(2));

            try (Connection db = stack.mariadb().adminConnection(DATABASE)) {
                Sql.execute(db, "INSERT INTO customers VALUES (42, 'Grace', 'platinum')");
            }

            List<JsonNode> all = values(enriched.readUntil(Duration.ofSeconds(60),
                    seen -> keys(seen).stream().filter("o-1"::equals).count() >= 2));
            List<JsonNode> held = all.stream().filter(e -> e.path("id").asText().equals("o-1")).toList();
            assertThat(held).extracting(e -> e.path("type").asText() + " v" + e.path("v").asInt() + " "
                    + e.path("enrichment").path("customer").asText() + " " + e.path("customer").path("name").asText()
                    + " " + e.path("customer").path("tier").asText())
                    .containsExactly("create v1 late Grace platinum", "update v2 late Grace platinum");
        }
        assertThat(WaitBufferMetrics.of(streams.metrics()).heldRecords()).isZero();
        try (TopicReader deadLetters = new TopicReader(stack.settings().bootstrapServers(), DEAD_LETTER)) {
            assertThat(deadLetters.readUntil(Duration.ofSeconds(2), seen -> true)).isEmpty();
        }
    }

    private EnricherReadiness startEnricher(Stack stack) {
        EnricherConfig config = EnricherConfigLoader.parse("""
                applicationId: late-arrival-it
                bootstrapServers: %s
                kafka:
                  state.dir: %s
                  commit.interval.ms: 100
                topics: {events: %s, output: %s, deadLetter: %s}
                waitBuffer: {checkInterval: 100ms}
                joins:
                  - name: customer
                    topic: %s
                    foreignKey: customerId
                    fields: [name, tier]
                    onMiss: wait
                    maxWait: 120s
                    onTimeout: dead-letter
                """.formatted(stack.settings().bootstrapServers(), stateDir, EVENTS, OUTPUT, DEAD_LETTER, CUSTOMERS));
        InProcessEnricher enricher = InProcessEnricher.start(config);
        streams = enricher.streams();
        enricher.awaitReady(Duration.ofSeconds(60));
        return enricher.readiness();
    }

    private void send(String key, String event) throws Exception {
        producer.send(new ProducerRecord<>(EVENTS, key, event)).get(10, TimeUnit.SECONDS);
    }

    private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    private static List<JsonNode> values(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(JSON.readTree(record.value()));
        }
        return values;
    }
}
