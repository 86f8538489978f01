package io.cdcenricher.enricher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.StackSettings;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local state that does not match the cluster must never stop the released jar and never be served. Each case is
 * one that happened or can happen to a user: a table topic deleted and recreated shorter while the enricher was
 * stopped (its stores' offsets lie beyond the new end), a state directory built against another cluster whose topic
 * happens to be longer (offsets in range, rows wrong: the silent case), two checkouts running the demo one after the
 * other with the default state directory (they used to share {@code /tmp/kafka-streams}, and the second one died
 * with {@code OffsetOutOfRangeException} on the global thread), and a global store whose offset fell below the
 * topic's log start (Kafka Streams 4.3.1 would fail to resume it, its global thread would die without removing the
 * store, and the client would hang in REBALANCING).
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class LocalStateRecoveryIT {

    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private EnricherProcess enricher;
    private Stack otherCluster;
    private final List<Path> defaultStateDirs = new java.util.ArrayList<>();

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo test) throws IOException {
        if (enricher != null) {
            enricher.stop();
        }
        keepLogs(test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("unknown"));
        if (otherCluster != null) {
            otherCluster.kafka().down(Duration.ofSeconds(20));
        }
        for (Path state : defaultStateDirs) {
            deleteTree(state);
        }
    }

    /** The jar's logs of this test, kept under target/ where a failed CI run can be read (the temp dir is not). */
    private void keepLogs(String testName) throws IOException {
        Path target = StackLayout.locate().repoRoot().resolve("enricher/target/it-logs/LocalStateRecoveryIT")
                .resolve(testName);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path log : files.filter(p -> p.getFileName().toString().equals("enricher.log")).toList()) {
                Path copy = target.resolve(dir.relativize(log));
                Files.createDirectories(copy.getParent());
                Files.copy(log, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The topics of one test on one cluster. */
    private record Topics(String events, String output, String deadLetter, String customers, String products) {
        static Topics named(String test) {
            return new Topics(test + ".events", test + ".enriched", test + ".dlq", test + ".customers",
                    test + ".products");
        }
    }

    @Test
    void tableTopicsRecreatedShorterWhileStoppedAreRebuiltNotFatal(Stack stack) throws Exception {
        Topics topics = Topics.named("recreated");
        Properties cluster = stack.adminProperties();
        createTopics(cluster, topics, "compact");
        writeRows(cluster, topics, 1, 10, "old");
        Path config = config("recreated", stack.settings().bootstrapServers(), topics, dir.resolve("state"), true);

        OperationsEndpoint endpoint = start(stack, config);
        assertThat(enrich(cluster, topics, "o-1", 5)).contains("\"name\":\"old-5\"").contains("\"title\":\"old-p5\"");
        enricher.stop();

        try (Admin admin = Admin.create(cluster)) {
            admin.deleteTopics(List.of(topics.customers(), topics.products())).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS)
                    .contains(topics.customers()) && !admin.listTopics().names().get(10, TimeUnit.SECONDS)
                    .contains(topics.products()));
        }
        createTopics(cluster, topics, "compact");
        writeRows(cluster, topics, 1, 3, "new");
        int linesBefore = logLines();
        enricher.start(config, endpoint.args());
        awaitReady(endpoint);

        assertThat(enrich(cluster, topics, "o-2", 2)).contains("\"name\":\"new-2\"").contains("\"title\":\"new-p2\"");
        String stale = enrich(cluster, topics, "o-3", 5);
        assertThat(stale).as("a row of the deleted topic is not served").doesNotContain("old-5").doesNotContain("old-p5")
                .contains("\"customer\":\"miss\"").contains("\"product\":\"miss\"");
        assertThat(enricher.process().isRunning()).isTrue();
        assertThat(newLogLines(linesBefore)).filteredOn(line -> line.contains("WARN") && line.contains("Rebuilding"))
                .as("one WARN line per store, naming the store and the reason")
                .anySatisfy(line -> assertThat(line).contains("store reference-customer (join customer)")
                        .contains("topic " + topics.customers() + " was deleted and recreated"))
                .anySatisfy(line -> assertThat(line).contains("store reference-product (join product)")
                        .contains("topic " + topics.products() + " was deleted and recreated"));
    }

    @Test
    void stateBuiltAgainstAnotherClusterIsRebuiltEvenWhenItsOffsetsFit(Stack stack) throws Exception {
        Topics topics = Topics.named("other-cluster");
        Properties first = stack.adminProperties();
        createTopics(first, topics, "compact");
        writeRows(first, topics, 1, 10, "first");
        Path state = dir.resolve("state");
        start(stack, config("other-cluster", stack.settings().bootstrapServers(), topics, state, false));
        assertThat(enrich(first, topics, "o-1", 5)).contains("\"name\":\"first-5\"");
        enricher.stop();

        // A fresh cluster (a wiped broker, or another checkout's stack) with the same topic names and MORE records:
        // every offset the old state holds is valid there, so only the cluster id tells the state is not its own.
        Properties second = startOtherCluster().adminProperties();
        createTopics(second, topics, "compact");
        writeRows(second, topics, 1, 30, "second");
        int linesBefore = logLines();
        Path config = config("other-cluster", otherCluster.settings().bootstrapServers(), topics, state, false);
        OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
        enricher.start(config, endpoint.args());
        awaitReady(endpoint);

        assertThat(enrich(second, topics, "o-2", 5)).contains("\"name\":\"second-5\"").doesNotContain("first-5");
        assertThat(newLogLines(linesBefore)).filteredOn(line -> line.contains("WARN") && line.contains("Rebuilding"))
                .singleElement().satisfies(line -> assertThat(line).contains("reference-customer")
                        .contains("but the broker belongs to cluster"));
    }

    @Test
    void twoCheckoutsRunOneAfterTheOtherWithDefaultStateDirectories(Stack stack) throws Exception {
        // The demo sequence that failed: the same application id, one checkout against its own stack, then another
        // checkout against another fresh stack, neither setting a state directory.
        Topics topics = Topics.named("checkouts");
        Properties first = startOtherCluster().adminProperties();
        createTopics(first, topics, "compact");
        writeRows(first, topics, 1, 10, "first");
        Path stateA = runCheckout("checkout-a", otherCluster.settings().bootstrapServers(), topics, 5, "first-5");
        enricher.stop();

        Properties second = stack.adminProperties();
        createTopics(second, topics, "compact");
        writeRows(second, topics, 1, 3, "second");
        Path stateB = runCheckout("checkout-b", stack.settings().bootstrapServers(), topics, 2, "second-2");

        assertThat(stateB).as("each checkout has its own state directory").isNotEqualTo(stateA);
        assertThat(List.of(stateA, stateB)).allSatisfy(state -> assertThat(state.toString())
                .doesNotStartWith("/tmp/kafka-streams").endsWith("/checkouts"));
        assertThat(Files.readString(enricher.process().logFile())).doesNotContain("OffsetOutOfRange");
    }

    @Test
    void globalStoreBelowTheLogStartIsRebuiltInsteadOfHanging(Stack stack) throws Exception {
        Topics topics = Topics.named("log-start");
        Properties cluster = stack.adminProperties();
        // A delete-policy table topic, so that the log start can move past the store's offset (DeleteRecords).
        createTopics(cluster, topics, "delete");
        writeRows(cluster, topics, 1, 5, "v1");
        Path config = config("log-start", stack.settings().bootstrapServers(), topics, dir.resolve("state"), false);
        OperationsEndpoint endpoint = start(stack, config);
        assertThat(enrich(cluster, topics, "o-1", 2)).contains("\"name\":\"v1-2\"");
        enricher.stop();

        writeRows(cluster, topics, 6, 10, "v2");
        try (Admin admin = Admin.create(cluster)) {
            admin.deleteRecords(Map.of(new TopicPartition(topics.customers(), 0), RecordsToDelete.beforeOffset(8)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        int linesBefore = logLines();
        enricher.start(config, endpoint.args());
        awaitReady(endpoint);

        assertThat(enrich(cluster, topics, "o-2", 9)).contains("\"name\":\"v2-9\"");
        assertThat(enrich(cluster, topics, "o-3", 2)).as("records below the log start are gone from the table too")
                .contains("\"customer\":\"miss\"");
        assertThat(enricher.process().isRunning()).isTrue();
        assertThat(newLogLines(linesBefore)).filteredOn(line -> line.contains("WARN") && line.contains("Rebuilding"))
                .singleElement().satisfies(line -> assertThat(line)
                        .contains("Rebuilding global store reference-customer (join customer)")
                        .contains("it resumes at offset 5 of " + topics.customers() + "-0, outside the topic's range [8, 10]"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /**
     * Runs the jar from {@code <checkout>/enricher/config/demo.yaml} (no state directory set) against
     * {@code bootstrap}, checks that customer {@code id} is enriched with {@code expectedName}, and returns the state
     * directory it used.
     */
    private Path runCheckout(String checkout, String bootstrap, Topics topics, int id, String expectedName)
            throws Exception {
        Path config = dir.resolve(checkout + "/enricher/config/demo.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, yaml("checkouts", bootstrap, topics, null, false));
        enricher = new EnricherProcess(StackLayout.locate(), dir.resolve("run-" + checkout));
        OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
        enricher.start(config, endpoint.args());
        awaitReady(endpoint);
        Properties cluster = new Properties();
        cluster.put("bootstrap.servers", bootstrap);
        assertThat(enrich(cluster, topics, "o-" + checkout, id)).contains("\"name\":\"" + expectedName + "\"");
        return stateDirectoryInLog();
    }

    private OperationsEndpoint start(Stack stack, Path config) {
        enricher = new EnricherProcess(stack.layout(), dir.resolve("run"));
        OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
        enricher.start(config, endpoint.args());
        awaitReady(endpoint);
        return endpoint;
    }

    private void awaitReady(OperationsEndpoint endpoint) {
        try {
            await().atMost(READY).until(() -> endpoint.status("/ready") == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the enricher is not ready after " + READY.toSeconds() + " s; its log ends:\n"
                    + enricher.process().logTail(60), e);
        }
    }

    private Stack startOtherCluster() throws IOException {
        Path runDir = Files.createDirectories(dir.resolve("other-cluster"));
        otherCluster = new Stack(StackSettings.onFreePorts(runDir), StackLayout.locate());
        otherCluster.kafka().up(Duration.ofSeconds(90));
        return otherCluster;
    }

    private Path config(String app, String bootstrap, Topics topics, Path stateDir, boolean withPartitioned)
            throws IOException {
        Path file = dir.resolve(app + ".yaml");
        Files.writeString(file, yaml(app, bootstrap, topics, stateDir, withPartitioned));
        return file;
    }

    /** A user's config: no Kafka settings but the state directory (none: the product's default). */
    private static String yaml(String app, String bootstrap, Topics topics, Path stateDir, boolean withPartitioned) {
        String kafka = stateDir == null ? "" : "kafka:\n  state.dir: " + stateDir + "\n";
        String partitioned = withPartitioned ? """
                  - name: product
                    topic: %s
                    foreignKey: productId
                    fields: [title]
                    materialization: partitioned
                """.formatted(topics.products()) : "";
        return """
                applicationId: %s
                bootstrapServers: %s
                %stopics:
                  events: %s
                  output: %s
                  deadLetter: %s
                joins:
                  - name: customer
                    topic: %s
                    foreignKey: customerId
                    fields: [name]
                %s""".formatted(app, bootstrap, kafka, topics.events(), topics.output(), topics.deadLetter(),
                topics.customers(), partitioned);
    }

    private static void createTopics(Properties cluster, Topics topics, String tablePolicy) throws Exception {
        try (Admin admin = Admin.create(cluster)) {
            java.util.Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> wanted = List.of(new NewTopic(topics.events(), 2, (short) 1),
                    new NewTopic(topics.output(), 2, (short) 1), new NewTopic(topics.deadLetter(), 1, (short) 1),
                    new NewTopic(topics.customers(), 1, (short) 1).configs(Map.of("cleanup.policy", tablePolicy)),
                    new NewTopic(topics.products(), 2, (short) 1).configs(Map.of("cleanup.policy", tablePolicy)));
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Rows {@code from..to} of both tables, named {@code <tag>-<id>} and {@code <tag>-p<id>}. One record at a time, each
     * acknowledged before the next: a CI run once lost a fresh topic's first batches to an OutOfOrderSequenceException
     * loop of the idempotent producer (several batches in flight right after the topic was created), and the rows
     * were silently missing.
     */
    private static void writeRows(Properties cluster, Topics topics, int from, int to, String tag) throws Exception {
        Properties props = new Properties();
        props.putAll(cluster);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.partitionsFor(topics.customers());
            producer.partitionsFor(topics.products());
            for (int id = from; id <= to; id++) {
                send(producer, topics.customers(), Integer.toString(id),
                        "{\"id\":" + id + ",\"name\":\"" + tag + "-" + id + "\"}");
                send(producer, topics.products(), "p" + id,
                        "{\"id\":\"p" + id + "\",\"title\":\"" + tag + "-p" + id + "\"}");
            }
        }
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, String value)
            throws Exception {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("cannot write row " + key + " to " + topic + ": " + e.getCause(), e.getCause());
        }
    }

    /** Sends one create event referencing customer {@code id} and product {@code p<id>}; returns its output. */
    private static String enrich(Properties cluster, Topics topics, String eventId, int id) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster, new StringSerializer(),
                new StringSerializer());
             TopicReader output = new TopicReader(cluster.getProperty("bootstrap.servers"), topics.output())) {
            producer.send(new ProducerRecord<>(topics.events(), eventId, "{\"type\":\"create\",\"id\":\"" + eventId
                    + "\",\"customerId\":" + id + ",\"productId\":\"p" + id + "\"}")).get(10, TimeUnit.SECONDS);
            List<ConsumerRecord<byte[], byte[]>> seen = output.readUntil(Duration.ofSeconds(60), records -> records
                    .stream().anyMatch(r -> eventId.equals(new String(r.key(), StandardCharsets.UTF_8))));
            return seen.stream().filter(r -> eventId.equals(new String(r.key(), StandardCharsets.UTF_8)))
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
        }
    }

    private int logLines() throws IOException {
        return Files.readAllLines(enricher.process().logFile()).size();
    }

    private List<String> newLogLines(int before) throws IOException {
        List<String> all = Files.readAllLines(enricher.process().logFile());
        return all.subList(before, all.size());
    }

    /** The state directory the jar's start-up line names; remembered for removal after the test. */
    private Path stateDirectoryInLog() throws IOException {
        String line = Files.readAllLines(enricher.process().logFile()).stream()
                .filter(l -> l.contains("; state directory ")).reduce((a, b) -> b).orElseThrow();
        String rest = line.substring(line.indexOf("; state directory ") + "; state directory ".length());
        Path state = Path.of(rest.substring(0, rest.indexOf(';')));
        defaultStateDirs.add(state.getParent());
        return state;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
