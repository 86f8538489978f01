package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.cdcenricher.enricher.avro.AvroJson;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.internals.ReferenceTable;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.testing.LocalStackWithRegistryExtension;
import io.cdcenricher.ops.testing.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code format: avro} on real processes, with the real registry: customers captured by Debezium with Apicurio's
 * Avro converter, order events produced with Apicurio's serializer (order-event.avsc), the enricher (in-process,
 * the jar's start-up path) decoding both by the global id in their headers and writing Avro with its output
 * schema, which it registers. The test decodes the output with Apicurio's deserializer, i.e. by the registry.
 * Then a column is added: Connect registers a second version of the row schema, the enricher decodes rows of both
 * versions, and the new column reaches the output because this output schema has a place for it (the contract's
 * enriched-order.avsc has none: there it would be dropped).
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackWithRegistryExtension.class)
class AvroEnrichmentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "avro_it";
    private static final String PREFIX = "avro";
    private static final String EVENTS = DATABASE + ".orders";
    private static final String OUTPUT = DATABASE + ".orders.enriched";
    private static final String DEAD_LETTER = DATABASE + ".orders.dlq";
    private static final String CUSTOMERS = PREFIX + "." + DATABASE + ".customers";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaStreams streams;
    private EnricherConfig config;
    private KafkaProducer<String, Object> producer;
    private AvroKafkaDeserializer<GenericRecord> registryReader;

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (registryReader != null) {
            registryReader.close();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
    }

    @Test
    void avroEventsAreEnrichedWithAvroRowsAndWrittenInAvroAcrossANewSchemaVersionOfTheTable(Stack stack)
            throws Exception {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db,
                    "CREATE DATABASE " + DATABASE,
                    "CREATE TABLE " + DATABASE + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "INSERT INTO " + DATABASE + ".customers VALUES (1, 'Ada', 'gold'), (2, 'Grace', 'silver')");
        }
        stack.connectors(Map.of("CDC_DATABASE_NAME", DATABASE, "CDC_TOPIC_PREFIX", PREFIX,
                        "CDC_DATABASE_SERVER_ID", "5430"))
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb-avro.json"), Duration.ofSeconds(90));
        stack.createTopics(2, Map.of(), EVENTS, OUTPUT, DEAD_LETTER);
        try (Admin admin = Admin.create(stack.adminProperties())) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(CUSTOMERS));
        }
        try (TopicReader table = new TopicReader(stack.settings().bootstrapServers(), CUSTOMERS)) {
            assertThat(table.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 2)).hasSize(2);
        }
        String registry = stack.registry().v2ApiUrl();
        startEnricher(stack, registry);
        producer = new KafkaProducer<>(producerProperties(stack, registry));
        registryReader = new AvroKafkaDeserializer<>();
        registryReader.configure(Map.of("apicurio.registry.url", registry), false);

        try (TopicReader enriched = new TopicReader(stack.settings().bootstrapServers(), OUTPUT)) {
            send(order("create", "o-1", 1L));
            send(order("update", "o-2", 2L));
            send(order("create", "o-3", 99L));
            Map<String, JsonNode> first = decode(enriched.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 3));
            assertThat(first.keySet()).containsExactlyInAnyOrder("o-1", "o-2", "o-3");
            assertThat(summary(first.get("o-1"))).isEqualTo("create hit Ada gold null");
            assertThat(summary(first.get("o-2"))).isEqualTo("update hit Grace silver null");
            assertThat(summary(first.get("o-3"))).isEqualTo("create miss - - -");

            try (Connection db = stack.mariadb().adminConnection(DATABASE)) {
                Sql.execute(db,
                        "ALTER TABLE customers ADD COLUMN email VARCHAR(100)",
                        "UPDATE customers SET email = 'ada@example.org' WHERE id = 1");
            }
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    registryGet(registry, "/groups/default/artifacts/" + CUSTOMERS + "-value/versions")
                            .path("count").asInt() == 2);
            ReadOnlyKeyValueStore<Bytes, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ReferenceTable.storeName(config.joins().get(0)), QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                byte[] row = store.get(Bytes.wrap("1".getBytes(StandardCharsets.UTF_8)));
                return row != null && new String(row, StandardCharsets.UTF_8).contains("ada@example.org");
            });

            send(order("update", "o-1", 1L));
            send(order("update", "o-2", 2L));
            List<ConsumerRecord<byte[], byte[]>> all = enriched.readUntil(Duration.ofSeconds(60),
                    seen -> seen.size() >= 5);
            assertThat(all).hasSize(5);
            Map<String, JsonNode> later = decode(all.subList(3, 5));
            assertThat(summary(later.get("o-1"))).as("the row of the new schema version")
                    .isEqualTo("update hit Ada gold ada@example.org");
            assertThat(summary(later.get("o-2"))).as("a row still of the first schema version")
                    .isEqualTo("update hit Grace silver null");
        }
        assertThat(registryGet(registry, "/groups/default/artifacts/" + OUTPUT + "-value/versions")
                .path("count").asInt()).as("the output schema, registered once").isEqualTo(1);
        try (TopicReader deadLetters = new TopicReader(stack.settings().bootstrapServers(), DEAD_LETTER)) {
            assertThat(deadLetters.readUntil(Duration.ofSeconds(2), seen -> true)).isEmpty();
        }
    }

    /** The contract's enriched-order.avsc with a place for the customer's e-mail. */
    private Path outputSchema() throws IOException {
        String contract;
        try (InputStream in = getClass().getResourceAsStream("/schemas/enriched-order.avsc")) {
            contract = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String tier = "{\"name\": \"tier\", \"type\": [\"null\", \"string\"], \"default\": null}";
        assertThat(contract).contains(tier);
        return Files.writeString(dir.resolve("enriched-order-with-email.avsc"), contract.replaceFirst(
                java.util.regex.Pattern.quote(tier), java.util.regex.Matcher.quoteReplacement(tier
                        + ",\n      {\"name\": \"email\", \"type\": [\"null\", \"string\"], \"default\": null}")));
    }

    private String config(Stack stack, String registry) throws IOException {
        return """
                applicationId: avro-it
                bootstrapServers: %s
                kafka:
                  state.dir: %s
                  commit.interval.ms: 100
                topics: {events: %s, output: %s, deadLetter: %s}
                format: avro
                registry: {url: %s}
                outputSchema: %s
                joins:
                  - name: customer
                    topic: %s
                    foreignKey: customerId
                """.formatted(stack.settings().bootstrapServers(), dir.resolve("state"), EVENTS, OUTPUT,
                DEAD_LETTER, registry, outputSchema(), CUSTOMERS);
    }

    private void startEnricher(Stack stack, String registry) throws IOException {
        config = EnricherConfigLoader.parse(config(stack, registry));
        InProcessEnricher enricher = InProcessEnricher.start(config);
        streams = enricher.streams();
        enricher.awaitReady(Duration.ofSeconds(60));
    }

    private static GenericRecord order(String type, String id, long customerId) throws IOException {
        Schema schema;
        try (InputStream in = AvroEnrichmentIT.class.getResourceAsStream("/schemas/order-event.avsc")) {
            schema = new Schema.Parser().parse(in);
        }
        GenericData.Record event = new GenericData.Record(schema);
        event.put("type", new GenericData.EnumSymbol(schema.getField("type").schema(), type));
        event.put("id", id);
        event.put("customerId", customerId);
        event.put("amount", 12.5);
        return event;
    }

    private void send(GenericRecord event) throws Exception {
        producer.send(new ProducerRecord<>(EVENTS, event.get("id").toString(), event)).get(10, TimeUnit.SECONDS);
    }

    /** Each output value decoded by Apicurio's deserializer (schema by the header's global id), by key. */
    private Map<String, JsonNode> decode(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(record.headers().lastHeader("apicurio.value.globalId")).isNotNull();
            GenericRecord value = registryReader.deserialize(OUTPUT, record.headers(), record.value());
            byKey.put(new String(record.key(), StandardCharsets.UTF_8), JSON.readTree(AvroJson.toJson(value)));
        }
        return byKey;
    }

    private static String summary(JsonNode event) {
        JsonNode customer = event.path("customer");
        return event.path("type").asText() + " " + event.path("enrichment").path("customer").asText() + " "
                + (customer.isNull() ? "- - -" : customer.path("name").asText() + " " + customer.path("tier").asText()
                + " " + customer.path("email").asText());
    }

    private JsonNode registryGet(String registry, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registry + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
    }

    private static Properties producerProperties(Stack stack, String registry) {
        Properties props = stack.adminProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
        props.put("apicurio.registry.url", registry);
        props.put("apicurio.registry.auto-register", "true");
        return props;
    }
}
