package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenricher.enricher.avro.AvroJson;
import io.cdcenricher.enricher.avro.InMemoryAvroWire;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's Avro edges with {@code format: avro}: Avro rows and events in, Avro out, dead letters with the
 * original bytes. The schemas come from {@link InMemoryAvroWire}, not a registry: the registry path is proven by
 * {@code AvroEnrichmentIT} on real processes.
 */
class AvroEnrichmentTopologyTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Schema ORDER = contract("order-event.avsc");
    private static final Schema ENRICHED = contract("enriched-order.avsc");
    private static final Schema CUSTOMER = contract("customer-row.avsc");

    @TempDir
    Path dir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestInputTopic<byte[], byte[]> customers;
    private TestOutputTopic<byte[], byte[]> output;
    private TestOutputTopic<byte[], byte[]> deadLetter;

    private static Schema contract(String file) {
        try (InputStream in = AvroEnrichmentTopologyTest.class.getResourceAsStream("/schemas/" + file)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String outputSchema, String types) {
        EnricherConfig config = EnricherConfigLoader.parse("""
                applicationId: avro-test
                bootstrapServers: 127.0.0.1:9
                topics: {events: shop.orders, output: shop.orders.enriched, deadLetter: shop.orders.dlq}
                event: {types: %s}
                format: avro
                registry: {url: http://127.0.0.1:9/apis/registry/v2}
                outputSchema: %s
                joins:
                  - {name: customer, topic: demo.shop.customers, foreignKey: customerId, fields: [name, tier]}
                """.formatted(types, outputSchema));
        Properties props = config.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        Map<String, Schema> schemas = Map.of(ORDER.getFullName(), ORDER, CUSTOMER.getFullName(), CUSTOMER);
        driver = new TopologyTestDriver(EnrichmentTopology.build(config,
                TopologyOptions.defaults().withAvroWire(() -> new InMemoryAvroWire(schemas))), props, T0);
        ByteArraySerializer s = new ByteArraySerializer();
        events = driver.createInputTopic("shop.orders", s, s);
        customers = driver.createInputTopic("demo.shop.customers", s, s);
        output = driver.createOutputTopic("shop.orders.enriched", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        deadLetter = driver.createOutputTopic("shop.orders.dlq", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private void start() {
        start("classpath:/schemas/enriched-order.avsc", "[create, update, delete]");
    }

    private static RecordHeaders schemaHeader(Schema schema) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(InMemoryAvroWire.SCHEMA_HEADER, schema.getFullName().getBytes(StandardCharsets.UTF_8));
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private void customer(long id, String name, String tier) {
        customer(id, name, tier, null);
    }

    /** A row at binlog position {@code pos} of one file (null: no position, as before the connector added it). */
    private void customer(long id, String name, String tier, Long pos) {
        GenericData.Record row = new GenericData.Record(CUSTOMER);
        row.put("id", id);
        row.put("name", name);
        row.put("tier", tier);
        row.put("__source_ts_ms", 1_700_000_000_000L);
        if (pos != null) {
            row.put("__source_server_id", 1L);
            row.put("__source_file", "mariadb-bin.000003");
            row.put("__source_pos", pos);
            row.put("__source_row", 0);
        }
        customers.pipeInput(new TestRecord<>(Long.toString(id).getBytes(StandardCharsets.UTF_8),
                InMemoryAvroWire.bytes(row), schemaHeader(CUSTOMER), T0));
    }

    private static byte[] order(String type, String id, Long customerId) {
        GenericData.Record event = new GenericData.Record(ORDER);
        event.put("type", new GenericData.EnumSymbol(ORDER.getField("type").schema(), type));
        event.put("id", id);
        event.put("customerId", customerId);
        event.put("amount", 12.5);
        return InMemoryAvroWire.bytes(event);
    }

    private void event(String key, byte[] value) {
        events.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, schemaHeader(ORDER),
                T0.plusSeconds(1)));
    }

    private static String json(GenericRecord record) {
        return new String(AvroJson.toJson(record), StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldSkipAReSentOlderAvroRowByItsBinlogPosition() {
        start();
        customer(42, "Ada", "silver", 100L);
        customer(42, "Ada", "gold", 200L);
        customer(42, "Ada", "silver", 100L);

        event("o-1", order("create", "o-1", 42L));

        InMemoryAvroWire read = new InMemoryAvroWire(Map.of(ENRICHED.getFullName(), ENRICHED));
        assertThat(output.readRecordsToList()).extracting(r -> json(read.decode("shop.orders.enriched", r.headers(),
                r.value()))).singleElement().asString().contains("\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"}");
    }

    @Test
    void shouldEnrichAnAvroEventWithAnAvroRowAndWriteItWithTheOutputSchema() {
        start();
        customer(42, "Ada", "gold");

        event("o-1", order("create", "o-1", 42L));
        event("o-2", order("update", "o-2", 7L));

        List<TestRecord<byte[], byte[]>> records = output.readRecordsToList();
        InMemoryAvroWire read = new InMemoryAvroWire(Map.of(ENRICHED.getFullName(), ENRICHED));
        assertThat(records).extracting(r -> json(read.decode("shop.orders.enriched", r.headers(), r.value())))
                .containsExactly(
                        "{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,\"productId\":null,\"amount\":12.5,"
                                + "\"ts\":null,\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"product\":null,"
                                + "\"enrichment\":{\"customer\":\"hit\"}}",
                        "{\"type\":\"update\",\"id\":\"o-2\",\"customerId\":7,\"productId\":null,\"amount\":12.5,"
                                + "\"ts\":null,\"customer\":null,\"product\":null,\"enrichment\":{\"customer\":\"miss\"}}");
        assertThat(Arrays.stream(records.get(0).headers().toArray()).map(Header::key))
                .as("the output schema's id replaces the event's; nothing internal leaks")
                .containsExactlyInAnyOrder("trace", InMemoryAvroWire.SCHEMA_HEADER);
        assertThat(header(records.get(0), InMemoryAvroWire.SCHEMA_HEADER)).isEqualTo(ENRICHED.getFullName());
        assertThat(deadLetter.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterUndecodableAvroAsMalformedAvroWithTheOriginalBytes() {
        start();
        byte[] corrupt = {(byte) 0xff, 1, 2};

        event("o-1", corrupt);

        TestRecord<byte[], byte[]> dead = deadLetter.readRecord();
        assertThat(dead.value()).isEqualTo(corrupt);
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("malformed-avro");
        assertThat(header(dead, DeadLetter.EXCEPTION_CLASS)).isNotBlank();
        assertThat(header(dead, "trace")).isEqualTo("t-1");
        assertThat(header(dead, InMemoryAvroWire.SCHEMA_HEADER)).isEqualTo(ORDER.getFullName());
        assertThat(output.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepTheOriginalAvroBytesInDeadLettersOfTheJsonEngine() {
        start("classpath:/schemas/enriched-order.avsc", "[create, update]");
        byte[] delete = order("delete", "o-1", 42L);

        event("o-1", delete);

        TestRecord<byte[], byte[]> dead = deadLetter.readRecord();
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("unknown-event-type");
        assertThat(dead.value()).isEqualTo(delete);
        assertThat(Arrays.stream(dead.headers().toArray()).map(Header::key)).doesNotContain(
                "enricher.avro.original-value");
    }

    @Test
    void shouldDeadLetterAnEnrichedEventThatDoesNotFitTheOutputSchema() throws IOException {
        Path schema = Files.writeString(dir.resolve("strict.avsc"), """
                {"type": "record", "name": "Strict", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "customer", "type": ["null", {"type": "record", "name": "C", "fields": [
                    {"name": "tier", "type": "int"}]}]}]}""");
        start(schema.toString(), "[create, update, delete]");
        customer(42, "Ada", "gold");
        byte[] create = order("create", "o-1", 42L);

        event("o-1", create);

        TestRecord<byte[], byte[]> dead = deadLetter.readRecord();
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("output-schema-mismatch");
        assertThat(header(dead, DeadLetter.DETAIL)).contains("field 'customer.tier' expected an int, found a string");
        assertThat(dead.value()).isEqualTo(create);
        assertThat(header(dead, InMemoryAvroWire.SCHEMA_HEADER)).isEqualTo(ORDER.getFullName());
        assertThat(output.isEmpty()).isTrue();
    }

    @Test
    void shouldPassAnEntityTombstoneThrough() {
        start();

        events.pipeInput(new TestRecord<>("o-1".getBytes(StandardCharsets.UTF_8), null, new RecordHeaders(), T0));

        TestRecord<byte[], byte[]> tombstone = output.readRecord();
        assertThat(tombstone.value()).isNull();
        assertThat(new String(tombstone.key(), StandardCharsets.UTF_8)).isEqualTo("o-1");
    }
}
