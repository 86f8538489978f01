package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ops/demo}: the whole journey on the real stack. MariaDB rows are captured by Debezium, the enricher joins
 * them into order events, then an UPDATE and a DELETE of a customer row show up in later events.
 */
public final class DemoCommand {

    static final String USAGE = """
            Usage: ops/demo [--keep]

            Starts the stack (MariaDB, Kafka, Connect), creates the shop database with customers and products,
            registers the Debezium connector, runs the enricher jar with enricher/config/demo.yaml, produces order
            events and prints the enriched ones; then UPDATEs and DELETEs a customer row and shows later events
            reflecting each. Stops everything at the end unless --keep is given.
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Stack stack;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private int orderNumber;

    private DemoCommand(Stack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) {
        if (args.length > 0 && List.of("-h", "--help").contains(args[0])) {
            System.out.print(USAGE);
            System.exit(0);
        }
        boolean keep = List.of(args).contains("--keep");
        if (args.length > (keep ? 1 : 0)) {
            System.err.print("unknown argument\n\n" + USAGE);
            System.exit(2);
        }
        StackLayout layout = StackLayout.locate();
        Stack stack = new Stack(StackSettings.fromEnvironment(layout), layout);
        EnricherProcess enricher = new EnricherProcess(layout, stack.settings().runDir());
        int exit = 0;
        try {
            new DemoCommand(stack).run(enricher);
        } catch (StackException | IllegalStateException e) {
            System.err.println("\ndemo failed: " + e.getMessage());
            if (enricher.process().isRunning() || enricher.process().isStale()) {
                System.err.println("enricher log (" + enricher.process().logFile() + "):\n" + enricher.process().logTail(30));
            }
            exit = 1;
        } finally {
            if (keep) {
                System.out.println("\n--keep: the stack and the enricher keep running. Stop them with: ops/stack down");
            } else {
                step("Stopping the enricher and the stack");
                enricher.stop();
                stack.down(line -> System.out.println("  " + line));
            }
        }
        System.exit(exit);
    }

    private void run(EnricherProcess enricher) {
        step("Starting the stack (MariaDB, Kafka broker, Kafka Connect with Debezium)");
        stack.up(line -> System.out.println("  " + line));

        step("Creating database shop with customers and products in MariaDB");
        database(
                "CREATE DATABASE IF NOT EXISTS shop",
                "CREATE TABLE IF NOT EXISTS shop.customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                        + "tier VARCHAR(20) NOT NULL)",
                "CREATE TABLE IF NOT EXISTS shop.products (id VARCHAR(20) PRIMARY KEY, title VARCHAR(100) NOT NULL, "
                        + "price DECIMAL(10,2) NOT NULL)",
                "REPLACE INTO shop.customers VALUES (42, 'Ada Lovelace', 'gold'), (43, 'Alan Turing', 'silver')",
                "REPLACE INTO shop.products VALUES ('p-9', 'Desk lamp', 12.50), ('p-10', 'Notebook', 3.20)");

        step("Registering the Debezium MariaDB connector (connectors/debezium-mariadb.json)");
        ConnectorStatus status = stack.connectors(Map.of())
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), WAIT);
        System.out.println("  " + status.summary());

        step("Creating the event topics and starting the enricher");
        stack.createTopics(3, Map.of(), "shop.orders", "shop.orders.enriched", "shop.orders.dlq");
        stack.awaitTopics(WAIT, "demo.shop.customers", "demo.shop.products");
        Path config = demoConfig();
        enricher.start(config);
        System.out.println("  java -jar " + stack.layout().repoRoot().relativize(enricher.jar()) + " --config " + config
                + "   (log: " + enricher.process().logFile() + ")");
        enricher.awaitReady(WAIT);
        System.out.println("  ready: GET /ready answers {\"ready\":true}");

        producer = new KafkaProducer<>(stack.producerProperties(), new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of("shop.orders.enriched"));
        try {
            awaitAssignment();
            step("Producing order events; the enriched events:");
            String first = order();
            send(first, "create", 42, "p-9");
            send(first, "update", 42, "p-9");
            String unknownCustomer = order();
            send(unknownCustomer, "create", 99, "p-10");
            awaitEnriched(enricher, 3, e -> true);

            step("UPDATE shop.customers SET tier = 'platinum' WHERE id = 42; later events carry the new tier:");
            database("UPDATE shop.customers SET tier = 'platinum' WHERE id = 42");
            untilEnriched(enricher, e -> "platinum".equals(e.path("customer").path("tier").asText()));

            step("DELETE FROM shop.customers WHERE id = 42; later events show the row is gone:");
            database("DELETE FROM shop.customers WHERE id = 42");
            untilEnriched(enricher, e -> "deleted".equals(e.path("enrichment").path("customer").asText()));
            step("Done: INSERT, UPDATE and DELETE in MariaDB all reached the enriched stream.");
        } finally {
            producer.close(Duration.ofSeconds(5));
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Sends a new create event for customer 42 every half second until one comes out enriched the expected way:
     * CDC and the enricher's table are eventually consistent, and the demo shows how long "eventually" is.
     */
    private void untilEnriched(EnricherProcess enricher, Predicate<JsonNode> expected) {
        try {
            Poll.until("an enriched event showing the change", WAIT, Duration.ZERO, () -> {
                send(order(), "create", 42, "p-9");
                return awaitEnriched(enricher, 1, expected);
            }, matching -> !matching.isEmpty());
        } catch (PollTimeoutException e) {
            throw new StackException("no enriched event showed the change within " + WAIT.toSeconds() + " s", e);
        }
    }

    /** Prints enriched events of this run as they arrive; returns those matching {@code expected}. */
    private List<JsonNode> awaitEnriched(EnricherProcess enricher, int count, Predicate<JsonNode> expected) {
        List<JsonNode> seen = new java.util.ArrayList<>();
        // One event gets a short look (the caller sends another if it is not there yet); several must all come.
        Poll.upTo(count + " enriched events", count == 1 ? Duration.ofMillis(700) : WAIT, Duration.ZERO,
                () -> readEnriched(enricher, seen), total -> total >= count);
        if (count > 1 && seen.size() < count) {
            throw new StackException("expected " + count + " enriched events, got " + seen.size());
        }
        return seen.stream().filter(expected).toList();
    }

    /** One poll of the output: prints and adds this run's events to {@code seen}; returns how many it holds. */
    private int readEnriched(EnricherProcess enricher, List<JsonNode> seen) {
        if (!enricher.process().isRunning()) {
            throw new StackException("the enricher exited");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.key() != null && record.key().contains("-" + run + "-")) {
                System.out.println("  " + record.key() + "  " + record.value());
                seen.add(parse(record.value()));
            }
        }
        return seen.size();
    }

    /** Fixes the consumer's start position before the first event is sent, so that none is missed. */
    private void awaitAssignment() {
        Poll.upTo("the printer's partitions", WAIT, Duration.ZERO, () -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment();
        }, assigned -> !assigned.isEmpty());
        consumer.assignment().forEach(consumer::position);
    }

    private String order() {
        return "o-" + run + "-" + (++orderNumber);
    }

    private void send(String id, String type, int customerId, String productId) {
        String event = JSON.createObjectNode().put("type", type).put("id", id).put("customerId", customerId)
                .put("productId", productId).put("amount", 12.5).put("ts", Instant.now().toString()).toString();
        try {
            producer.send(new ProducerRecord<>("shop.orders", id, event)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("cannot produce to shop.orders: " + e.getMessage(), e);
        }
    }

    private void database(String... statements) {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, statements);
        } catch (SQLException e) {
            throw new StackException("MariaDB: " + e.getMessage(), e);
        }
    }

    /** enricher/config/demo.yaml pointed at this stack's broker, its state under the run directory. */
    private Path demoConfig() {
        try {
            String text = Files.readString(stack.layout().repoRoot().resolve("enricher/config/demo.yaml"))
                    .replace("bootstrapServers: 127.0.0.1:9092", "bootstrapServers: " + stack.settings().bootstrapServers());
            Path config = stack.settings().runDir().resolve("enricher/demo.yaml");
            // The demo's local state lives and dies with its run directory, like the rest of its stack.
            text = text.replace("kafka:\n", "kafka:\n  state.dir: " + config.resolveSibling("state") + "\n");
            Files.createDirectories(config.getParent());
            Files.writeString(config, text);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Properties consumerProperties() {
        Properties props = stack.adminProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-printer-" + run);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private static JsonNode parse(String value) {
        try {
            return value == null ? JSON.nullNode() : JSON.readTree(value.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    private static void step(String text) {
        System.out.println("\n== " + text);
    }
}
