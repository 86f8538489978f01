package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race the version guard exists for, on a real broker with exactly-once: for each of {@value #ENTITIES} entities
 * a {@code create}, then a {@code delete} and a {@code modify} both issued against version 1, produced back to back,
 * and the {@code delete} redelivered (an at-least-once producer). Two enricher instances join, leave and come back
 * (one with its local state, two with none, so the store is restored from its changelog) while the events flow.
 * Every {@code modify} must be rejected as {@code entity-deleted}, the redelivered {@code delete} dropped, and the
 * output must hold each {@code create} and {@code delete} exactly once: nothing lost, nothing twice.
 *
 * <p>Completion is proven, not waited out: after the entities, one fence entity per partition goes through the same
 * three steps; once every fence's {@code delete} and {@code modify} are read (read_committed), everything produced
 * before them has been committed, so exact counts are final.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class VersionGuardIT {

    private static final String PREFIX = "version_guard";
    private static final String EVENTS = PREFIX + ".orders";
    private static final String OUTPUT = PREFIX + ".orders.enriched";
    private static final String DEAD_LETTER = PREFIX + ".orders.dlq";
    private static final String CUSTOMERS = PREFIX + ".customers";
    private static final int PARTITIONS = 4;
    private static final int ENTITIES = 2000;
    private static final int ROUNDS = 8;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final CloseOptions LEAVE = CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);

    @TempDir
    Path stateRoot;

    private final Map<String, KafkaStreams> running = new HashMap<>();
    private KafkaProducer<String, String> producer;
    private String bootstrap;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

    @AfterEach
    void stop() {
        running.values().forEach(streams -> streams.close(LEAVE));
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void modifyProducedRightAfterADeleteIsRejectedEveryTimeThroughRestartsAndRebalances(Stack stack)
            throws Exception {
        stack.createTopics(PARTITIONS, Map.of(), EVENTS, OUTPUT, DEAD_LETTER);
        stack.createTopics(1, Map.of("cleanup.policy", "compact"), CUSTOMERS);
        producer = new KafkaProducer<>(stack.producerProperties(), new StringSerializer(), new StringSerializer());
        // Acknowledged before the bulk: a fresh topic's first batches in flight together once hit an
        // OutOfOrderSequenceException loop (see LocalStateRecoveryIT.writeRows).
        producer.send(new ProducerRecord<>(CUSTOMERS, "1", "{\"id\":1,\"name\":\"Ada\"}")).get(30, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(EVENTS, "warm-up", null)).get(30, TimeUnit.SECONDS);
        bootstrap = stack.settings().bootstrapServers();
        long started = System.nanoTime();

        try (TopicReader output = new TopicReader(bootstrap, OUTPUT);
             TopicReader deadLetters = new TopicReader(bootstrap, DEAD_LETTER)) {
            start("a", "a-1");
            // Membership changes between rounds, while the previous round is still being processed.
            List<Runnable> changes = List.of(
                    () -> start("b", "b-1"),
                    () -> stop("a"),
                    () -> start("a", "a-1"),
                    () -> stop("b"),
                    () -> start("b", "b-2"),
                    () -> stop("a"),
                    () -> start("a", "a-2"));
            int perRound = ENTITIES / ROUNDS;
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = round * perRound; i < (round + 1) * perRound; i++) {
                    sendEntity("o-" + i);
                }
                producer.flush();
                assertThat(sendFailure.get()).as("producing round %d", round).isNull();
                if (round < changes.size()) {
                    int atLeast = round * perRound * 2;
                    output.readUntil(STEP, seen -> seen.size() > atLeast);
                    changes.get(round).run();
                }
            }
            List<String> fences = fenceKeys();
            fences.forEach(this::sendEntity);
            producer.flush();
            assertThat(sendFailure.get()).isNull();

            List<ConsumerRecord<byte[], byte[]>> written = output.readUntil(STEP, seen -> keys(seen, "delete")
                    .containsAll(fences));
            List<ConsumerRecord<byte[], byte[]>> rejected = deadLetters.readUntil(STEP, seen -> keys(seen, "update")
                    .containsAll(fences));
            System.out.printf("VersionGuardIT: %d entities through %d membership changes in %d ms%n",
                    ENTITIES + fences.size(), changes.size(), (System.nanoTime() - started) / 1_000_000);

            int total = ENTITIES + fences.size();
            assertThat(written.stream().filter(r -> r.value() != null).map(VersionGuardIT::describe)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
                    .as("each create and delete exactly once, accepted").hasSize(2 * total)
                    .allSatisfy((what, count) -> assertThat(count).as(what).isEqualTo(1L))
                    .allSatisfy((what, count) -> assertThat(what).endsWith(" accepted"));
            assertThat(rejected).as("every modify rejected once, nothing else").hasSize(total)
                    .allSatisfy(r -> assertThat(header(r, DeadLetter.REASON)).isEqualTo("entity-deleted"))
                    .allSatisfy(r -> assertThat(value(r)).contains("\"type\":\"update\""));
            assertThat(rejected.stream().map(r -> key(r)).distinct().count()).isEqualTo(total);
        }
    }

    /** A create, then a delete and a modify both issued against version 1, and the delete again. */
    private void sendEntity(String id) {
        String create = "{\"type\":\"create\",\"id\":\"" + id + "\",\"customerId\":1,\"v\":1,\"expected\":0}";
        String delete = "{\"type\":\"delete\",\"id\":\"" + id + "\",\"customerId\":1,\"v\":2,\"expected\":1}";
        String modify = "{\"type\":\"update\",\"id\":\"" + id + "\",\"customerId\":1,\"v\":2,\"expected\":1,"
                + "\"status\":\"shipped\"}";
        for (String value : List.of(create, delete, modify, delete)) {
            producer.send(new ProducerRecord<>(EVENTS, id, value), (metadata, e) -> {
                if (e != null) {
                    sendFailure.compareAndSet(null, e);
                }
            });
        }
    }

    private void start(String instance, String stateDir) {
        try {
            Path dir = Files.createDirectories(stateRoot.resolve(stateDir));
            running.put(instance, InProcessEnricher.start(EnricherConfigLoader.parse("""
                    applicationId: version-guard-it
                    bootstrapServers: %s
                    kafka:
                      state.dir: %s
                      commit.interval.ms: 100
                    topics: {events: %s, output: %s, deadLetter: %s}
                    event:
                      versionField: v
                      expectedVersionField: expected
                    joins:
                      - {name: customer, topic: %s, foreignKey: customerId, fields: [name]}
                    """.formatted(bootstrap, dir, EVENTS, OUTPUT, DEAD_LETTER, CUSTOMERS))).streams());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void stop(String instance) {
        running.remove(instance).close(LEAVE);
    }

    /** One key per partition of the events topic, as the producer's default partitioner places keys. */
    private static List<String> fenceKeys() {
        String[] byPartition = new String[PARTITIONS];
        for (int i = 0; java.util.Arrays.asList(byPartition).contains(null); i++) {
            String key = "fence-" + i;
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (byPartition[partition] == null) {
                byPartition[partition] = key;
            }
        }
        return List.of(byPartition);
    }

    /** The keys of the events of {@code type} among {@code records}. */
    private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records, String type) {
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() != null && value(r).contains("\"type\":\"" + type + "\"")) {
                keys.add(key(r));
            }
        }
        return keys;
    }

    /** An output record as {@code <key> <type> <version outcome>}. */
    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        String value = value(r);
        String type = value.contains("\"type\":\"create\"") ? "create"
                : value.contains("\"type\":\"delete\"") ? "delete" : "other";
        return key(r) + " " + type + " " + header(r, EnrichedEventContract.VERSION_HEADER);
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var header = r.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
