package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.cdcenricher.ops.testing.CapturedDatabase;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster shape of the stack ({@code ops/stack up --brokers 3 --connect-workers 2}) survives what a single node
 * cannot: a partition leader killed with SIGKILL loses no acknowledged record and producing and consuming go on, and
 * a Connect worker killed with SIGKILL hands its capture task to the other worker, which captures the next row.
 * Real processes on free ports in a run directory of its own; a stack that cannot start fails the class.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

    private static final StackShape SHAPE = new StackShape(3, 2);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private Stack stack;

    @TempDir
    Path dir;

    @BeforeAll
    // A net only: each part's own start-up timeout names what hung. On this shared 2-core machine under a load of
    // 20 the start took 168 s, so a tighter net would turn a slow machine into a failure.
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void startCluster() throws IOException {
        StackLayout layout = StackLayout.locate();
        Path base = layout.repoRoot().resolve("target");
        Files.createDirectories(base);
        stack = new Stack(StackSettings.onFreePorts(Files.createTempDirectory(base, "it-cluster-"), SHAPE), layout);
        long start = System.nanoTime();
        stack.up(ClusterFaultsIT::log); // on failure @AfterAll still runs and stops what did start
        log(String.format("cluster of %s up in %.1f s", SHAPE, (System.nanoTime() - start) / 1e9));
        logResidentMemory();
    }

    @AfterAll
    void stopCluster() {
        if (stack == null) {
            return;
        }
        logResidentMemory();
        List<ProcessHandle> processes = stack.allParts().stream().flatMap(p -> p.process().handle().stream()).toList();
        stack.down(ClusterFaultsIT::log);
        assertThat(processes).as("down leaves no process behind").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    @Order(1)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void killingAPartitionLeaderLosesNoAcknowledgedRecordAndProducingAndConsumingGoOn() {
        String topic = "cluster-it.events";
        stack.createTopics(1, Map.of(), topic);
        assertReplicatedThriceWithTwoInSync(List.of(topic));
        KafkaBroker leader = stack.kafkaCluster().partitionLeader(topic, 0).orElseThrow();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> read = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(); KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            send(producer, topic, 0, 200, acknowledged);
            awaitRead(consumer, read, acknowledged);

            long pid = leader.process().kill().orElseThrow();
            log("killed the leader of " + topic + "-0: " + leader.name() + " (pid " + pid + ")");
            send(producer, topic, 200, 400, acknowledged);
            awaitRead(consumer, read, acknowledged);
        }
        KafkaBroker newLeader = stack.kafkaCluster().partitionLeader(topic, 0).orElseThrow();
        log("new leader of " + topic + "-0: " + newLeader.name());
        assertThat(newLeader.nodeId()).isNotEqualTo(leader.nodeId());
        assertThat(read).as("idempotence: no record twice").doesNotHaveDuplicates();

        // The harness restarts a killed node the same way; the cluster is whole again for the next test.
        leader.up(WAIT);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> inSyncReplicas(topic) == SHAPE.replicationFactor());
    }

    @Test
    @Order(2)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void killingTheWorkerThatRunsTheCaptureTaskMovesItToTheOtherWorkerWhichCapturesTheNextRow() throws Exception {
        CapturedDatabase capture = CapturedDatabase.create(stack, dir, "cluster_it", "clusterit", Map.of());
        assertReplicatedThriceWithTwoInSync(allTopics());
        ConnectCluster workers = stack.connectCluster();
        ConnectWorker running = await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> workers.workerRunningTask(capture.connector(), 0).orElse(null), w -> w != null);
        ConnectWorker survivor = workers.workers().stream().filter(w -> w != running).findFirst().orElseThrow();

        long pid = running.process().kill().orElseThrow();
        log("killed " + running.name() + " (pid " + pid + "), which ran " + capture.connector() + " task 0");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(survivor.rest().status(capture.connector()).orElseThrow().tasks())
                        .anyMatch(t -> t.id() == 0 && t.state().equals("RUNNING")
                                && t.workerId().equals(survivor.workerId())));
        log(capture.connector() + " task 0 runs on " + survivor.name());

        capture.insertCustomer(2);
        try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(), capture.topic())) {
            reader.readUntil(WAIT, seen -> seen.stream().anyMatch(r -> new String(r.key()).equals("2")));
        } finally {
            survivor.rest().delete(capture.connector());
        }
    }

    private KafkaProducer<String, String> producer() {
        Properties props = stack.producerProperties();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = stack.adminProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "cluster-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Sends records {@code from} to {@code to} and waits until every one is acknowledged (flush): a send that fails
     * after its retries fails the test, so every record counted here was acknowledged by two in-sync replicas.
     */
    private static void send(KafkaProducer<String, String> producer, String topic, int from, int to,
                             Set<String> acknowledged) {
        List<Exception> failures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String value = Integer.toString(i);
            producer.send(new ProducerRecord<>(topic, value, value), (metadata, error) -> {
                if (error == null) {
                    acknowledged.add(value);
                } else {
                    synchronized (failures) {
                        failures.add(error);
                    }
                }
            });
        }
        producer.flush();
        synchronized (failures) {
            assertThat(failures).as("sends that failed").isEmpty();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(to);
    }

    private static void awaitRead(KafkaConsumer<String, String> consumer, List<String> read, Set<String> acknowledged) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
            assertThat(read).as("read back").containsAll(acknowledged);
        });
    }

    private int inSyncReplicas(String topic) throws Exception {
        try (Admin admin = Admin.create(stack.adminProperties())) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().get(0).isr().size();
        }
    }

    private List<String> allTopics() throws Exception {
        try (Admin admin = Admin.create(stack.adminProperties())) {
            return List.copyOf(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(10, TimeUnit.SECONDS));
        }
    }

    /** Every partition of every topic has three replicas, and an acks=all write needs two of them in sync. */
    private void assertReplicatedThriceWithTwoInSync(Collection<String> topics) {
        log("checking replication of " + topics);
        try (Admin admin = Admin.create(stack.adminProperties())) {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                    .get(10, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                            .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
                    .all().get(10, TimeUnit.SECONDS);
            descriptions.forEach((topic, description) -> assertThat(description.partitions())
                    .as(topic + " replicas").allMatch(p -> p.replicas().size() == 3));
            configs.forEach((resource, config) -> assertThat(config.get("min.insync.replicas").value())
                    .as(resource.name() + " min.insync.replicas").isEqualTo("2"));
        } catch (Exception e) {
            throw new AssertionError("cannot describe " + topics + ": " + e, e);
        }
    }

    /** The resident memory of every process of the stack, for the README's resource figures. */
    private void logResidentMemory() {
        String report = stack.allParts().stream().flatMap(part -> part.process().handle().stream()
                        .map(h -> part.name() + " " + residentMegabytes(h.pid()) + " MB"))
                .collect(Collectors.joining(", "));
        log("resident memory: " + report);
    }

    private static long residentMegabytes(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void log(String line) {
        System.out.println("[cluster-it] " + line);
    }
}
