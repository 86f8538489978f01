package io.cdcenricher.ops;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the capture contract of {@code connectors/debezium-mariadb.json} on a real MariaDB binlog: plain keys,
 * the row after the change with its source commit time and binlog position, and for a DELETE a real null-value tombstone. The
 * tombstone check is on raw bytes because the SMT mode {@code tombstone} with the JsonConverter writes the 4-byte
 * string {@code null}, which looks the same when printed but is a value that compaction never removes.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class DebeziumMariaDbCaptureIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void insertUpdateDeleteArriveAsRowsAndARealTombstoneOnACompactedTopic(Stack stack) throws Exception {
        String database = "capture_it";
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db,
                    "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'gold')");
        }
        ConnectorDeployer connectors = stack.connectors(Map.of(
                "CDC_DATABASE_NAME", database, "CDC_TOPIC_PREFIX", "capture", "CDC_DATABASE_SERVER_ID", "5401"));
        connectors.apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), Duration.ofSeconds(90));

        String topic = "capture." + database + ".customers";
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(), topic)) {
            // RUNNING does not mean the snapshot is done: change the row only once the snapshot has read it,
            // or the changes land before the snapshot's binlog position and are never streamed.
            reader.readUntil(Duration.ofSeconds(60), seen -> !seen.isEmpty());
            try (Connection db = stack.mariadb().adminConnection(database)) {
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
        // The binlog position the enricher orders a row's versions by (RowVersion: a re-sent older version is
        // skipped): on the snapshot record and the streamed change alike, greater on the later change.
        for (JsonNode row : List.of(inserted, updated)) {
            assertThat(row.get("__source_file").asText()).as(row.toString()).matches(".+\\.\\d+");
            assertThat(row.get("__source_pos").isIntegralNumber()).as(row.toString()).isTrue();
            assertThat(row.get("__source_row").isIntegralNumber()).as(row.toString()).isTrue();
            assertThat(row.get("__source_server_id").isIntegralNumber()).as(row.toString()).isTrue();
        }
        assertThat(Arrays.compare(position(updated), position(inserted))).as("%s after %s", updated, inserted)
                .isPositive();
        assertThat(records.get(2).value()).as("a DELETE must be a real tombstone (null value), not the text null").isNull();

        try (Admin admin = Admin.create(stack.adminProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    /** File number, position and row of a captured change: the order of the binlog. */
    private static long[] position(JsonNode row) {
        String file = row.get("__source_file").asText();
        return new long[] {Long.parseLong(file.substring(file.lastIndexOf('.') + 1)), row.get("__source_pos").asLong(),
                row.get("__source_row").asLong()};
    }
}
