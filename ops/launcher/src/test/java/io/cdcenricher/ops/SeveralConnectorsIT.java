package io.cdcenricher.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two connectors made from {@code connectors/debezium-mariadb.json} for two databases of one MariaDB, as a user
 * adds a second one after {@code ops/demo}: without a server id of their own they would throw each other out. With
 * ids derived from their names both capture, side by side; a third with an explicit id that clashes is refused
 * before Connect sees it.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class SeveralConnectorsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void twoConnectorsFromOneTemplateOnOneMariaDbBothCaptureWithDerivedDifferentServerIds(Stack stack) throws Exception {
        Path template = stack.layout().connectorsDir().resolve("debezium-mariadb.json");
        for (String database : new String[] {"several_a", "several_b"}) {
            try (Connection db = stack.mariadb().adminConnection("")) {
                Sql.execute(db, "CREATE DATABASE " + database,
                        "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                        "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'gold')");
            }
        }
        // No CDC_DATABASE_SERVER_ID: each id is derived from the connector's name.
        ConnectorStatus a = stack.connectors(Map.of("CDC_DATABASE_NAME", "several_a", "CDC_TOPIC_PREFIX", "severala"))
                .apply(template, WAIT);
        ConnectorStatus b = stack.connectors(Map.of("CDC_DATABASE_NAME", "several_b", "CDC_TOPIC_PREFIX", "severalb"))
                .apply(template, WAIT);

        ConnectRestClient rest = stack.connectRest();
        String idA = rest.config(a.name()).orElseThrow().get("database.server.id");
        String idB = rest.config(b.name()).orElseThrow().get("database.server.id");
        assertThat(idA).isEqualTo(Long.toString(ServerIds.derive("severala-mariadb-source")));
        assertThat(idB).isEqualTo(Long.toString(ServerIds.derive("severalb-mariadb-source"))).isNotEqualTo(idA);

        try (TopicReader topicA = new TopicReader(stack.settings().bootstrapServers(), "severala.several_a.customers");
             TopicReader topicB = new TopicReader(stack.settings().bootstrapServers(), "severalb.several_b.customers")) {
            topicA.readUntil(WAIT, seen -> !seen.isEmpty());
            topicB.readUntil(WAIT, seen -> !seen.isEmpty());
            // Streamed changes prove both binlog connections stay up at once, not only the snapshots.
            try (Connection db = stack.mariadb().adminConnection("")) {
                Sql.execute(db, "INSERT INTO several_a.customers VALUES (2, 'Alan', 'silver')",
                        "INSERT INTO several_b.customers VALUES (2, 'Grace', 'gold')");
            }
            assertThat(topicA.readUntil(WAIT, seen -> seen.stream().anyMatch(r -> key(r.key()).equals("2"))))
                    .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("Alan"));
            assertThat(topicB.readUntil(WAIT, seen -> seen.stream().anyMatch(r -> key(r.key()).equals("2"))))
                    .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("Grace"));
        }
        CaptureCheck check = new CaptureCheck(rest, new DatabaseLogin(Map.of(), stack.settings().runDir()),
                stack.settings().bootstrapServers());
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(check.check(a.name(), Duration.ofSeconds(2)).exitCode()).isZero();
            assertThat(check.check(b.name(), Duration.ofSeconds(2)).exitCode()).isZero();
        });
    }

    @Test
    void aConnectorWhoseExplicitServerIdClashesIsRefusedNamingBoth(Stack stack) throws Exception {
        Path template = stack.layout().connectorsDir().resolve("debezium-mariadb.json");
        for (String database : new String[] {"clash_a", "clash_b"}) {
            try (Connection db = stack.mariadb().adminConnection("")) {
                Sql.execute(db, "CREATE DATABASE " + database,
                        "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))");
            }
        }
        stack.connectors(Map.of("CDC_DATABASE_NAME", "clash_a", "CDC_TOPIC_PREFIX", "clasha")).apply(template, WAIT);
        String taken = Long.toString(ServerIds.derive("clasha-mariadb-source"));

        assertThatThrownBy(() -> stack.connectors(Map.of("CDC_DATABASE_NAME", "clash_b", "CDC_TOPIC_PREFIX", "clashb",
                "CDC_DATABASE_SERVER_ID", taken)).apply(template, WAIT))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("clashb-mariadb-source").hasMessageContaining("clasha-mariadb-source")
                .hasMessageContaining("database.server.id=" + taken);
        assertThat(stack.connectRest().config("clashb-mariadb-source")).as("nothing was sent to Connect").isEmpty();
        assertThat(stack.connectRest().status("clasha-mariadb-source").orElseThrow().isRunning()).isTrue();
    }

    private static String key(byte[] key) {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
