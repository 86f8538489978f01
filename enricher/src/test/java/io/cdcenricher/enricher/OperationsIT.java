package io.cdcenricher.enricher;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * The released jar as an operator runs it, against the real stack: {@code validate}, {@code run} with its
 * endpoints ({@code /health}, {@code /ready}, {@code /metrics}, {@code /tables}), and {@code reset}. Its log is
 * checked for secrets passed through the {@code kafka:} section: a leaked password means a rotation.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class OperationsIT {

    private static final String DATABASE = "operations_it";
    private static final String TRUSTSTORE_SECRET = "truststore-Secret-7f3a";
    private static final String JAAS_SECRET = "jaas-Secret-91bc";

    @TempDir
    Path dir;

    private EnricherProcess enricher;

    @AfterEach
    void stop() {
        if (enricher != null) {
            enricher.stop();
        }
    }

    @Test
    void validateRunEndpointsAndResetOnTheRealStack(Stack stack) throws Exception {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, "CREATE DATABASE " + DATABASE,
                    "CREATE TABLE " + DATABASE + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "CREATE TABLE " + DATABASE + ".products (id VARCHAR(20) PRIMARY KEY, title VARCHAR(50))",
                    "INSERT INTO " + DATABASE + ".customers VALUES (1, 'Ada', 'gold')");
        }
        stack.connectors(Map.of("CDC_DATABASE_NAME", DATABASE, "CDC_TOPIC_PREFIX", "ops",
                        "CDC_DATABASE_SERVER_ID", "5420"))
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), Duration.ofSeconds(90));
        String events = DATABASE + ".orders";
        String table = "ops." + DATABASE + ".customers";
        stack.createTopics(1, Map.of(), events, events + ".enriched", events + ".dlq");
        try (Admin admin = Admin.create(stack.adminProperties())) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(table));
        }
        Path config = Files.writeString(dir.resolve("enricher.yaml"), """
                applicationId: operations-it
                bootstrapServers: %s
                kafka:
                  state.dir: %s
                  commit.interval.ms: 100
                  ssl.truststore.password: %s
                  sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="%s";
                topics:
                  events: %s
                  output: %s.enriched
                  deadLetter: %s.dlq
                joins:
                  - name: customer
                    topic: %s
                    foreignKey: customerId
                    fields: [name, tier]
                """.formatted(stack.settings().bootstrapServers(), dir.resolve("state"), TRUSTSTORE_SECRET,
                JAAS_SECRET, events, events, events, table));

        JarRun validate = runJar("validate", "--config", config.toString());
        assertThat(validate.exitCode()).as(validate.output()).isZero();
        assertThat(validate.output()).contains("valid (1 join(s))").contains("join customer: " + table + ", global");

        OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
        enricher = new EnricherProcess(stack.layout(), dir);
        enricher.start(config, endpoint.args());
        await().atMost(Duration.ofSeconds(90)).until(() -> endpoint.status("/ready") == 200);
        assertThat(endpoint.get("/health").body()).contains("UP");
        // What ops and perf wait on: the launcher's own /ready check, on the port it read from --http-port.
        enricher.awaitReady(Duration.ofSeconds(5));
        assertThat(enricher.isReady()).isTrue();

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(stack.adminProperties(),
                new StringSerializer(), new StringSerializer());
             TopicReader output = new TopicReader(stack.settings().bootstrapServers(), events + ".enriched")) {
            producer.send(new ProducerRecord<>(events, "o-1", "{\"type\":\"create\",\"customerId\":1}"))
                    .get(10, TimeUnit.SECONDS);
            output.readUntil(Duration.ofSeconds(60), seen -> !seen.isEmpty());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(endpoint.get("/metrics").body())
                .contains("enricher_join_total{join=\"customer\",status=\"hit\"} 1.0")
                .contains("enricher_end_to_end_latency_seconds_count 1")
                .contains("kafka_stream_"));
        HttpResponse<String> row = endpoint.get("/tables/customer/1");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.body()).contains("\"row\":{\"name\":\"Ada\",\"tier\":\"gold\"}");
        assertThat(endpoint.status("/tables/customer/999")).isEqualTo(404);

        enricher.stop();
        String log = Files.readString(enricher.process().logFile());
        assertThat(log).contains("Kafka Streams state REBALANCING -> RUNNING").contains("Operations endpoints on");
        assertThat(log).doesNotContain(TRUSTSTORE_SECRET).doesNotContain(JAAS_SECRET);
        assertThat(log.lines().count()).as("no per-record logging at INFO").isLessThan(60);

        JarRun reset = runJar("reset", "--config", config.toString(), "--yes");
        assertThat(reset.exitCode()).as(reset.output()).isZero();
        assertThat(reset.output()).contains("consumer group deleted");
        assertThat(reset.output()).doesNotContain(TRUSTSTORE_SECRET).doesNotContain(JAAS_SECRET);
    }

    private record JarRun(int exitCode, String output) {
    }

    private JarRun runJar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", new EnricherProcess(StackLayout.locate(), dir).jar().toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "jar", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("jar " + List.of(args) + " finished").isTrue();
        return new JarRun(process.exitValue(), Files.readString(log));
    }

}
