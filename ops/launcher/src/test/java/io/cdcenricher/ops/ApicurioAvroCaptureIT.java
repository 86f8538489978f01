package io.cdcenricher.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.testing.LocalStackWithRegistryExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards {@code connectors/debezium-mariadb-avro.json} end to end on real processes: Debezium on a MariaDB binlog,
 * Apicurio's 2.x Avro converter in a Connect 4.3.1 worker, Apicurio Registry 3 serving the v2 API. The converter
 * writes Apicurio's header format: the schema's global id in the record header {@code apicurio.value.globalId}
 * (8 bytes, big-endian), {@code apicurio.value.encoding: BINARY}, and the value as plain Avro binary, with no magic byte or id prefix (that is the Confluent
 * format, which Apicurio writes only with headers disabled). So each value is decoded here with exactly the schema
 * the registry returns for its header's id, and must be consumed to the last byte. A DELETE must still be a real
 * tombstone (a null value carries no schema), and a column added by ALTER TABLE must register a second version
 * of the value schema rather than fail the task or overwrite the first.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackWithRegistryExtension.class)
class ApicurioAvroCaptureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GLOBAL_ID_HEADER = "apicurio.value.globalId";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void rowsArriveAsAvroWithTheSchemaIdInHeadersDeletesAsTombstonesAndANewColumnAddsASchemaVersion(Stack stack)
            throws Exception {
        String database = "avro_it";
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db,
                    "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'gold')");
        }
        ConnectorDeployer connectors = stack.connectors(Map.of(
                "CDC_DATABASE_NAME", database, "CDC_TOPIC_PREFIX", "avro", "CDC_DATABASE_SERVER_ID", "5402"));
        connectors.apply(stack.layout().connectorsDir().resolve("debezium-mariadb-avro.json"), Duration.ofSeconds(90));

        String topic = "avro." + database + ".customers";
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(), topic)) {
            // As in DebeziumMariaDbCaptureIT: change rows only once the snapshot has read them.
            reader.readUntil(Duration.ofSeconds(60), seen -> !seen.isEmpty());
            try (Connection db = stack.mariadb().adminConnection(database)) {
                Sql.execute(db,
                        "UPDATE customers SET tier = 'platinum' WHERE id = 1",
                        "DELETE FROM customers WHERE id = 1",
                        "ALTER TABLE customers ADD COLUMN email VARCHAR(100)",
                        "INSERT INTO customers VALUES (2, 'Grace', 'silver', 'grace@example.org')");
            }
            records = reader.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 4);
        }

        assertThat(records).hasSize(4);
        assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .as("keys stay plain strings").containsExactly("1", "1", "1", "2");

        long snapshotId = globalId(records.get(0));
        long updateId = globalId(records.get(1));
        long afterAlterId = globalId(records.get(3));
        assertThat(updateId).as("same columns, same schema").isEqualTo(snapshotId);
        assertThat(afterAlterId).as("a new column is a new schema").isNotEqualTo(snapshotId);

        GenericRecord inserted = decode(stack, records.get(0), snapshotId);
        GenericRecord updated = decode(stack, records.get(1), updateId);
        GenericRecord afterAlter = decode(stack, records.get(3), afterAlterId);
        assertThat(inserted.get("name").toString()).isEqualTo("Ada");
        assertThat(inserted.get("tier").toString()).isEqualTo("gold");
        assertThat(inserted.getSchema().getField("email")).isNull();
        assertThat(updated.get("tier").toString()).isEqualTo("platinum");
        assertThat((Long) updated.get("__source_ts_ms")).isPositive();
        assertThat(afterAlter.get("id")).isEqualTo(2);
        assertThat(afterAlter.get("email").toString()).isEqualTo("grace@example.org");

        assertThat(records.get(2).value()).as("a DELETE must be a real tombstone (null value)").isNull();
        assertThat(records.get(2).headers().lastHeader(GLOBAL_ID_HEADER)).as("a tombstone has no schema").isNull();

        JsonNode versions = registryGet(stack, "/groups/default/artifacts/" + topic + "-value/versions");
        assertThat(versions.path("count").asInt()).as("versions of the value schema: %s", versions).isEqualTo(2);
        assertThat(versions.path("versions").findValuesAsText("globalId"))
                .containsExactlyInAnyOrder(Long.toString(snapshotId), Long.toString(afterAlterId));

        try (Admin admin = Admin.create(stack.adminProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private static long globalId(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(GLOBAL_ID_HEADER);
        assertThat(header).as("header %s on offset %d", GLOBAL_ID_HEADER, record.offset()).isNotNull();
        assertThat(header.value()).hasSize(Long.BYTES);
        Header encoding = record.headers().lastHeader("apicurio.value.encoding");
        assertThat(encoding).isNotNull();
        assertThat(new String(encoding.value(), StandardCharsets.UTF_8)).isEqualTo("BINARY");
        return ByteBuffer.wrap(header.value()).getLong();
    }

    /** Decodes the whole value with the registry's schema for {@code globalId}; leftover bytes fail the test. */
    private GenericRecord decode(Stack stack, ConsumerRecord<byte[], byte[]> record, long globalId) throws Exception {
        Schema schema = new Schema.Parser().parse(registryGetText(stack, "/ids/globalIds/" + globalId));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(record.value(), null);
        GenericRecord value = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
        assertThat(decoder.isEnd()).as("offset %d is exactly one Avro datum, no prefix, nothing left over",
                record.offset()).isTrue();
        return value;
    }

    private JsonNode registryGet(Stack stack, String path) throws IOException, InterruptedException {
        return JSON.readTree(registryGetText(stack, path));
    }

    private String registryGetText(Stack stack, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(stack.registry().v2ApiUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }
}
