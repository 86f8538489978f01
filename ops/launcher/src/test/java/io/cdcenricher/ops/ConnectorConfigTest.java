package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorConfigTest {

    @TempDir
    Path dir;

    private static final Map<String, String> LOCAL = Map.of(
            "CDC_DATABASE_HOST", "127.0.0.1", "CDC_DATABASE_PORT", "3307", "CDC_DATABASE_NAME", "shop",
            "CDC_DATABASE_SERVER_ID", "184054", "CDC_TOPIC_PREFIX", "demo", "CDC_KAFKA_BOOTSTRAP", "127.0.0.1:9092",
            "CDC_REGISTRY_HOST_PORT", "127.0.0.1:8081");

    @Test
    void shippedMariaDbConnectorFillsEveryPlaceholderAndKeepsTheSecretAProviderReference() {
        ConnectorConfig connector = ConnectorConfig.load(StackLayout.locate().connectorsDir()
                .resolve("debezium-mariadb.json"), LOCAL);

        assertThat(connector.name()).isEqualTo("demo-mariadb-source");
        assertThat(connector.config()).containsEntry("database.port", "3307")
                .containsEntry("table.include.list", "shop\\.(customers|products)")
                .containsEntry("database.password", "${env:CDC_DATABASE_PASSWORD}")
                .containsEntry("transforms.unwrap.delete.tombstone.handling.mode", "delete-to-tombstone")
                // The enricher orders a row's versions by the binlog position (RowVersion): keep these fields.
                .containsEntry("transforms.unwrap.add.fields",
                        "source.ts_ms,source.server_id,source.file,source.pos,source.row");
        assertThat(connector.config().values()).noneMatch(v -> v.contains("{{"));
    }

    @Test
    void avroConnectorWritesValuesThroughApicurioAndKeepsPlainKeysAndRealTombstones() {
        ConnectorConfig json = ConnectorConfig.load(StackLayout.locate().connectorsDir().resolve("debezium-mariadb.json"), LOCAL);
        ConnectorConfig avro = ConnectorConfig.load(StackLayout.locate().connectorsDir()
                .resolve("debezium-mariadb-avro.json"), LOCAL);

        assertThat(avro.name()).isEqualTo("demo-mariadb-avro-source");
        assertThat(avro.config())
                .containsEntry("value.converter", "io.apicurio.registry.utils.converter.AvroConverter")
                .containsEntry("value.converter.apicurio.registry.url", "http://127.0.0.1:8081/apis/registry/v2")
                .containsEntry("value.converter.apicurio.registry.auto-register", "true")
                .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter")
                .containsEntry("topic.prefix", "demo");
        Map<String, String> rest = new java.util.HashMap<>(avro.config());
        rest.keySet().removeIf(k -> k.startsWith("value.converter"));
        Map<String, String> jsonRest = new java.util.HashMap<>(json.config());
        jsonRest.keySet().removeIf(k -> k.startsWith("value.converter"));
        assertThat(rest).as("everything but the value converter as in debezium-mariadb.json").isEqualTo(jsonRest);
    }

    /**
     * Debezium 3.5's MariaDB and MySQL error handlers call nothing retriable by themselves, so the files' regex decides
     * which errors Debezium retries: transient connection losses, not a missing grant or an error 1236.
     */
    @Test
    void debeziumFilesRetryConnectionLossesButNotMissingGrantsOrFatalBinlogErrors() {
        for (String file : new String[] {"debezium-mariadb.json", "debezium-mariadb-avro.json", "debezium-mysql.json"}) {
            Map<String, String> config = ConnectorConfig.load(StackLayout.locate().connectorsDir().resolve(file), LOCAL)
                    .config();
            String retriable = config.get("internal.custom.retriable.exception");
            assertThat(config).as(file).containsEntry("errors.max.retries", "-1")
                    .containsEntry("retriable.restart.connector.wait.ms", "10000")
                    .containsEntry("errors.retry.timeout", "300000").containsEntry("errors.retry.delay.max.ms", "30000");
            assertThat(java.util.List.of(
                    "Connection reset",
                    "Connection refused (Connection refused)",
                    "Failed to read next byte from position 1234",
                    "Communications link failure\n\nThe last packet sent successfully to the server was 0 ms ago.",
                    "Read timed out",
                    "Socket closed"))
                    .as(file).allMatch(message -> message.matches(retriable));
            assertThat(java.util.List.of(
                    "Access denied; you need (at least one of) the REPLICATION SLAVE privilege(s) for this operation",
                    "A slave with the same server_uuid/server_id as this slave has connected to the master",
                    "Could not find first log file name in binary log index file",
                    "Cannot invoke \"com.github.shyiko.mysql.binlog.GtidSet.toString()\" because \"this.gtidSet\" is null"))
                    .as(file).noneMatch(message -> message.matches(retriable));
        }
    }

    @Test
    void registryAddressDefaultsToTheLocalStacksRegistry() {
        StackSettings settings = new StackSettings("127.0.0.1", 9092, 9093, 8083, 3307, 18081, 19001, Path.of("/run"));

        assertThat(ConnectorDeployer.placeholderValues(settings, Map.of()))
                .containsEntry("CDC_REGISTRY_HOST_PORT", "127.0.0.1:18081");
        assertThat(ConnectorDeployer.placeholderValues(settings, Map.of("CDC_REGISTRY_HOST_PORT", "registry:8080")))
                .containsEntry("CDC_REGISTRY_HOST_PORT", "registry:8080");
    }

    @Test
    void everyShippedConnectorFileLoadsWithTheLocalValues() throws IOException {
        try (var files = Files.list(StackLayout.locate().connectorsDir())) {
            files.filter(f -> f.toString().endsWith(".json"))
                    .forEach(f -> assertThat(ConnectorConfig.load(f, LOCAL).config()).isNotEmpty());
        }
    }

    @Test
    void missingPlaceholderValueIsNamedInTheError() throws IOException {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"name\":\"x\",\"config\":{\"database.hostname\":\"{{CDC_DATABASE_HOST}}\","
                + "\"database.port\":\"{{CDC_NOT_SET}}\"}}");

        assertThatThrownBy(() -> ConnectorConfig.load(file, LOCAL))
                .hasMessageContaining("CDC_NOT_SET").hasMessageContaining("environment variable");
    }

    @Test
    void fileWithoutNameOrConfigIsRejectedWithTheExpectedShape() throws IOException {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"connector.class\":\"x\"}");

        assertThatThrownBy(() -> ConnectorConfig.load(file, LOCAL)).hasMessageContaining("\"name\"");
    }
}
