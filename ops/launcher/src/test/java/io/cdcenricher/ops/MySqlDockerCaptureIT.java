package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker path, on what it is written for: a real MySQL 8 (row binlog, GTIDs, the same flags and the same
 * {@code ops/docker/mysql-cdc-user.sh} as {@code docker-compose.yml}), Kafka and the Debezium Connect image, all
 * pinned in the repository's {@code .env}, with {@code connectors/debezium-mysql.json} registered through the same
 * {@link ConnectorDeployer} as the local stack. It makes the assertions of {@link DebeziumMariaDbCaptureIT}: plain
 * keys, rows after the change with their commit time, a DELETE as a real null tombstone, a compacted topic.
 *
 * <p>Tagged {@code docker}, not {@code integration}: it runs only with {@code -Pdocker}, and then it fails when no
 * Docker engine is reachable ({@link RequireDocker}), because a test that was asked for must never pass by skipping.
 */
@Tag("docker")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(MySqlDockerCaptureIT.RequireDocker.class) // registered first: fails before Testcontainers tries
@Testcontainers
class MySqlDockerCaptureIT {

    private static final Map<String, String> IMAGES = readDotEnv(StackLayout.locate().repoRoot().resolve(".env"));
    private static final String ROOT_PASSWORD = UUID.randomUUID().toString();
    private static final String CDC_PASSWORD = UUID.randomUUID().toString();
    private static final String KAFKA_INTERNAL = "kafka:19092";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final MySQLContainer MYSQL = new MySQLContainer(DockerImageName.parse(IMAGES.get("MYSQL_IMAGE")))
            .withNetwork(NETWORK)
            .withNetworkAliases("mysql")
            .withUsername("root")
            .withPassword(ROOT_PASSWORD)
            .withDatabaseName("shop")
            .withEnv("CDC_DATABASE_PASSWORD", CDC_PASSWORD)
            .withCopyFileToContainer(MountableFile.forHostPath(
                    StackLayout.locate().repoRoot().resolve("ops/docker/mysql-cdc-user.sh"), 0755),
                    "/docker-entrypoint-initdb.d/10-cdc-user.sh")
            .withCommand("--log-bin=binlog", "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1",
                    "--gtid-mode=ON", "--enforce-gtid-consistency=ON");

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse(IMAGES.get("KAFKA_IMAGE")))
            .withNetwork(NETWORK)
            .withNetworkAliases("kafka")
            .withListener(KAFKA_INTERNAL)
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");

    @Container
    static final GenericContainer<?> CONNECT = new GenericContainer<>(DockerImageName.parse(IMAGES.get("CONNECT_IMAGE")))
            .withNetwork(NETWORK)
            .withNetworkAliases("connect")
            .dependsOn(KAFKA, MYSQL)
            .withExposedPorts(8083)
            .withEnv(connectEnvironment())
            .waitingFor(Wait.forHttp("/connector-plugins").forPort(8083)
                    .forResponsePredicate(body -> body.contains("MySqlConnector"))
                    .withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    void insertUpdateDeleteArriveAsRowsAndARealTombstoneOnACompactedTopic() throws Exception {
        String database = "capture_docker";
        try (Connection db = DriverManager.getConnection(MYSQL.getJdbcUrl(), "root", ROOT_PASSWORD)) {
            Sql.execute(db,
                    "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'gold')");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("CDC_DATABASE_HOST", "mysql");
        values.put("CDC_DATABASE_PORT", "3306");
        values.put("CDC_DATABASE_NAME", database);
        values.put("CDC_DATABASE_SERVER_ID", "5403");
        values.put("CDC_TOPIC_PREFIX", "docker");
        values.put("CDC_KAFKA_BOOTSTRAP", KAFKA_INTERNAL);
        ConnectRestClient rest = new ConnectRestClient("http://" + CONNECT.getHost() + ":" + CONNECT.getMappedPort(8083));
        new ConnectorDeployer(rest, values).apply(
                StackLayout.locate().connectorsDir().resolve("debezium-mysql.json"), Duration.ofSeconds(120));

        String topic = "docker." + database + ".customers";
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(KAFKA.getBootstrapServers(), topic)) {
            // Change the row only once the snapshot has read it (see DebeziumMariaDbCaptureIT).
            reader.readUntil(Duration.ofSeconds(90), seen -> !seen.isEmpty());
            try (Connection db = DriverManager.getConnection(MYSQL.getJdbcUrl(), "root", ROOT_PASSWORD)) {
                db.setCatalog(database);
                Sql.execute(db,
                        "UPDATE customers SET tier = 'platinum' WHERE id = 1",
                        "DELETE FROM customers WHERE id = 1");
            }
            records = reader.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 3);
        }

        assertThat(records).hasSize(3);
        assertThat(records).allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("1"));
        JsonNode inserted = JSON.readTree(records.get(0).value());
        JsonNode updated = JSON.readTree(records.get(1).value());
        assertThat(inserted.get("tier").asText()).isEqualTo("gold");
        assertThat(updated.get("tier").asText()).isEqualTo("platinum");
        assertThat(updated.get("__source_ts_ms").asLong()).isPositive();
        assertThat(records.get(2).value()).as("a DELETE must be a real tombstone (null value), not the text null").isNull();

        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        try (Admin client = Admin.create(admin)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = client.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    /** The Connect worker's environment, as in docker-compose.yml. */
    private static Map<String, String> connectEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BOOTSTRAP_SERVERS", KAFKA_INTERNAL);
        env.put("GROUP_ID", "cdc-enricher-connect");
        env.put("CONFIG_STORAGE_TOPIC", "_connect-configs");
        env.put("OFFSET_STORAGE_TOPIC", "_connect-offsets");
        env.put("STATUS_STORAGE_TOPIC", "_connect-status");
        env.put("CONFIG_STORAGE_REPLICATION_FACTOR", "1");
        env.put("OFFSET_STORAGE_REPLICATION_FACTOR", "1");
        env.put("STATUS_STORAGE_REPLICATION_FACTOR", "1");
        env.put("CONNECT_CONFIG_PROVIDERS", "env");
        env.put("CONNECT_CONFIG_PROVIDERS_ENV_CLASS", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        env.put("CDC_DATABASE_USER", "cdc");
        env.put("CDC_DATABASE_PASSWORD", CDC_PASSWORD);
        return env;
    }

    /** The image pins of docker-compose.yml: one place for versions, shared with this test. */
    static Map<String, String> readDotEnv(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.trim();
                int eq = trimmed.indexOf('=');
                if (!trimmed.isEmpty() && !trimmed.startsWith("#") && eq > 0) {
                    values.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String image : List.of("MYSQL_IMAGE", "KAFKA_IMAGE", "CONNECT_IMAGE")) {
            if (!values.containsKey(image)) {
                throw new StackException(file + " does not pin " + image);
            }
        }
        return values;
    }

    /** Fails the class, with what to do, when no Docker engine answers: -Pdocker asked for these tests. */
    static final class RequireDocker implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("-Pdocker runs the tests tagged 'docker', and no Docker engine is"
                        + " reachable (DOCKER_HOST, /var/run/docker.sock): start one, or build without -Pdocker");
            }
        }
    }
}
