package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerIdsTest {

    @TempDir
    Path dir;

    /** The local values without a server id, as ops/connectors has them when CDC_DATABASE_SERVER_ID is unset. */
    private static Map<String, String> local(String database, String prefix) {
        Map<String, String> values = new HashMap<>(Map.of("CDC_DATABASE_HOST", "127.0.0.1", "CDC_DATABASE_PORT", "3307",
                "CDC_KAFKA_BOOTSTRAP", "127.0.0.1:9092", "CDC_REGISTRY_HOST_PORT", "127.0.0.1:8081"));
        values.put("CDC_DATABASE_NAME", database);
        values.put("CDC_TOPIC_PREFIX", prefix);
        return values;
    }

    private static Path template(String file) {
        return StackLayout.locate().connectorsDir().resolve(file);
    }

    @Test
    void derivedIdIsStableAndInsideTheDocumentedRange() {
        long id = ServerIds.derive("demo-mariadb-source");

        assertThat(ServerIds.derive("demo-mariadb-source")).isEqualTo(id);
        assertThat(id).isBetween(ServerIds.FIRST, ServerIds.LAST);
        for (int i = 0; i < 1_000; i++) {
            assertThat(ServerIds.derive("connector-" + i)).isBetween(ServerIds.FIRST, ServerIds.LAST);
        }
        assertThat(ServerIds.FIRST).as("clear of the stack's own --server-id=1 and Debezium's random 5400-6400")
                .isGreaterThan(6400);
    }

    @Test
    void twoConnectorsFromOneTemplateForTwoDatabasesGetDifferentIds() {
        ConnectorConfig shop = ConnectorConfig.load(template("debezium-mariadb.json"), local("shop", "demo"));
        ConnectorConfig billing = ConnectorConfig.load(template("debezium-mariadb.json"), local("billing", "billing"));
        ConnectorConfig avro = ConnectorConfig.load(template("debezium-mariadb-avro.json"), local("shop", "demo"));

        assertThat(shop.config().get("database.server.id"))
                .isEqualTo(Long.toString(ServerIds.derive("demo-mariadb-source")));
        assertThat(billing.config().get("database.server.id"))
                .isEqualTo(Long.toString(ServerIds.derive("billing-mariadb-source")));
        assertThat(shop.config().get("database.server.id")).isNotEqualTo(billing.config().get("database.server.id"))
                .isNotEqualTo(avro.config().get("database.server.id"));
        assertThatCode(() -> ServerIds.requireUnique(billing, Map.of(shop.name(), shop.config(), avro.name(),
                avro.config()))).doesNotThrowAnyException();
    }

    @Test
    void anOverrideOrALiteralIdInTheFileWins() throws IOException {
        Map<String, String> values = local("shop", "demo");
        values.put("CDC_DATABASE_SERVER_ID", "5401");
        assertThat(ConnectorConfig.load(template("debezium-mariadb.json"), values).config())
                .containsEntry("database.server.id", "5401");

        values.put("CDC_DATABASE_SERVER_ID", " ");
        assertThat(ConnectorConfig.load(template("debezium-mariadb.json"), values).config())
                .as("a blank variable counts as unset").containsEntry("database.server.id",
                        Long.toString(ServerIds.derive("demo-mariadb-source")));

        Path file = dir.resolve("fixed.json");
        Files.writeString(file, "{\"name\":\"fixed\",\"config\":{\"database.server.id\":\"7777\"}}");
        assertThat(ConnectorConfig.load(file, local("shop", "demo")).config()).containsEntry("database.server.id", "7777");
    }

    @Test
    void aClashOnTheSameHostAndPortIsRefusedNamingBothConnectors() {
        Map<String, String> values = local("billing", "billing");
        values.put("CDC_DATABASE_SERVER_ID", Long.toString(ServerIds.derive("demo-mariadb-source")));
        ConnectorConfig billing = ConnectorConfig.load(template("debezium-mariadb.json"), values);
        Map<String, String> demo = new HashMap<>(ConnectorConfig.load(template("debezium-mariadb.json"),
                local("shop", "demo")).config());
        demo.put("database.hostname", "localhost"); // loopback spelled another way is the same server

        assertThatThrownBy(() -> ServerIds.requireUnique(billing, Map.of("demo-mariadb-source", demo)))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("billing-mariadb-source").hasMessageContaining("demo-mariadb-source")
                .hasMessageContaining("database.server.id=" + ServerIds.derive("demo-mariadb-source"))
                .hasMessageContaining("127.0.0.1:3307");
    }

    @Test
    void theSameIdOnAnotherServerItsOwnEarlierRegistrationAndNonBinlogConnectorsDoNotClash() {
        ConnectorConfig demo = ConnectorConfig.load(template("debezium-mariadb.json"), local("shop", "demo"));
        Map<String, String> otherPort = new HashMap<>(demo.config());
        otherPort.put("database.port", "3308");
        Map<String, String> otherHost = new HashMap<>(demo.config());
        otherHost.put("database.hostname", "db2.internal");

        assertThatCode(() -> ServerIds.requireUnique(demo, Map.of(
                "demo-mariadb-source", demo.config(),
                "on-3308", otherPort,
                "on-db2", otherHost,
                "jdbc", Map.of("connector.class", "io.confluent.connect.jdbc.JdbcSourceConnector"))))
                .doesNotThrowAnyException();
    }

    @Test
    void anIdThatIsNotAServerIdIsRefusedWithTheConnectorAndTheValue() {
        assertThatThrownBy(() -> ServerIds.of("x-source", Map.of("database.server.id", "0")))
                .hasMessageContaining("x-source").hasMessageContaining("database.server.id=0");
        assertThatThrownBy(() -> ServerIds.of("x-source", Map.of("database.server.id", "4294967296")))
                .hasMessageContaining("4294967296");
        assertThatThrownBy(() -> ServerIds.of("x-source", Map.of("database.server.id", "abc")))
                .hasMessageContaining("abc");
        assertThat(ServerIds.of("x-source", Map.of("database.server.id", "4294967295"))).contains(4_294_967_295L);
    }

    @Test
    void placeholderDefaultsNoLongerFixTheServerId() {
        StackSettings settings = new StackSettings("127.0.0.1", 9092, 9093, 8083, 3307, Path.of("/run"));

        assertThat(ConnectorDeployer.placeholderValues(settings, Map.of())).doesNotContainKey("CDC_DATABASE_SERVER_ID");
        assertThat(ConnectorDeployer.placeholderValues(settings, Map.of("CDC_DATABASE_SERVER_ID", "5401")))
                .containsEntry("CDC_DATABASE_SERVER_ID", "5401");
    }
}
