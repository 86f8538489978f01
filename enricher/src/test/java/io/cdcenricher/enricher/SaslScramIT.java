package io.cdcenricher.enricher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.KafkaBroker;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackSecrets;
import io.cdcenricher.ops.testing.ListeningSockets;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
 * The released jar against the broker's SASL_PLAINTEXT listener with SCRAM-SHA-512, its client settings passed
 * through unchanged under {@code kafka:}: a real enrichment flows (rows and events produced, output read, all over
 * SASL), and a wrong password stops the start with an authentication error and exit code 1. Neither password may
 * appear in the enricher's output, its log or the broker's log: the enricher logs its settings at start-up, and the
 * JAAS config is the one setting that carries a password inside a longer value. Also checks that the enricher's
 * HTTP endpoints listen on loopback only, as the kernel sees it.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class SaslScramIT {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void enrichesOverSaslScramAndAWrongPasswordFailsWithAnAuthenticationError(Stack stack) throws Exception {
        String events = "sasl_it.orders";
        String table = "sasl_it.customers";
        stack.createTopics(1, Map.of(), events, events + ".enriched", events + ".dlq");
        stack.createTopics(1, Map.of("cleanup.policy", "compact"), table);
        Properties sasl = stack.saslClientProperties();
        String password = new StackSecrets(stack.settings().runDir()).scramPassword();
        String wrongPassword = "wrong-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(9));

        try (KafkaProducer<String, String> producer = saslProducer(sasl)) {
            producer.send(new ProducerRecord<>(table, "1", "{\"id\":1,\"name\":\"Ada\",\"tier\":\"gold\"}"))
                    .get(10, TimeUnit.SECONDS);
        }

        OperationsEndpoint endpoint = OperationsEndpoint.onFreePort();
        int port = endpoint.port();
        Path config = config("sasl-it", stack.kafka().saslBootstrapServers(), password, events, table);
        enricher = new EnricherProcess(stack.layout(), dir.resolve("right"));
        enricher.start(config, endpoint.args());
        await().atMost(Duration.ofSeconds(90)).until(() -> endpoint.status("/ready") == 200);

        List<ListeningSockets.Socket> sockets = ListeningSockets.of(enricher.process().handle().orElseThrow());
        assertThat(sockets.stream().map(ListeningSockets.Socket::port).collect(Collectors.toSet()))
                .as("the enricher listens on its HTTP port and nothing else: " + sockets).isEqualTo(Set.of(port));
        assertThat(sockets).as("every listening socket of the enricher is on loopback")
                .allMatch(ListeningSockets.Socket::isLoopback);

        List<ConsumerRecord<byte[], byte[]>> output;
        try (KafkaProducer<String, String> producer = saslProducer(sasl);
             TopicReader reader = new TopicReader(sasl, events + ".enriched")) {
            producer.send(new ProducerRecord<>(events, "o-1", "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":1}"))
                    .get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(events, "o-2", "{\"type\":\"create\",\"id\":\"o-2\",\"customerId\":2}"))
                    .get(10, TimeUnit.SECONDS);
            output = reader.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 2);
        }
        assertThat(output).hasSize(2);
        JsonNode hit = JSON.readTree(output.get(0).value());
        JsonNode miss = JSON.readTree(output.get(1).value());
        assertThat(hit.path("customer").path("name").asText()).isEqualTo("Ada");
        assertThat(hit.path("customer").path("tier").asText()).isEqualTo("gold");
        assertThat(hit.path("enrichment").path("customer").asText()).isEqualTo("hit");
        assertThat(miss.path("enrichment").path("customer").asText()).isEqualTo("miss");

        enricher.stop();
        String log = Files.readString(enricher.process().logFile(), StandardCharsets.UTF_8);
        // Booleans, not doesNotContain(password): a failing assertion must not print the password either. Here and
        // below they come before any assertion that prints the whole text when it fails.
        assertThat(log.contains(password)).as("the enricher's log holds the SCRAM password").isFalse();
        assertThat(log).contains("Kafka Streams state REBALANCING -> RUNNING")
                .contains("sasl.jaas.config=******").contains("security.protocol=SASL_PLAINTEXT");

        // The password can stay out of the enricher's file: Kafka's FileConfigProvider reads it where ops/stack keeps it.
        Path secretsFile = stack.settings().runDir().resolve("secrets/kafka.properties");
        Path byReference = Files.writeString(dir.resolve("by-reference.yaml"), Files.readString(config)
                .replace(password, "${file:" + secretsFile + ":scram.password}")
                .replace("kafka:\n", "kafka:\n  config.providers: file\n"
                        + "  config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider\n"));
        assertThat(Files.readString(byReference).contains(password)).isFalse();
        JarRun validate = runJar(dir.resolve("validate.log"), "validate", "--config", byReference.toString());
        assertThat(validate.output().contains(password)).as("validate's output holds the SCRAM password").isFalse();
        assertThat(validate.exitCode()).as(validate.output()).isZero();

        Path wrongConfig = config("sasl-it-wrong", stack.kafka().saslBootstrapServers(), wrongPassword, events, table);
        JarRun wrong = runJar(dir.resolve("wrong.log"), "run", "--config", wrongConfig.toString(), "--http-port", "-1");
        assertThat(wrong.output().contains(wrongPassword)).as("the failed run's output holds its password").isFalse();
        assertThat(wrong.output().contains(password)).as("the failed run's output holds the real password").isFalse();
        assertThat(wrong.exitCode()).as("exit code of a start with a wrong password").isEqualTo(1);
        assertThat(wrong.output()).contains("Error: cannot list topics on " + stack.kafka().saslBootstrapServers()
                        + " to check them: org.apache.kafka.common.errors.SaslAuthenticationException")
                .contains("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                        + KafkaBroker.SCRAM_MECHANISM);
        // What an operator sees (checked above to hold no password).
        wrong.output().lines().filter(line -> line.startsWith("Error:") || line.contains(" ERROR "))
                .forEach(line -> System.out.println("[sasl-it] wrong password: " + line));

        String brokerLog = Files.readString(stack.kafka().process().logFile(), StandardCharsets.UTF_8);
        assertThat(brokerLog.contains(password)).as("the broker's log holds the SCRAM password").isFalse();
        assertThat(brokerLog.contains(wrongPassword)).as("the broker's log holds the wrong password").isFalse();
    }

    private Path config(String applicationId, String bootstrap, String password, String events, String table)
            throws IOException {
        String jaas = KafkaBroker.scramClientSettings(StackSecrets.SCRAM_USER, password).get("sasl.jaas.config");
        return Files.writeString(dir.resolve(applicationId + ".yaml"), """
                applicationId: %s
                bootstrapServers: %s
                kafka:
                  state.dir: %s
                  commit.interval.ms: 100
                  security.protocol: SASL_PLAINTEXT
                  sasl.mechanism: %s
                  sasl.jaas.config: '%s'
                topics:
                  events: %s
                  output: %s.enriched
                  deadLetter: %s.dlq
                joins:
                  - name: customer
                    topic: %s
                    foreignKey: customerId
                    fields: [name, tier]
                """.formatted(applicationId, bootstrap, dir.resolve("state-" + applicationId),
                KafkaBroker.SCRAM_MECHANISM, jaas, events, events, events, table));
    }

    private static KafkaProducer<String, String> saslProducer(Properties sasl) {
        Properties props = new Properties();
        props.putAll(sasl);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private record JarRun(int exitCode, String output) {
    }

    private JarRun runJar(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", enricher.jar().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("jar " + List.of(args) + " finished").isTrue();
        return new JarRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
