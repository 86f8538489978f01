package io.cdcenricher.enricher;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input corpus ({@link BadInputCorpus}) against the released jar on the real stack, with exactly-once:
 * every record, each followed by a good event, must end in exactly one place (the dead-letter topic with its reason
 * and the original key, value and headers, or the output with its statuses), output + dead letters = input, and
 * the process must keep running without logging per record. Meanwhile the MariaDB tables change shape under
 * Debezium ({@code ADD COLUMN}, {@code DROP COLUMN} of a column the join copies, each followed by an UPDATE), and
 * the events after each change show what a user gets: a listed field ({@code fields: [name, tier]}) that the
 * table no longer has is {@code null}, a new column is not copied; with all columns (no {@code fields}) a new
 * column appears and a dropped one is absent; a row is reshaped only when it is next written.
 *
 * <p>A record above the broker's {@code max.message.bytes} is not in the corpus: the producer or the broker
 * rejects it, so it never reaches the enricher. The enricher's own limit, {@code maxRecordBytes} (1,000,000 by
 * default, below the broker's 1,048,588), is: records just below and above it are.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class BadInputCorpusIT {

    private static final String DATABASE = "bad_input_it";
    private static final String PREFIX = "badinput";
    private static final String EVENTS = DATABASE + ".orders";
    private static final String OUTPUT = EVENTS + ".enriched";
    private static final String DEAD_LETTER = EVENTS + ".dlq";
    private static final String CUSTOMERS = PREFIX + "." + DATABASE + ".customers";
    private static final String PRODUCTS = PREFIX + "." + DATABASE + ".products";
    private static final String GOOD_EVENT = "{\"type\":\"create\",\"id\":\"%s\",\"customerId\":%d,\"productId\":\"p-1\"}";

    @TempDir
    Path dir;

    private Stack stack;
    private EnricherProcess enricher;
    private KafkaProducer<byte[], byte[]> producer;
    private TopicReader output;
    private TopicReader deadLetters;
    /** Every record produced, in order: what it is and where it went. */
    private final List<Sent> sent = new ArrayList<>();
    private int probes;

    /** A produced record and where it went: a corpus case, or ({@code corpusCase} null) a good event. */
    private record Sent(BadInputCorpus.Case corpusCase, byte[] key, int partition, long offset) {
    }

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (output != null) {
            output.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (enricher != null) {
            enricher.stop();
        }
    }

    @Test
    void everyBadRecordEndsInOnePlaceWhileTheTablesChangeShape(Stack stack) throws Exception {
        this.stack = stack;
        createTablesAndCapture();
        OperationsEndpoint endpoint = startEnricher();
        producer = new KafkaProducer<>(stack.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        output = new TopicReader(stack.settings().bootstrapServers(), OUTPUT);
        deadLetters = new TopicReader(stack.settings().bootstrapServers(), DEAD_LETTER);

        List<BadInputCorpus.Case> corpus = BadInputCorpus.load();
        for (int i = 0; i < corpus.size(); i++) {
            BadInputCorpus.Case c = corpus.get(i);
            RecordHeaders headers = new RecordHeaders();
            c.headers().forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
            send(c, c.key(), c.value(), headers);
            sendGood("good-" + i, 1);
        }

        // ADD COLUMN: the listed projection of customer ignores the new column; product (all columns) shows it.
        execute("ALTER TABLE customers ADD COLUMN email VARCHAR(80)",
                "UPDATE customers SET email = 'ada@example.org', name = 'Ada K' WHERE id = 1",
                "ALTER TABLE products ADD COLUMN colour VARCHAR(20)",
                "UPDATE products SET colour = 'red' WHERE id = 'p-1'");
        probeUntil(e -> "Ada K".equals(e.path("customer").path("name").asText())
                && "red".equals(e.path("product").path("colour").asText()));
        assertEnrichedAs(sendGood("after-add-1", 1), "{\"name\":\"Ada K\",\"tier\":\"gold\"}",
                "{\"id\":\"p-1\",\"title\":\"Lamp\",\"price\":\"12.50\",\"colour\":\"red\"}");
        assertEnrichedAs(sendGood("after-add-2", 2), "{\"name\":\"Bob\",\"tier\":\"silver\"}",
                "{\"id\":\"p-1\",\"title\":\"Lamp\",\"price\":\"12.50\",\"colour\":\"red\"}");

        // DROP COLUMN of a copied column: a listed field is then null, an unlisted one absent; the row of customer 2,
        // not written since, keeps its old image in the store.
        execute("ALTER TABLE customers DROP COLUMN tier",
                "UPDATE customers SET name = 'Ada L' WHERE id = 1",
                "ALTER TABLE products DROP COLUMN price",
                "UPDATE products SET title = 'Desk lamp' WHERE id = 'p-1'");
        probeUntil(e -> "Ada L".equals(e.path("customer").path("name").asText())
                && "Desk lamp".equals(e.path("product").path("title").asText()));
        assertEnrichedAs(sendGood("after-drop-1", 1), "{\"name\":\"Ada L\",\"tier\":null}",
                "{\"id\":\"p-1\",\"title\":\"Desk lamp\",\"colour\":\"red\"}");
        assertEnrichedAs(sendGood("after-drop-2", 2), "{\"name\":\"Bob\",\"tier\":\"silver\"}",
                "{\"id\":\"p-1\",\"title\":\"Desk lamp\",\"colour\":\"red\"}");

        // Accounting: output + dead letters = input, and it stays so (no late duplicates).
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs().size() + deadLetterRecords().size() == sent.size());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> outputs().size() + deadLetterRecords().size() == sent.size());
        assertEachRecordEndsInOnePlace();

        assertThat(enricher.process().isRunning()).as("the enricher process is alive").isTrue();
        HttpResponse<String> health = endpoint.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        assertNoPerRecordLogging(corpus);
    }

    private void createTablesAndCapture() throws Exception {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, "CREATE DATABASE " + DATABASE,
                    "CREATE TABLE " + DATABASE + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "CREATE TABLE " + DATABASE + ".products (id VARCHAR(20) PRIMARY KEY, title VARCHAR(50), "
                            + "price DECIMAL(10,2))",
                    "INSERT INTO " + DATABASE + ".customers VALUES (1, 'Ada', 'gold'), (2, 'Bob', 'silver')",
                    "INSERT INTO " + DATABASE + ".products VALUES ('p-1', 'Lamp', 12.50)");
        }
        stack.connectors(Map.of("CDC_DATABASE_NAME", DATABASE, "CDC_TOPIC_PREFIX", PREFIX,
                        "CDC_DATABASE_SERVER_ID", "5470"))
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), Duration.ofSeconds(90));
        stack.createTopics(2, Map.of(), EVENTS, OUTPUT, DEAD_LETTER);
        stack.awaitTopics(Duration.ofSeconds(60), CUSTOMERS, PRODUCTS);
        // The snapshot is complete in the topics before the enricher starts, so every corpus case sees all rows.
        try (TopicReader customers = new TopicReader(stack.settings().bootstrapServers(), CUSTOMERS);
             TopicReader products = new TopicReader(stack.settings().bootstrapServers(), PRODUCTS)) {
            customers.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 2);
            products.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 1);
        }
    }

    /** The released jar with exactly-once and the corpus' joins; returns its endpoints once it is ready. */
    private OperationsEndpoint startEnricher() throws Exception {
        Path config = Files.writeString(dir.resolve("enricher.yaml"), """
                applicationId: bad-input-corpus-it
                bootstrapServers: %s
                kafka:
                  processing.guarantee: exactly_once_v2
                  state.dir: %s
                  commit.interval.ms: 100
                topics:
                  events: %s
                  output: %s
                  deadLetter: %s
                """.formatted(stack.settings().bootstrapServers(), dir.resolve("state"), EVENTS, OUTPUT, DEAD_LETTER)
                + BadInputCorpusTest.JOINS_YAML.formatted(CUSTOMERS, PRODUCTS));
        OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
        enricher = new EnricherProcess(stack.layout(), dir);
        enricher.start(config, endpoint.args());
        await().atMost(Duration.ofSeconds(120)).until(() -> endpoint.status("/ready") == 200);
        return endpoint;
    }

    private Sent send(BadInputCorpus.Case c, byte[] key, byte[] value, Iterable<Header> headers) throws Exception {
        RecordMetadata metadata = producer.send(new ProducerRecord<>(EVENTS, null, key, value, headers))
                .get(30, TimeUnit.SECONDS);
        Sent record = new Sent(c, key, metadata.partition(), metadata.offset());
        sent.add(record);
        return record;
    }

    private Sent sendGood(String key, int customerId) throws Exception {
        return send(null, bytes(key), bytes(GOOD_EVENT.formatted(key, customerId)), new RecordHeaders());
    }

    /**
     * CDC is eventually consistent: a good event every 200 ms until one shows the change. The probes are counted
     * like every other record.
     */
    private void probeUntil(Predicate<JsonNode> changed) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String key = "probe-" + (++probes);
            sendGood(key, 1);
            return changed.test(awaitOutput(key));
        });
    }

    /** The good event's output is enriched with exactly these rows (compared as JSON) and hit for both joins. */
    private void assertEnrichedAs(Sent good, String customer, String product) {
        JsonNode event = awaitOutput(new String(good.key(), StandardCharsets.UTF_8));
        assertThat(event.path("customer")).as(event.toString()).isEqualTo(BadInputCorpus.readTree(bytes(customer)));
        assertThat(event.path("product")).as(event.toString()).isEqualTo(BadInputCorpus.readTree(bytes(product)));
        assertThat(event.path(BadInputCorpus.ENRICHMENT).toString()).isEqualTo("{\"customer\":\"hit\",\"product\":\"hit\"}");
    }

    private JsonNode awaitOutput(String key) {
        List<ConsumerRecord<byte[], byte[]>> records = output.readUntil(Duration.ofSeconds(60),
                seen -> seen.stream().anyMatch(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))));
        return records.stream().filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> BadInputCorpus.readTree(r.value())).findFirst().orElseThrow();
    }

    private List<ConsumerRecord<byte[], byte[]>> outputs() {
        return output.readUntil(Duration.ofSeconds(10), seen -> true);
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetterRecords() {
        return deadLetters.readUntil(Duration.ofSeconds(10), seen -> true);
    }

    /**
     * Each produced record is in exactly one place: its dead letter is found by the source position in its
     * headers, its output by its key (unique in the run). With the totals equal, nothing is lost or duplicated.
     */
    private void assertEachRecordEndsInOnePlace() {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> outputByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : outputs()) {
            outputByKey.computeIfAbsent(BadInputCorpus.hex(record.key()), k -> new ArrayList<>()).add(record);
        }
        Map<String, List<ConsumerRecord<byte[], byte[]>>> deadByPosition = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : deadLetterRecords()) {
            String position = header(record, DeadLetter.SOURCE_PARTITION) + "@" + header(record, DeadLetter.SOURCE_OFFSET);
            deadByPosition.computeIfAbsent(position, k -> new ArrayList<>()).add(record);
        }
        for (Sent record : sent) {
            String what = record.corpusCase() == null ? new String(record.key(), StandardCharsets.UTF_8)
                    : record.corpusCase().toString();
            List<ConsumerRecord<byte[], byte[]>> out = record.key() == null ? List.of()
                    : outputByKey.getOrDefault(BadInputCorpus.hex(record.key()), List.of());
            List<ConsumerRecord<byte[], byte[]>> dead = deadByPosition.getOrDefault(
                    record.partition() + "@" + record.offset(), List.of());
            assertThat(out.size() + dead.size()).as(what + ": in exactly one place").isEqualTo(1);
            ConsumerRecord<byte[], byte[]> outcome = out.isEmpty() ? dead.get(0) : out.get(0);
            if (record.corpusCase() != null) {
                BadInputCorpus.assertOutcome(record.corpusCase(), !dead.isEmpty(), outcome.key(), outcome.value(),
                        outcome.headers(), EVENTS);
            } else {
                assertThat(dead).as(what + ": a good event is never a dead letter").isEmpty();
                assertThat(BadInputCorpus.readTree(outcome.value()).path(BadInputCorpus.ENRICHMENT).toString())
                        .as(what).isEqualTo("{\"customer\":\"hit\",\"product\":\"hit\"}");
            }
        }
    }

    /** Nothing per record: no corpus key in the log, no error, and fewer lines than there were bad records. */
    private void assertNoPerRecordLogging(List<BadInputCorpus.Case> corpus) throws IOException {
        String log = Files.readString(enricher.process().logFile());
        List<String> lines = log.lines().toList();
        long bad = corpus.stream().filter(c -> c.expected() instanceof BadInputCorpus.DeadLetterExpected).count();
        assertThat(lines).as(log).noneMatch(line -> line.contains(" ERROR "));
        assertThat(lines.size()).as(log).isLessThan((int) bad);
        for (BadInputCorpus.Case c : corpus) {
            String key = c.key() == null ? "" : new String(c.key(), StandardCharsets.UTF_8);
            if (key.length() >= 4) {
                assertThat(log).as(c + ": its key is in the log").doesNotContain(key);
            }
        }
    }

    private void execute(String... statements) throws Exception {
        try (Connection db = stack.mariadb().adminConnection(DATABASE)) {
            Sql.execute(db, statements);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
